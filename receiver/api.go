package receiver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"hookscope/delivery"
	"hookscope/projects"
	"hookscope/store"
	"hookscope/tunnel"
)

// SummaryJSON is a capture's list entry in the API.
type SummaryJSON struct {
	ID          string         `json:"id"`
	ReceivedAt  string         `json:"received_at"`
	Method      string         `json:"method"`
	Path        string         `json:"path"`
	Project     string         `json:"project"`
	Size        int            `json:"size"`
	ContentType string         `json:"content_type"`
	Truncated   bool           `json:"truncated"`
	Signature   *SignatureJSON `json:"signature,omitempty"`
	// Via names the public tunnel the capture came through, if any.
	Via string `json:"via,omitempty"`
}

// SignatureJSON is the outcome of a capture's signature check.
type SignatureJSON struct {
	Scheme   string `json:"scheme"`
	Status   string `json:"status"`
	Detected bool   `json:"detected"`
	Reason   string `json:"reason,omitempty"`
	Received string `json:"received,omitempty"`
	Computed string `json:"computed,omitempty"`
	Hint     string `json:"hint,omitempty"`
}

// CaptureJSON is one whole capture in the API.
type CaptureJSON struct {
	SummaryJSON
	Headers    http.Header  `json:"headers"`
	BodyBase64 string       `json:"body_base64"`
	Response   ResponseJSON `json:"response"`
	// AnsweredBy says which response rule answered and what it did
	// (action: respond, drop, hang, reset or partial); absent when no rules
	// were asked.
	AnsweredBy *store.AnsweredBy `json:"answered_by,omitempty"`
}

// ResponseJSON is what the receiver answered the capture with.
type ResponseJSON struct {
	Status int `json:"status"`
}

// ListJSON is a page of captures, newest first.
type ListJSON struct {
	Captures []SummaryJSON `json:"captures"`
	Next     string        `json:"next"`
}

// NewSummaryJSON converts a store summary.
func NewSummaryJSON(s store.Summary) SummaryJSON {
	out := SummaryJSON{
		ID:          s.ID.String(),
		ReceivedAt:  s.ReceivedAt.UTC().Format(time.RFC3339Nano),
		Method:      s.Method,
		Path:        s.URI(),
		Project:     s.Project,
		Size:        s.Size,
		ContentType: s.ContentType,
		Truncated:   s.Truncated,
		Via:         s.Via,
	}
	if s.SignatureStatus != "" {
		out.Signature = &SignatureJSON{Status: s.SignatureStatus, Scheme: s.SignatureScheme, Detected: s.SignatureDetected}
	}
	return out
}

// NewCaptureJSON converts a whole capture.
func NewCaptureJSON(c *store.Capture) CaptureJSON {
	out := CaptureJSON{
		SummaryJSON: NewSummaryJSON(c.Summary()),
		Headers:     c.Header,
		BodyBase64:  base64.StdEncoding.EncodeToString(c.Body),
		Response:    ResponseJSON{Status: c.Response.Status},
		AnsweredBy:  c.AnsweredBy,
	}
	if out.Headers == nil {
		out.Headers = http.Header{}
	}
	if sig := c.Signature; sig.Status != "" {
		out.Signature = &SignatureJSON{
			Scheme: sig.Scheme, Status: sig.Status, Detected: sig.Detected, Reason: sig.Reason,
			Received: sig.Received, Computed: sig.Computed, Hint: sig.Hint,
		}
	}
	return out
}

const maxPage = 1000

// localAPI serves /_hookscope/api: captures, projects, replays and the
// public URL, from the parts the server was built with.
type localAPI struct {
	store    *store.Store
	book     *projects.Book
	delivery *delivery.Client
	addr     func() string // where the receiver listens: webhooks must not point at it
	maxBody  *atomic.Int64
	tunnel   *atomic.Pointer[tunnel.Manager]
}

func (s *Server) localAPI() *localAPI {
	return &localAPI{store: s.store, book: s.book, delivery: s.opts.Delivery, addr: s.Addr, maxBody: &s.maxBody, tunnel: &s.tunnelMgr}
}

func (s *Server) apiHandler() http.Handler {
	a := s.localAPI()
	mux := http.NewServeMux()
	const p = "/_hookscope/api"
	mux.HandleFunc("GET "+p+"/captures", a.listCaptures)
	mux.HandleFunc("DELETE "+p+"/captures", a.clearCaptures)
	mux.HandleFunc("GET "+p+"/captures/{id}", a.getCapture)
	mux.HandleFunc("DELETE "+p+"/captures/{id}", a.deleteCapture)
	mux.HandleFunc("POST "+p+"/captures/{id}/verify", a.verifyCapture)
	mux.HandleFunc("GET "+p+"/events", a.events)
	a.projectRoutes(mux)
	a.replayRoutes(mux)
	a.tunnelRoutes(mux)
	a.ruleRoutes(mux)
	a.queryRoutes(mux)
	a.compareRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return loopbackOnly(notForwarded(mux))
}

// loopbackOnly keeps the API to this machine even when the receiver listens
// on every interface: captures can hold secrets.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			writeJSONError(w, http.StatusForbidden, "the Hookscope API answers loopback clients only")
			return
		}
		if name := forwardingHeader(r.Header); name != "" {
			writeJSONError(w, http.StatusForbidden, "the Hookscope API refuses requests that came through a proxy or tunnel ("+name+")")
			return
		}
		// A web page in the user's browser is a loopback client too: refuse
		// requests it could make (a cross-origin "simple" POST, or a
		// DNS-rebound host name), which could read secrets or send captures
		// anywhere through replay.
		if !loopbackName(r.Host) {
			writeJSONError(w, http.StatusForbidden, "the Hookscope API answers requests addressed to localhost or a loopback address only")
			return
		}
		// A page of any other origin — a local dev server on localhost:3000
		// included — may send a simple POST without a preflight: only a
		// page served by this API's own host and port is let through.
		if origin := r.Header.Get("Origin"); origin != "" {
			u, err := url.Parse(origin)
			if err != nil || !strings.EqualFold(u.Host, r.Host) {
				writeJSONError(w, http.StatusForbidden, "the Hookscope API refuses requests from web pages of other origins")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackName reports whether a Host value names this machine's loopback.
func loopbackName(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (a *localAPI) listCaptures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPage {
			writeJSONError(w, http.StatusBadRequest, "limit must be a number from 1 to 1000")
			return
		}
		limit = n
	}
	var before store.ID
	if v := q.Get("before"); v != "" {
		id, err := store.ParseID(v)
		if err != nil {
			writeJSONError(w, http.StatusBadRequest, "bad cursor: "+err.Error())
			return
		}
		before = id
	}
	f, ok := queryFilter(w, r)
	if !ok {
		return
	}
	f.Method, f.Project = q.Get("method"), q.Get("project")
	page, next, err := a.store.List(f, before, limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := ListJSON{Captures: make([]SummaryJSON, 0, len(page)), Next: next.String()}
	for _, sum := range page {
		out.Captures = append(out.Captures, NewSummaryJSON(sum))
	}
	writeJSON(w, http.StatusOK, out)
}

// captureID reads the {id} path value, answering 400 or 404 itself.
func (a *localAPI) captureID(w http.ResponseWriter, r *http.Request) (store.ID, bool) {
	id, err := store.ParseID(r.PathValue("id"))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return 0, false
	}
	return id, true
}

// pathCapture loads the capture the {id} path value names, answering 400 or
// 404 itself.
func (a *localAPI) pathCapture(w http.ResponseWriter, r *http.Request) (*store.Capture, bool) {
	id, ok := a.captureID(w, r)
	if !ok {
		return nil, false
	}
	c, err := a.store.Get(id)
	if err != nil {
		writeError(w, err)
		return nil, false
	}
	return c, true
}

func (a *localAPI) getCapture(w http.ResponseWriter, r *http.Request) {
	if c, ok := a.pathCapture(w, r); ok {
		writeJSON(w, http.StatusOK, NewCaptureJSON(c))
	}
}

func (a *localAPI) verifyCapture(w http.ResponseWriter, r *http.Request) {
	id, ok := a.captureID(w, r)
	if !ok {
		return
	}
	c, err := a.book.Verify(id)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, NewCaptureJSON(c))
}

func (a *localAPI) deleteCapture(w http.ResponseWriter, r *http.Request) {
	id, ok := a.captureID(w, r)
	if !ok {
		return
	}
	if err := a.store.Delete(id); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *localAPI) clearCaptures(w http.ResponseWriter, r *http.Request) {
	if err := a.store.Clear(); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// events streams one Server-Sent Event per new capture ("capture") and
// per change of the public URL's state ("tunnel"), the state in force
// first. The stream ends when the receiver stops: Shutdown waits for
// every request to finish, and this one never would.
func (a *localAPI) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeJSONError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	// The server's read deadline would end a long-lived stream.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	sub := a.store.Subscribe()
	defer sub.Close()
	tunnelStates, stopTunnel := a.tunnelStates()
	defer stopTunnel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(": hookscope live captures\n\n"))
	flusher.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	stopping := shuttingDown(r.Context())
	for {
		select {
		case <-r.Context().Done():
			return
		case <-stopping:
			return
		case <-keepAlive.C:
			w.Write([]byte(": keep-alive\n\n"))
			flusher.Flush()
		case st := <-tunnelStates:
			var data bytes.Buffer
			enc := json.NewEncoder(&data)
			enc.SetEscapeHTML(false)
			enc.Encode(NewTunnelJSON(st)) // ends in "\n"
			w.Write([]byte("event: tunnel\ndata: "))
			w.Write(data.Bytes())
			w.Write([]byte("\n"))
			flusher.Flush()
		case e, open := <-sub.Events():
			if !open {
				return
			}
			if e.Type != store.Added {
				continue
			}
			var data bytes.Buffer
			enc := json.NewEncoder(&data)
			enc.SetEscapeHTML(false)
			enc.Encode(NewSummaryJSON(e.Summary)) // ends in "\n"
			w.Write([]byte("event: capture\nid: " + e.ID.String() + "\ndata: "))
			w.Write(data.Bytes())
			w.Write([]byte("\n"))
			flusher.Flush()
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The API is read by people and tools, not embedded in HTML: "&" in a
	// query string should read as "&", not "\u0026".
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
