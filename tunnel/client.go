package tunnel

import (
	"net"
	"net/http"
	"strings"
)

// ClientAddr is the address of the sender of a request that came through
// provider's tunnel, as the tunnel's header tells it; "" when the header is
// missing or does not hold an address (the request then reached the receiver
// from the tunnel's loopback connection, which says nothing of the sender).
//
// cloudflared: Cloudflare's edge sets CF-Connecting-IP to the client's
// address (https://developers.cloudflare.com/fundamentals/reference/http-headers/#cf-connecting-ip).
// ngrok and a tunnel the user runs: the first entry of X-Forwarded-For is
// the client, each proxy appending the address it was called from
// (https://ngrok.com/docs/http/#x-forwarded-for,
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For).
// A tunnel the user runs may be a named Cloudflare tunnel, so
// CF-Connecting-IP is taken there first.
func ClientAddr(provider string, h http.Header) string {
	switch provider {
	case Cloudflared:
		return ipOnly(h.Get("Cf-Connecting-Ip"))
	case Ngrok:
		return firstForwarded(h)
	case Custom:
		if a := ipOnly(h.Get("Cf-Connecting-Ip")); a != "" {
			return a
		}
		return firstForwarded(h)
	}
	return ""
}

// firstForwarded is the first address of the first X-Forwarded-For line.
func firstForwarded(h http.Header) string {
	v := h.Get("X-Forwarded-For")
	first, _, _ := strings.Cut(v, ",")
	return ipOnly(first)
}

// ipOnly is s when it is an IP address (IPv6 as is, without brackets), else
// "": a header anyone can set must not put arbitrary text where the window
// shows an address.
func ipOnly(s string) string {
	s = strings.TrimSpace(s)
	ip := net.ParseIP(strings.Trim(s, "[]"))
	if ip == nil {
		return ""
	}
	return ip.String()
}
