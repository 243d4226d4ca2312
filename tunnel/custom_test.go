package tunnel_test

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"hookscope/receiver"
	"hookscope/receiver/receivertest"
	"hookscope/store"
	"hookscope/tunnel"
)

func TestCustomURLIsValidated(t *testing.T) {
	good := map[string]string{
		"https://my-box.tailnet.ts.net":     "https://my-box.tailnet.ts.net",
		" https://hooks.example.com/ ":      "https://hooks.example.com",
		"http://192.0.2.7:8080/hookscope/":  "http://192.0.2.7:8080/hookscope",
		"https://hooks.example.com:8443/in": "https://hooks.example.com:8443/in",
	}
	for in, want := range good {
		p, err := tunnel.NewCustomProvider(in, "")
		if err != nil || p.URL != want || p.Addr != tunnel.DefaultCustomAddr {
			t.Errorf("%q: %+v, %v; want %s", in, p, err, want)
		}
	}
	for _, in := range []string{"", "hooks.example.com", "ftp://hooks.example.com", "https://", "https:///path", "https://hooks.example.com/?a=1", "https://hooks.example.com/?", "https://hooks.example.com/#top", "/relative"} {
		_, err := tunnel.NewCustomProvider(in, "")
		var perm *tunnel.Permanent
		if !errors.As(err, &perm) || perm.Hint == "" {
			t.Errorf("%q accepted (%v)", in, err)
		}
	}
}

func TestCustomURLServesCapturesOnItsAddress(t *testing.T) {
	srv, st := receiverFor(t)
	addr := receivertest.FreeAddr(t)
	m := captureManager(t, srv, tunnel.Options{})
	_, online, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Custom, CustomURL: "https://my-box.tailnet.ts.net/", CustomAddr: addr}, "online", status(tunnel.StatusOnline))
	if online.URL != "https://my-box.tailnet.ts.net" || online.Target != addr {
		t.Fatalf("online state %+v", online)
	}
	resp, err := http.Post("http://"+addr+"/shop/x", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, _ := store.ParseID(resp.Header.Get(receiver.CaptureIDHeader))
	c, err := st.Get(id)
	if err != nil || !bytes.Equal(c.Body, []byte("hello")) || c.Via != tunnel.Custom {
		t.Fatalf("capture %+v, %v", c, err)
	}
	if resp, err := http.Get("http://" + addr + "/_hookscope/api/captures"); err != nil || resp.StatusCode != 404 {
		t.Fatalf("the API through your own URL's address: %v %v", resp, err)
	}
	m.Close()
	if _, err := http.Get("http://" + addr + "/x"); err == nil {
		t.Fatal("still listening after Close")
	}
}

func TestCustomURLOnABusyAddressFailsClearly(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	srv, _ := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{})
	_, failed, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Custom, CustomURL: "https://hooks.example.com", CustomAddr: busy.Addr().String()}, "failed", status(tunnel.StatusFailed))
	if !strings.Contains(failed.Err, "already in use") || !strings.Contains(failed.Err, busy.Addr().String()) || failed.Hint == "" {
		t.Fatalf("failed state %+v", failed)
	}
}
