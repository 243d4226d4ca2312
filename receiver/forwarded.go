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
// (https://developers.cloudflare.com/fundamentals/reference/http-headers/),
// ngrok's Ngrok-*, or the client address headers of other proxies and
// platforms: X-Client-Ip, X-Cluster-Client-Ip, X-Original-* (as
// X-Original-Forwarded-For), Envoy's X-Envoy-*
// (https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers),
// Fly.io's Fly-* (https://fly.io/docs/networking/request-headers/),
// Fastly's Fastly-Client-Ip
// (https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Client-IP/)
// and Tailscale's Tailscale-* (Funnel and Serve:
// https://tailscale.com/kb/1312/serve#identity-headers).
func forwardingHeader(h http.Header) string {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	// The first in order, so the refusal names the same header every time.
	slices.Sort(names)
	for _, name := range names {
		if forwardingName(strings.ToLower(name)) {
			return name
		}
	}
	return ""
}

func forwardingName(lower string) bool {
	switch lower {
	case "forwarded", "via", "x-real-ip", "true-client-ip", "x-client-ip", "x-cluster-client-ip", "fastly-client-ip":
		return true
	}
	for _, prefix := range forwardingPrefixes {
		if strings.HasPrefix(lower, prefix) {
			return true
		}
	}
	return false
}

// forwardingPrefixes start the names of header families only proxies,
// tunnels and hosting platforms add.
var forwardingPrefixes = []string{"x-forwarded-", "x-original-", "x-envoy-", "cf-", "ngrok-", "fly-", "tailscale-"}
