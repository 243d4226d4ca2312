package store

import (
	"net/http"
	"testing"
)

func TestCaptureURLIsWhatTheSenderCalled(t *testing.T) {
	tests := map[string]struct {
		c    Capture
		want string
	}{
		"the local receiver":      {Capture{Host: "127.0.0.1:8787", Path: "/shop/orders", RawQuery: "a=1"}, "http://127.0.0.1:8787/shop/orders?a=1"},
		"no Host":                 {Capture{Path: "/x"}, "http://localhost/x"},
		"through a tunnel":        {Capture{Host: "ab.trycloudflare.com", Path: "/x", Via: "cloudflared"}, "https://ab.trycloudflare.com/x"},
		"a tunnel that says http": {Capture{Host: "h.example", Path: "/x", Via: "custom", Header: http.Header{"X-Forwarded-Proto": {"http"}}}, "http://h.example/x"},
	}
	for name, tc := range tests {
		if got := tc.c.URL(); got != tc.want {
			t.Errorf("%s: URL() = %q, want %q", name, got, tc.want)
		}
		if got, want := tc.c.Origin()+tc.c.URI(), tc.want; got != want {
			t.Errorf("%s: Origin()+URI() = %q, want %q", name, got, want)
		}
	}
}
