package tunnel

import "strings"

// AddedHeader reports whether a request header named name was (most likely)
// added by the tunnel provider a capture came through, so the window can mark
// it rather than let it pass for the sender's. provider is a Capture's Via
// ("cloudflared", "ngrok", "custom"); "" (sent to the local receiver) adds
// nothing.
func AddedHeader(provider, name string) bool {
	n := strings.ToLower(name)
	switch provider {
	case Cloudflared:
		return cloudflareAdded(n) || forwardedAdded(n)
	case Ngrok:
		return strings.HasPrefix(n, "ngrok-") || forwardedAdded(n)
	case Custom:
		// A tunnel the user runs: a named Cloudflare tunnel, ngrok, a
		// reverse proxy. Mark what any of them is known to add.
		return cloudflareAdded(n) || strings.HasPrefix(n, "ngrok-") || forwardedAdded(n) || n == "forwarded"
	}
	return false
}

// cloudflareAdded: Cloudflare's edge adds CF-Connecting-IP, CF-IPCountry,
// CF-Ray, CF-Visitor, CDN-Loop (and CF-Connecting-IPv6, CF-Pseudo-IPv4 when
// configured) — https://developers.cloudflare.com/fundamentals/reference/http-headers/
// — and cloudflared adds Cf-Warp-Tag-Id.
func cloudflareAdded(n string) bool {
	return strings.HasPrefix(n, "cf-") || n == "cdn-loop"
}

// forwardedAdded: X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host
// are set by both tunnels (https://ngrok.com/docs/http/ and the Cloudflare
// page above).
func forwardedAdded(n string) bool {
	return strings.HasPrefix(n, "x-forwarded-")
}
