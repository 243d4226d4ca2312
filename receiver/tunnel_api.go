package receiver

import (
	"net/http"
	"time"

	"hookscope/tunnel"
)

// TunnelJSON is the public URL's state in the API.
type TunnelJSON struct {
	Provider string `json:"provider"`
	Status   string `json:"status"`
	URL      string `json:"url"`
	Target   string `json:"target"`
	Error    string `json:"error"`
	Hint     string `json:"hint"`
	Since    string `json:"since"`
	// PreviousURL is the public URL that no longer works (see
	// tunnel.State.PreviousURL).
	PreviousURL string `json:"previous_url,omitempty"`
	// RetryInMS is the wait before a restart, in milliseconds.
	RetryInMS int64 `json:"retry_in_ms,omitempty"`
}

// NewTunnelJSON converts a tunnel state.
func NewTunnelJSON(s tunnel.State) TunnelJSON {
	out := TunnelJSON{
		Provider: s.Provider, Status: string(s.Status), URL: s.URL, Target: s.Target, Error: s.Err, Hint: s.Hint,
		PreviousURL: s.PreviousURL, RetryInMS: s.RetryIn.Milliseconds(),
	}
	if !s.Since.IsZero() {
		out.Since = s.Since.UTC().Format(time.RFC3339Nano)
	}
	return out
}

// TunnelRequestJSON is the body of PUT /tunnel. Provider is required ("" to
// switch off); an absent field keeps the value in force, so the authtoken,
// which is never returned, need not be sent again.
type TunnelRequestJSON struct {
	Provider        *string `json:"provider"`
	URL             *string `json:"url,omitempty"`
	Addr            *string `json:"addr,omitempty"`
	Authtoken       *string `json:"authtoken,omitempty"`
	Domain          *string `json:"domain,omitempty"`
	CloudflaredPath *string `json:"cloudflared_path,omitempty"`
}

// SetTunnel gives the API the manager of the public URL; nil removes it.
func (s *Server) SetTunnel(m *tunnel.Manager) { s.tunnelMgr.Store(m) }

func (a *localAPI) tunnelRoutes(mux *http.ServeMux) {
	const p = "/_hookscope/api"
	mux.HandleFunc("GET "+p+"/tunnel", a.getTunnel)
	mux.HandleFunc("PUT "+p+"/tunnel", a.putTunnel)
}

// tunnelManager answers 503 itself when there is none.
func (a *localAPI) tunnelManager(w http.ResponseWriter) (*tunnel.Manager, bool) {
	m := a.tunnel.Load()
	if m == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "this Hookscope runs no public URL manager")
		return nil, false
	}
	return m, true
}

func (a *localAPI) getTunnel(w http.ResponseWriter, r *http.Request) {
	if m, ok := a.tunnelManager(w); ok {
		writeJSON(w, http.StatusOK, NewTunnelJSON(m.State()))
	}
}

func (a *localAPI) putTunnel(w http.ResponseWriter, r *http.Request) {
	m, ok := a.tunnelManager(w)
	if !ok {
		return
	}
	var req TunnelRequestJSON
	if err := decodeJSONObject(http.MaxBytesReader(w, r.Body, 64<<10), &req); err != nil {
		if bodyTooLarge(err) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "the tunnel JSON is larger than 64 KiB")
			return
		}
		writeJSONError(w, http.StatusBadRequest, "bad tunnel JSON: "+err.Error())
		return
	}
	if req.Provider == nil {
		writeJSONError(w, http.StatusBadRequest, `"provider" is required: "cloudflared", "ngrok", "custom" or "" to switch off`)
		return
	}
	cfg := m.Config()
	cfg.Provider = *req.Provider
	keep(&cfg.CustomURL, req.URL)
	keep(&cfg.CustomAddr, req.Addr)
	keep(&cfg.NgrokAuthtoken, req.Authtoken)
	keep(&cfg.NgrokDomain, req.Domain)
	keep(&cfg.CloudflaredPath, req.CloudflaredPath)
	// Set validates before it stops anything: a refused config leaves the
	// tunnel and its settings as they were. Its answer is the new
	// config's state (starting, or off), not the old tunnel's.
	if err := m.Set(cfg); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, NewTunnelJSON(m.State()))
}

// keep sets *dst to *src when the field was sent.
func keep(dst, src *string) {
	if src != nil {
		*dst = *src
	}
}

// tunnelStates follows the manager's state for an event stream: the
// channel holds the latest state not yet sent. Without a manager it never
// receives.
// The state in force is the first, so a client knows it from the start.
func (a *localAPI) tunnelStates() (<-chan tunnel.State, func()) {
	ch := make(chan tunnel.State, 1)
	m := a.tunnel.Load()
	if m == nil {
		return ch, func() {}
	}
	defer func() {
		select { // unless a newer one came since Subscribe
		case ch <- m.State():
		default:
		}
	}()
	stop := m.Subscribe(func(st tunnel.State) {
		for {
			select {
			case ch <- st:
				return
			default:
				select { // a newer state replaces the unsent one
				case <-ch:
				default:
				}
			}
		}
	})
	return ch, stop
}
