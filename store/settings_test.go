package store

import (
	"path/filepath"
	"testing"
)

func TestTunnelSettingsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.TunnelSettings(); err != nil || got != (TunnelSettings{}) {
		t.Fatalf("a new store's tunnel settings = %+v, %v; want none", got, err)
	}
	want := TunnelSettings{Provider: "ngrok", NgrokAuthtoken: "2abc_secret", NgrokDomain: "hooks.ngrok.app", CloudflaredPath: "/opt/cloudflared", CustomURL: "https://me.ts.net"}
	if err := s.PutTunnelSettings(want); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.TunnelSettings()
	if err != nil || got != want {
		t.Fatalf("after reopening: %+v, %v; want %+v", got, err, want)
	}
}
