package delivery

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// HopHeader marks every request Hookscope sends (forwards, replays, test
// events) with how many Hookscope hops it has made. A capture that carries
// it came from a Hookscope — this one through a tunnel, or another — and is
// never forwarded again: a webhook pointing back at the receiver would
// otherwise capture and forward its own forwards for ever.
const HopHeader = "X-Hookscope-Forwarded"

// maxHops caps the count written, so a forged header cannot overflow it.
const maxHops = 1000

// Hops is the hop count a header carries: 0 without HopHeader, at least 1
// with it (a value that is not a positive number still says Hookscope, or
// someone posing as it, sent the request).
func Hops(h http.Header) int {
	v, ok := h[HopHeader]
	if !ok || len(v) == 0 {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(v[0]))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxHops)
}

// markHop sets HopHeader on h to one more hop than it says.
func markHop(h http.Header) {
	h[HopHeader] = []string{strconv.Itoa(min(Hops(h)+1, maxHops))}
}

// OwnReceiverMessage says why a webhook may not point at the receiver.
const OwnReceiverMessage = "this URL is Hookscope's own receiver: forwarding to it would capture its own forwards"

// PointsAt reports whether targetURL reaches the receiver listening on
// listenAddr ("host:port", as net.Listen was given or reports it): the same
// port, and a host that is the listen address itself, or — when the
// receiver listens on loopback or everywhere — a loopback address,
// "localhost" (RFC 6761 §6.3: every *.localhost name is loopback) or an
// unspecified address (connecting to 0.0.0.0 or :: reaches this machine),
// or — when it listens everywhere (0.0.0.0, ::) — any of this machine's
// interface addresses or its host name. It resolves no name: the check runs
// on every keystroke of the project editor, and a name resolved to this
// machine by DNS is left to HopHeader.
func PointsAt(targetURL, listenAddr string) bool {
	lhost, lport, err := net.SplitHostPort(listenAddr)
	if err != nil || lport == "" || lport == "0" {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(targetURL))
	if err != nil || u.Host == "" {
		return false
	}
	if port(u) != lport {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	listen := listenKind(lhost)
	target, isIP := parseIP(host)
	switch {
	case isIP && listen.ip.IsValid() && target == listen.ip:
		return true
	case listen.everywhere || listen.loopback:
		if isLocalhost(host) || (isIP && (target.IsLoopback() || target.IsUnspecified())) {
			return true
		}
	}
	if !listen.everywhere {
		return false
	}
	if isIP {
		return isInterfaceAddr(target)
	}
	name, err := os.Hostname()
	return err == nil && strings.EqualFold(strings.TrimSuffix(name, "."), host)
}

// port is the URL's port, or its scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

type listenHost struct {
	ip                   netip.Addr // invalid for a name or everywhere
	everywhere, loopback bool
}

func listenKind(host string) listenHost {
	if host == "" {
		return listenHost{everywhere: true} // ":8787"
	}
	if isLocalhost(strings.ToLower(host)) {
		return listenHost{loopback: true}
	}
	ip, ok := parseIP(host)
	if !ok {
		return listenHost{}
	}
	return listenHost{ip: ip, everywhere: ip.IsUnspecified(), loopback: ip.IsLoopback()}
}

// parseIP parses an address without brackets or zone, mapping IPv4-in-IPv6
// ("::ffff:127.0.0.1") to IPv4.
func parseIP(host string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return ip.WithZone("").Unmap(), true
}

func isLocalhost(host string) bool {
	host = strings.TrimSuffix(host, ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// isInterfaceAddr reports whether ip is one of this machine's addresses.
func isInterfaceAddr(ip netip.Addr) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		var raw net.IP
		switch v := a.(type) {
		case *net.IPNet:
			raw = v.IP
		case *net.IPAddr:
			raw = v.IP
		}
		if got, ok := netip.AddrFromSlice(raw); ok && got.Unmap() == ip {
			return true
		}
	}
	return false
}
