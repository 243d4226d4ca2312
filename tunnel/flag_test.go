package tunnel_test

import (
	"strings"
	"testing"

	"hookscope/tunnel"
)

func TestParseFlag(t *testing.T) {
	env := map[string]string{"NGROK_AUTHTOKEN": "tok"}
	getenv := func(k string) string { return env[k] }
	for in, want := range map[string]tunnel.Config{
		"cloudflared":                    {Provider: tunnel.Cloudflared},
		"ngrok":                          {Provider: tunnel.Ngrok, NgrokAuthtoken: "tok"},
		"https://my-box.tailnet.ts.net/": {Provider: tunnel.Custom, CustomURL: "https://my-box.tailnet.ts.net"},
	} {
		got, err := tunnel.ParseFlag(in, getenv)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "cloudflare", "localtunnel", "https://x.example/?a=1"} {
		if _, err := tunnel.ParseFlag(in, getenv); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestLine(t *testing.T) {
	for s, want := range map[tunnel.State]string{
		{Status: tunnel.StatusOnline, URL: "https://a.trycloudflare.com", Target: "127.0.0.1:4000"}: "public URL https://a.trycloudflare.com",
		{Status: tunnel.StatusOnline, URL: "https://a.ngrok.app"}:                                   "public URL https://a.ngrok.app",
		{Status: tunnel.StatusReconnecting, Err: "cloudflared stopped"}:                             "tunnel: reconnecting: cloudflared stopped",
		{Status: tunnel.StatusFailed, Err: "not found", Hint: "install it"}:                         "tunnel: failed: not found; install it",
	} {
		if got := tunnel.Line(s); got != want {
			t.Errorf("Line(%+v) = %q, want %q", s, got, want)
		}
	}
	if got := tunnel.Line(tunnel.State{Status: tunnel.StatusStarting, Provider: "ngrok"}); !strings.Contains(got, "starting ngrok") {
		t.Errorf("starting: %q", got)
	}
}
