package tunnel

import (
	"net/http"
	"testing"
)

func TestClientAddrIsTheSenderTheTunnelNames(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	for _, c := range []struct {
		name, provider string
		h              http.Header
		want           string
	}{
		{"cloudflared", Cloudflared, h("Cf-Connecting-Ip", "203.0.113.5", "X-Forwarded-For", "198.51.100.1"), "203.0.113.5"},
		{"cloudflared ipv6", Cloudflared, h("Cf-Connecting-Ip", "2001:db8::7"), "2001:db8::7"},
		{"cloudflared without its header", Cloudflared, h("X-Forwarded-For", "198.51.100.1"), ""},
		{"ngrok first of the chain", Ngrok, h("X-Forwarded-For", " 203.0.113.9, 10.0.0.1"), "203.0.113.9"},
		{"ngrok first line", Ngrok, h("X-Forwarded-For", "203.0.113.9", "X-Forwarded-For", "10.0.0.1"), "203.0.113.9"},
		{"own URL forwarded", Custom, h("X-Forwarded-For", "203.0.113.10"), "203.0.113.10"},
		{"own URL via a named Cloudflare tunnel", Custom, h("Cf-Connecting-Ip", "203.0.113.11", "X-Forwarded-For", "10.0.0.2"), "203.0.113.11"},
		{"not an address", Ngrok, h("X-Forwarded-For", "<script>, 10.0.0.1"), ""},
		{"sent to the local receiver", Off, h("Cf-Connecting-Ip", "203.0.113.5"), ""},
	} {
		if got := ClientAddr(c.provider, c.h); got != c.want {
			t.Errorf("%s: ClientAddr = %q, want %q", c.name, got, c.want)
		}
	}
}
