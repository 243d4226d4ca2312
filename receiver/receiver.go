// Package receiver is the HTTP side of Hookscope: it captures every request
// into the store before answering, and serves the local API under
// /_hookscope/api/ to loopback clients.
package receiver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"hookscope/delivery"
	"hookscope/projects"
	"hookscope/projects/rules"
	"hookscope/store"
	"hookscope/tunnel"
)

// ReservedPrefix is the path prefix Hookscope keeps for itself; requests
// under it are never captured.
const ReservedPrefix = "/_hookscope/"

// CaptureIDHeader carries the ID of the capture in every capture answer.
const CaptureIDHeader = "X-Hookscope-Capture-Id"

// DefaultMaxBody is the largest body stored whole (10 MiB).
const DefaultMaxBody = 10 << 20

// MaxHeaderBytes bounds the request line and headers; above it the server
// answers 431.
const MaxHeaderBytes = 1 << 20

// Options configure a Server. Zero values take the defaults.
type Options struct {
	MaxBody           int64         // default DefaultMaxBody
	ReadHeaderTimeout time.Duration // default 10 s: a client that trickles headers is cut off
	ReadTimeout       time.Duration // default 60 s for the whole request, body included
	IdleTimeout       time.Duration // default 120 s between keep-alive requests
	Now               func() time.Time
	Delivery          *delivery.Client // sends test events; default: a client on the server's store
	// Projects classifies captures and saves projects for the API; default:
	// a book on the server's store.
	Projects *projects.Book
	// ForwardQueue and ForwardQueueBytes bound the captures waiting to be
	// forwarded, or being sent (default DefaultForwardQueue and
	// DefaultForwardQueueBytes); one that does not fit is recorded as a
	// failed forward instead.
	ForwardQueue      int
	ForwardQueueBytes int64
}

// Server captures requests into a store. Start and Stop may be called again
// to move it to another address.
type Server struct {
	store   *store.Store
	book    *projects.Book
	opts    Options
	api     http.Handler
	maxBody atomic.Int64 // settable while serving
	// forwards' work ends when the store closes (the book's life).
	forwards *forwardQueue
	// tunnelMgr runs the public URL; the API reads and switches it.
	tunnelMgr atomic.Pointer[tunnel.Manager]

	mu   sync.Mutex
	srv  *http.Server
	addr string
}

// New returns a server that stores into st. It does not listen until Start.
func New(st *store.Store, opts Options) *Server {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.ReadHeaderTimeout <= 0 {
		opts.ReadHeaderTimeout = 10 * time.Second
	}
	if opts.ReadTimeout <= 0 {
		opts.ReadTimeout = 60 * time.Second
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 120 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Delivery == nil {
		opts.Delivery = &delivery.Client{Store: st}
	}
	if opts.Projects == nil {
		opts.Projects = projects.New(st)
	}
	s := &Server{store: st, book: opts.Projects, opts: opts}
	// When the store closes, queued forwards are dropped.
	s.forwards = newForwardQueue(s.book.Life(), opts.ForwardQueue, opts.ForwardQueueBytes, s.sendForward, s.recordNotForwarded)
	s.maxBody.Store(opts.MaxBody)
	s.api = s.apiHandler()
	return s
}

// Delivery is the client that sends test events, forwards and replays.
func (s *Server) Delivery() *delivery.Client { return s.opts.Delivery }

// Projects is the book the server classifies captures with.
func (s *Server) Projects() *projects.Book { return s.book }

// forward queues a capture to be sent on to its project's webhook when the
// project asks for it and Hookscope did not send it itself. It never delays
// the receiver's own answer.
func (s *Server) forward(c *store.Capture) {
	p, ok := s.book.Get(c.Project)
	if !forwardable(p, ok, c) {
		return
	}
	s.startForward(p, c)
}

// startForward is apart from forward so that only captures that are
// forwarded pay for the project and capture copies the queue keeps.
func (s *Server) startForward(p store.Project, c *store.Capture) {
	j := &forwardJob{project: p, capture: *c}
	j.capture.Header = c.Header.Clone() // the request's map is reused after the handler returns
	j.size = jobSize(&j.capture)
	s.forwards.push(j)
}

// SetMaxBody changes the body limit for requests that start from now on.
func (s *Server) SetMaxBody(n int64) {
	if n <= 0 {
		n = DefaultMaxBody
	}
	s.maxBody.Store(n)
}

// MaxBody is the body limit in force.
func (s *Server) MaxBody() int64 { return s.maxBody.Load() }

// Handler is the whole HTTP surface: capture plus the local API.
// Requests whose framing is ambiguous are refused first (see framed).
func (s *Server) Handler() http.Handler { return framed(http.HandlerFunc(s.serveHTTP)) }

// Start listens on addr and serves in the background. A busy port is
// reported here, naming the address.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("receiver already listening on %s", s.addr)
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// Move listens on addr first and only then stops listening where it did, so
// an address that cannot be listened on leaves the receiver where it was,
// and captures in flight on the old address are stored and answered. A
// stopped receiver just starts.
func (s *Server) Move(ctx context.Context, addr string) error {
	if cur := s.Addr(); cur != "" && cur == addr {
		return nil
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	old := s.srv
	s.serve(ln)
	s.mu.Unlock()
	if old != nil {
		if err := old.Shutdown(ctx); err != nil {
			return fmt.Errorf("stop listening on the old address: %w", err)
		}
	}
	return nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("listen on %s: the address is already in use (is another Hookscope running?)", addr)
		}
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// shutdownKey holds, in a request's context, a channel closed when the
// server that serves it starts shutting down.
type shutdownKey struct{}

// shuttingDown is closed when the server serving the request with ctx
// shuts down; nil (never ready) for a server that does not say.
func shuttingDown(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(shutdownKey{}).(chan struct{})
	return ch
}

// serve starts an HTTP server on ln; s.mu is held.
func (s *Server) serve(ln net.Listener) {
	stopping := make(chan struct{})
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		ReadTimeout:       s.opts.ReadTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ConnContext:       framingContext,
		// net/http answers "OPTIONS *" (RFC 9110 §9.3.7: a request about
		// the server as a whole) itself unless told not to; a sender's
		// probe is a request like any other and is captured.
		DisableGeneralOptionsHandler: true,
		BaseContext: func(net.Listener) context.Context {
			return context.WithValue(context.Background(), shutdownKey{}, stopping)
		},
	}
	// Long-lived event streams end when Shutdown begins, so it waits for
	// captures in flight only.
	srv.RegisterOnShutdown(func() { close(stopping) })
	s.srv, s.addr = srv, ln.Addr().String()
	s.announce(s.addr)
	go srv.Serve(framingListener{ln})
}

// Addr is the address listened on ("" when stopped).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL is the base URL senders should use ("" when stopped).
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == "" {
		return ""
	}
	host, port, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Stop stops listening and waits (until ctx ends) for in-flight captures to
// be stored and answered, then for the forwards queued to be sent; those
// still waiting when ctx ends are canceled and recorded as not forwarded.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv := s.srv
	s.srv, s.addr = nil, ""
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	s.announce("")
	err := srv.Shutdown(ctx)
	s.forwards.drain(ctx)
	if err != nil {
		return fmt.Errorf("stop receiver: %w", err)
	}
	return nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, ReservedPrefix) || r.URL.Path+"/" == ReservedPrefix {
		s.api.ServeHTTP(w, r)
		return
	}
	s.capture(w, r, "")
}

// CaptureHandler serves captures exactly as Handler does, marking each with
// via (the tunnel it came through), and answers everything under
// ReservedPrefix 404 without capturing it. A tunnel delivers its requests
// from loopback, which the local API trusts: tunnels are pointed at this
// handler, never at Handler, so the API cannot be reached from outside.
func (s *Server) CaptureHandler(via string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, ReservedPrefix) || r.URL.Path+"/" == ReservedPrefix {
			// Only "not found": a scanner learns nothing of what runs here.
			writeJSONError(w, http.StatusNotFound, "not found")
			return
		}
		s.capture(w, r, via)
	})
}

// capture stores the request, then answers. Nothing is acknowledged before
// the store has it on disk. via names the tunnel it came through, if any.
func (s *Server) capture(w http.ResponseWriter, r *http.Request, via string) {
	if r.Method == http.MethodConnect {
		refuseConnect(w)
		return
	}
	received := s.opts.Now()
	limit := s.maxBody.Load()
	keepTrailerDeclaration(r)
	body, truncated, err := readBody(w, r, limit)
	if err != nil {
		// The client went away or stalled mid-body: nothing to acknowledge.
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("reading the body failed after %d bytes: %v", len(body), err))
		return
	}
	path, query := requestTarget(r)
	c := &store.Capture{
		ReceivedAt: received,
		Method:     r.Method,
		Path:       path,
		RawQuery:   query,
		Proto:      r.Proto,
		Host:       r.Host,
		RemoteAddr: r.RemoteAddr,
		Header:     r.Header,
		Body:       body,
		Truncated:  truncated,
		Via:        via,
		// The order the connection read the fields in: the header map
		// has none.
		HeaderOrder: headerOrder(r),
		// Transfer-Encoding is only ever ["chunked"] here: net/http
		// refuses any other coding.
		TransferEncoding: r.TransferEncoding,
		Trailer:          receivedTrailer(r),
	}
	c.ID = s.store.NewID(received)
	c.Response = defaultResponse(c.ID, truncated, limit)
	delay := s.prepare(c)
	plan := s.applyRules(c, delay)
	if c.Response.Status != 0 {
		// A truncated request's unread rest would be parsed as the next
		// request on a reused connection, so the answer closes it.
		completeAnswer(c.Response.Header, c.Response.Status, c.Response.Body, s.opts.Now(), truncated || r.Close)
	}
	// Stored before any rule acts: a dropped or hung answer loses nothing.
	if err := s.store.Put(c); err != nil {
		writeJSONError(w, http.StatusInternalServerError, "capture not stored: "+err.Error())
		return
	}
	s.forward(c)
	if plan != nil {
		if plan.action != rules.ActionRespond {
			s.actOnRule(w, r, c, plan)
			return
		}
		delay = plan.delay
	}
	h := w.Header()
	for name, vals := range c.Response.Header {
		h[name] = vals
	}
	if delay > 0 {
		// A project or rule may ask for a slow answer to test a sender's
		// timeouts; the capture is already stored.
		if !waitToAnswer(r, delay) {
			return
		}
	}
	w.WriteHeader(c.Response.Status)
	w.Write(c.Response.Body)
}

// refuseConnect answers CONNECT 405 without capturing it. CONNECT asks a
// proxy to open a tunnel to another host (RFC 9110, section 9.3.6): its
// target is an authority ("example.com:443"), not a path, so it names no
// project, cannot be replayed or exported as a request to this receiver,
// and no webhook sender sends one; it comes from a client that took
// Hookscope for a proxy, and is better told so than acknowledged.
func refuseConnect(w http.ResponseWriter) {
	w.Header().Set("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
	writeJSONError(w, http.StatusMethodNotAllowed, "CONNECT is not captured: Hookscope receives webhooks, it is not a proxy")
}

// defaultResponse is the receiver's own answer. It is built by hand: it runs
// for every capture, and its shape is fixed.
func defaultResponse(id store.ID, truncated bool, limit int64) store.Response {
	status := http.StatusOK
	var body []byte
	if truncated {
		status = http.StatusRequestEntityTooLarge
		body = fmt.Appendf(nil, `{"error":"body larger than %d bytes: stored the first %d bytes, flagged truncated","id":"%s"}`+"\n", limit, limit, id)
	} else {
		body = append(append([]byte(`{"ok":true,"id":"`), id.String()...), "\"}\n"...)
	}
	return store.Response{
		Status: status,
		Header: http.Header{
			"Content-Type":  {"application/json"},
			CaptureIDHeader: {id.String()},
		},
		Body: body,
	}
}

// readBody reads at most limit bytes. A longer body is cut at the limit and
// reported as truncated; MaxBytesReader stops the read without buffering the
// excess.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength >= 0 && r.ContentLength <= limit {
		// The length is known: one exact allocation, no growth copies.
		buf := make([]byte, r.ContentLength)
		n, err := io.ReadFull(body, buf)
		if err == nil {
			// A body longer than it said would be a protocol error the
			// server already rejects; nothing more to read.
			return buf, false, nil
		}
		return buf[:n], false, bodyError(err, r.ContentLength)
	}
	var buf bytes.Buffer
	_, err := buf.ReadFrom(body)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return buf.Bytes(), false, nil
	case errors.As(err, &tooBig):
		return buf.Bytes(), true, nil
	default:
		return buf.Bytes(), false, bodyError(err, r.ContentLength)
	}
}

// bodyError says why a body stopped arriving: the client went away, or it
// was too slow and the server's read timeout ended the request.
func bodyError(err error, declared int64) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return errors.New("the client sent its body too slowly; the receiver's read timeout ended the request")
	}
	if declared > 0 {
		return fmt.Errorf("the client closed the connection before sending the %d bytes it announced", declared)
	}
	return fmt.Errorf("the client closed the connection early: %w", err)
}

// requestTarget splits the request target as the client sent it, so an
// encoded path ("/a%2Fb") is kept exactly for display and replay.
func requestTarget(r *http.Request) (path, query string) {
	if strings.HasPrefix(r.RequestURI, "/") {
		path, query, _ = strings.Cut(r.RequestURI, "?")
		return path, query
	}
	return r.URL.EscapedPath(), r.URL.RawQuery
}
