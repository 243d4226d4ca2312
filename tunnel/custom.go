package tunnel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// DefaultCustomAddr is where a tunnel the user runs themselves should
// deliver: next to the receiver's default 8787, serving captures only.
const DefaultCustomAddr = "127.0.0.1:8788"

// customURLHint is shown for a URL that cannot be a public base URL.
const customURLHint = "enter the public base URL your tunnel gives you, such as https://my-machine.tailnet.ts.net"

// CustomProvider is a public URL the user runs themselves (Tailscale
// Funnel, a named Cloudflare tunnel, a reverse proxy): Hookscope serves
// captures only on Addr for it to deliver to, and shows URL.
type CustomProvider struct {
	URL  string // validated public base URL, without a trailing "/"
	Addr string // capture-only listener
}

// NewCustomProvider validates rawURL (an absolute http or https URL with a
// host, no query, no fragment) and addr ("" is DefaultCustomAddr).
func NewCustomProvider(rawURL, addr string) (*CustomProvider, error) {
	if err := Validate(Config{Provider: Custom, CustomURL: rawURL, CustomAddr: addr}); err != nil {
		return nil, err
	}
	u, _ := ValidateCustomURL(rawURL)
	if addr == "" {
		addr = DefaultCustomAddr
	}
	return &CustomProvider{URL: u, Addr: addr}, nil
}

// ValidateCustomURL checks a public base URL and returns it without a
// trailing "/". A loopback or unspecified host is refused (it is not
// public: a sender elsewhere cannot reach it), and so are credentials in
// the URL, which Hookscope would print and show.
func ValidateCustomURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("your own public URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("your own public URL %q does not parse: %w", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("your own public URL %q must start with https:// or http://", raw)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("your own public URL %q has no host", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("your own public URL %q has a query: give the base URL only", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("your own public URL %q has a fragment: give the base URL only", raw)
	case u.User != nil:
		// Never quote it back: it holds a credential.
		return "", errors.New("your own public URL has a user name or password in it: give the base URL only")
	case notPublic(u.Hostname()):
		return "", fmt.Errorf("your own public URL %q names this machine, which senders elsewhere cannot reach: give the URL your tunnel gives you", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// notPublic: localhost, a loopback or an unspecified address.
func notPublic(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// Run implements Provider.
func (p *CustomProvider) Run(ctx context.Context, h http.Handler, report func(State)) error {
	ln, err := net.Listen("tcp", p.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return &Permanent{
				Err:          fmt.Errorf("listen on %s for your own URL: the address is already in use", p.Addr),
				Hint:         "stop what listens there, or choose another address for your own URL in Settings",
				HeadlessHint: "stop what listens there, or pass another --tunnel-addr HOST:PORT",
			}
		}
		return &Permanent{Err: fmt.Errorf("listen on %s for your own URL: %w", p.Addr, err), Hint: "choose another address for your own URL in Settings", HeadlessHint: "pass another --tunnel-addr HOST:PORT"}
	}
	stop := serveCaptures(ln, h)
	defer stop()
	report(State{Status: StatusOnline, URL: p.URL, Target: ln.Addr().String()})
	<-ctx.Done()
	return nil
}
