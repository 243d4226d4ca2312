// Package tunnel gives the receiver a public URL: it starts a tunnel
// (cloudflared quick tunnel, ngrok, or a URL the user already has), watches
// it, restarts it when it drops and says what state it is in. It never serves
// the local API: providers are handed the capture-only handler.
package tunnel

import (
	"context"
	"net/http"
	"time"
)

// Provider names, as stored in preferences, given to --tunnel and used in
// the API.
const (
	Off         = ""
	Cloudflared = "cloudflared"
	Ngrok       = "ngrok"
	Custom      = "custom"
)

// Status is where a tunnel is in its life.
type Status string

const (
	StatusOff          Status = "off"
	StatusStarting     Status = "starting"
	StatusOnline       Status = "online"
	StatusReconnecting Status = "reconnecting"
	StatusFailed       Status = "failed"
)

// State is what the window, the headless line and the API show.
type State struct {
	Provider string // Off, Cloudflared, Ngrok or Custom
	Status   Status //
	URL      string // public base URL ("https://…"), "" until online
	// Target is the local capture-only address the tunnel delivers to
	// ("127.0.0.1:PORT"), "" when the provider needs none (ngrok serves
	// in-process).
	Target string
	Err    string // why it failed or is reconnecting, in words
	Hint   string // what the user can do about Err, in the window's words
	// HeadlessHint is Hint in the words of --headless, which has flags and
	// environment variables instead of Settings; "" when Hint fits both.
	HeadlessHint string
	Since        time.Time // when Status or Provider last changed
	// PreviousURL is the public URL that no longer works: on an online
	// state, the one before a restart brought a new URL (a quick tunnel
	// gets a new one each start); on a starting or off state, the one the
	// switch stopped.
	PreviousURL string
	// RetryIn, Attempt and MaxAttempts describe a restart after the tunnel
	// stopped on its own: the wait before it, its number in this run of
	// failures and the number after which the manager gives up (0 when no
	// limit applies because the tunnel came online in between).
	RetryIn     time.Duration
	Attempt     int
	MaxAttempts int
}

// Config chooses a provider and holds what it needs.
type Config struct {
	Provider string
	// CloudflaredPath is the cloudflared binary; "" looks it up on PATH.
	CloudflaredPath string
	// NgrokAuthtoken is a secret: never logged, never returned by the API.
	NgrokAuthtoken string
	// NgrokDomain is an optional fixed domain ("example.ngrok.app").
	NgrokDomain string
	// CustomURL is a public URL the user runs themselves (Tailscale Funnel,
	// a named Cloudflare tunnel, a reverse proxy).
	CustomURL string
	// CustomAddr is the loopback address their tunnel should deliver to,
	// where only captures are served; "" is DefaultCustomAddr.
	CustomAddr string
}

// Provider runs one kind of tunnel.
type Provider interface {
	// Run starts the tunnel in front of h and reports its state through
	// report until ctx ends or the tunnel fails; it returns only when
	// everything it started has stopped. A nil error after ctx ended is a
	// normal stop. report may be called from any goroutine until Run
	// returns, never after.
	Run(ctx context.Context, h http.Handler, report func(State)) error
}
