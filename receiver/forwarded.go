package receiver

import (
	"net/http"
	"slices"
	"strings"
)

// forwardingHeader names a header of h that a proxy or tunnel adds, or
// returns "". A tunnel's traffic reaches the API from 127.0.0.1, and ngrok
// --host-header=rewrite (https://ngrok.com/docs/using-ngrok-with/virtualHosts)
// or cloudflared's httpHostHeader also make its Host a loopback one, so the
// loopback and Host checks alone would hand the projects' secrets to
// anyone with the tunnel's public URL. Such a request carries what the
// tunnel adds: Forwarded (RFC 7239), Via (RFC 9110, section 7.6.3),
// X-Forwarded-*, X-Real-Ip, True-Client-Ip, Cloudflare's Cf-*
// (https://developers.cloudflare.com/fundamentals/reference/http-headers/)
// or ngrok's Ngrok-*.
func forwardingHeader(h http.Header) string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	// The first in order, so the refusal names the same header every time.
	slices.Sort(names)
	for _, name := range names {
		switch lower := strings.ToLower(name); {
		case lower == "forwarded", lower == "via", lower == "x-real-ip", lower == "true-client-ip",
			strings.HasPrefix(lower, "x-forwarded-"), strings.HasPrefix(lower, "cf-"), strings.HasPrefix(lower, "ngrok-"):
			return name
		}
	}
	return ""
}
