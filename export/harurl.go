package export

import (
	"net/url"
	"strings"

	"hookscope/store"
)

// harURL is an entry's request.url: the URL the sender called, which HAR
// 1.2 requires to be an absolute URL. Two requests a receiver takes in have
// none as they stand:
//
//   - OPTIONS * (asterisk-form) asks about the server as a whole; its target
//     URI is the origin with an empty path (RFC 9112 §3.2.4, §3.3), and
//     "origin*" is no URL. splitTarget reads the empty path back as "*".
//   - a Host that is no URL authority ("127.0.0.1:8787:9": net/http takes
//     any Host made of the bytes a host may hold). The URL then names
//     localhost, as for a request without Host, and the Host header, written
//     as received, keeps the Host: ReadHAR takes it from there.
func harURL(c *store.Capture, baseURL string) string {
	base, path, target := targetURL(c, baseURL)
	if path == "*" && c.RawQuery == "" {
		target = base
	}
	if absoluteURL(target) || baseURL != "" || c.Host == "" {
		return target
	}
	noHost := *c
	noHost.Host = ""
	return harURL(&noHost, baseURL)
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

// requestTarget is the path a HAR request.url stands for: "*" for OPTIONS
// with an empty path and no query (asterisk-form, RFC 9112 §3.2.4), "/" for
// any other empty path (§3.2.1), the path as escaped otherwise.
func requestTarget(method, path, query string) string {
	switch {
	case path != "":
		return path
	case strings.EqualFold(method, "OPTIONS") && query == "":
		return "*"
	default:
		return "/"
	}
}
