package export

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"hookscope/store"
)

// TestHARURLIsTheOneTheSenderCalled: with no base URL, each entry's
// request.url is the capture's own: its Host, and https when it came
// through a tunnel (a tunnel's public side is HTTPS).
func TestHARURLIsTheOneTheSenderCalled(t *testing.T) {
	local := &store.Capture{Method: "POST", Host: "hooks.example.com:8787", Path: "/acme/ingested", RawQuery: "a=1", Header: http.Header{}}
	tunnelled := &store.Capture{Method: "POST", Host: "words.trycloudflare.com", Path: "/x", Via: "cloudflared", Header: http.Header{}}
	var buf bytes.Buffer
	if err := WriteHAR(&buf, []*store.Capture{local, tunnelled}, ""); err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []struct{ Request struct{ URL string } }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &har); err != nil {
		t.Fatal(err)
	}
	want := []string{"http://hooks.example.com:8787/acme/ingested?a=1", "https://words.trycloudflare.com/x"}
	for i, e := range har.Log.Entries {
		if e.Request.URL != want[i] {
			t.Errorf("entry %d: url %q, want %q", i, e.Request.URL, want[i])
		}
	}
}
