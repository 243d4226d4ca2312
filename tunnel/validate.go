package tunnel

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Hints for a Config Validate refuses, in the window's words and in those
// of --headless.
const (
	unknownProviderHint = "choose cloudflared, ngrok or your own URL"
	customAddrHint      = "use an address such as " + DefaultCustomAddr
	customAddrHeadless  = "pass --tunnel-addr HOST:PORT, such as " + DefaultCustomAddr
	ngrokDomainHint     = "give the domain ngrok reserved for you, such as example.ngrok.app"
)

// Validate checks what can be checked of cfg before anything is stopped or
// started: a known provider, a well-formed URL and address for your own
// URL, an authtoken for ngrok. Its errors are *Permanent, with a hint.
// Whether a cloudflared binary exists is left to the start, which says so.
func Validate(cfg Config) error {
	switch cfg.Provider {
	case Off, Cloudflared:
		return nil
	case Ngrok:
		if strings.TrimSpace(cfg.NgrokAuthtoken) == "" {
			return &Permanent{Err: errors.New("ngrok needs your authtoken"), Hint: NgrokHint, HeadlessHint: NgrokHeadlessHint}
		}
		if d := strings.TrimSpace(cfg.NgrokDomain); d != "" {
			if err := validateNgrokDomain(d); err != nil {
				return &Permanent{Err: err, Hint: ngrokDomainHint}
			}
		}
		return nil
	case Custom:
		if _, err := ValidateCustomURL(cfg.CustomURL); err != nil {
			return &Permanent{Err: err, Hint: customURLHint}
		}
		if err := validateCustomAddr(cfg.CustomAddr); err != nil {
			return &Permanent{Err: err, Hint: customAddrHint, HeadlessHint: customAddrHeadless}
		}
		return nil
	}
	return &Permanent{Err: fmt.Errorf("unknown tunnel provider %q", cfg.Provider), Hint: unknownProviderHint}
}

// validateCustomAddr checks the capture-only address: host:port with a port
// number ("" is DefaultCustomAddr).
func validateCustomAddr(addr string) error {
	if addr == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 1 || n > 65535 {
			err = fmt.Errorf("port %q is not a number from 1 to 65535", port)
		}
	}
	if err != nil {
		return fmt.Errorf("the address for your own URL %q is not host:port: %w", addr, err)
	}
	return nil
}

// validateNgrokDomain accepts "example.ngrok.app" or "https://example.ngrok.app".
func validateNgrokDomain(d string) error {
	raw := d
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || strings.ContainsAny(d, " \t") {
		return fmt.Errorf("the ngrok domain %q is not a domain name", d)
	}
	return nil
}
