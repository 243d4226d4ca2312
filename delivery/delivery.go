// Package delivery sends requests to a project's webhooks — sample events,
// forwarded captures — and records each attempt in the store, where it also
// updates the webhook's lastCall/lastError log.
//
// Failures of the target (an error status, a refused connection, a timeout)
// are results, not errors: they are in the returned store.Attempt, worded for
// a person ("connection refused by 127.0.0.1:9"). The error return is kept
// for what prevents an attempt or its record (no such webhook, the store).
package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"hookscope/store"
)

// DefaultTimeout bounds one attempt, answer body included.
const DefaultTimeout = 10 * time.Second

// ErrNoWebhook is returned when the project has no webhook to send to.
var ErrNoWebhook = errors.New("no webhook for this action")

// ErrTruncated is returned by Forward for a capture whose body was cut at
// the receiver's limit: forwarding a part would mislead the target.
var ErrTruncated = errors.New("the capture's body was truncated; it is not forwarded")

// Client sends and records deliveries. The zero value sends with the
// defaults but cannot record: set Store for Deliver, Forward and
// SendTestEvent.
type Client struct {
	Store *store.Store
	// HTTP sends the requests; the default follows no redirect, so a 3xx is
	// reported as the target's answer rather than silently replayed as a GET.
	HTTP *http.Client
	// Timeout bounds each attempt (default DefaultTimeout).
	Timeout time.Duration
	// Now stamps attempts and sample events (default time.Now).
	Now func() time.Time
}

// Request is what Send sends. An empty Method means POST.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// TransferEncoding ["chunked"] sends Body chunked, followed by the
	// Trailer fields, as a captured chunked request was framed (RFC 9112
	// §7.1); empty, Body goes with a Content-Length.
	TransferEncoding []string
	Trailer          http.Header
	// Sample, for a call of a test event, is recorded with its attempt.
	Sample *store.SampleCall
}

var defaultHTTP = &http.Client{
	Transport: exactTransport(),
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// exactTransport sends requests as given: Go's transport would otherwise add
// "Accept-Encoding: gzip" to every forward and replay the sender never sent.
func exactTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	return t
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Send makes one HTTP call and describes it; it neither records it nor
// returns an error: a failed call is an attempt with Error set and
// StatusCode 0. At most store.MaxResponseBody bytes of the answer are kept.
// The request carries HopHeader, one hop more than req.Header says.
func (c *Client) Send(ctx context.Context, req Request) store.Attempt {
	if req.Method == "" {
		req.Method = http.MethodPost
	}
	header := req.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	markHop(header)
	a := store.Attempt{
		At:      c.now(),
		Request: store.SentRequest{Method: req.Method, URL: req.URL, Header: header, Body: req.Body},
	}
	timeout := c.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		a.Error = "invalid request: " + unwrapURLError(err).Error()
		return a
	}
	hreq.Header = header.Clone()
	if chunked(req.TransferEncoding) {
		// net/http sends a body chunked when its length is unknown and
		// Transfer-Encoding says so, and writes the Trailer header and
		// the trailer fields itself.
		hreq.ContentLength = -1
		hreq.TransferEncoding = []string{"chunked"}
		hreq.Trailer = req.Trailer.Clone()
	}
	if _, ok := hreq.Header["User-Agent"]; !ok {
		// net/http adds "Go-http-client/1.1" unless told otherwise; a
		// request that had no User-Agent is sent without one.
		hreq.Header["User-Agent"] = []string{""}
	}
	if host := header.Get("Host"); host != "" {
		// net/http ignores a Host entry of the header map.
		hreq.Host = host
	}
	start := time.Now()
	resp, err := c.httpClient().Do(hreq)
	if err != nil {
		a.Duration = time.Since(start)
		a.Error = describe(ctx, err, timeout, hreq.URL.Host)
		return a
	}
	defer resp.Body.Close()
	a.StatusCode, a.Status, a.ResponseHeader = resp.StatusCode, resp.Status, resp.Header
	body, err := io.ReadAll(io.LimitReader(resp.Body, store.MaxResponseBody+1))
	if len(body) > store.MaxResponseBody {
		body, a.ResponseTruncated = body[:store.MaxResponseBody], true
	}
	a.ResponseBody = body
	if err != nil {
		// The status stands: the target answered, then failed mid-body.
		a.Error = "reading the answer: " + describe(ctx, err, timeout, hreq.URL.Host)
	}
	a.Duration = time.Since(start)
	return a
}

// chunked reports whether a body with these transfer codings is framed by
// chunks: chunked is then the last coding (RFC 9112 §6.1).
func chunked(te []string) bool {
	return len(te) > 0 && strings.EqualFold(strings.TrimSpace(te[len(te)-1]), "chunked")
}

// describe turns a transport error into a sentence a developer can act on.
func describe(ctx context.Context, err error, timeout time.Duration, host string) string {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		// Before the timeout check: a DNS timeout is a DNS problem.
		msg := "DNS lookup failed for host " + dnsErr.Name
		switch {
		case dnsErr.IsNotFound:
			return msg + ": no such host"
		case dnsErr.IsTimeout:
			return msg + ": timed out"
		case dnsErr.Err != "":
			return msg + ": " + dnsErr.Err
		}
		return msg
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err) {
		return "timed out after " + timeout.String()
	}
	if errors.Is(err, context.Canceled) {
		return "canceled before the target answered"
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return fmt.Sprintf("the TLS certificate of %s is not trusted: %v", host, certErr.Err)
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) {
		return fmt.Sprintf("%s does not speak TLS (use http:// for a plain HTTP server)", host)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		addr := host
		if opErr.Addr != nil {
			addr = opErr.Addr.String()
		}
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			return "connection refused by " + addr
		case errors.Is(err, syscall.ECONNRESET):
			return "connection reset by " + addr
		case errors.Is(err, syscall.EHOSTUNREACH):
			return "host unreachable: " + addr
		case errors.Is(err, syscall.ENETUNREACH):
			return "network unreachable for " + addr
		case opErr.Op == "dial":
			return fmt.Sprintf("could not connect to %s: %v", addr, opErr.Err)
		}
		return fmt.Sprintf("%s %s: %v", opErr.Op, addr, opErr.Err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return host + " closed the connection without a complete answer"
	}
	return unwrapURLError(err).Error()
}

// unwrapURLError drops net/http's `Post "http://…":` prefix: the attempt
// shows the URL already.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Deliver POSTs body to the project's webhook for action, with header and
// then the webhook's own headers (which win over header's), and records the
// attempt, updating the webhook's log. A disabled webhook is still sent to:
// Deliver is an explicit request.
func (c *Client) Deliver(ctx context.Context, project store.Project, action string, body []byte, header http.Header) (store.Attempt, error) {
	w, ok := project.Webhook(action)
	if !ok {
		return store.Attempt{}, fmt.Errorf("deliver to %s/%s: %w", project.Slug, action, ErrNoWebhook)
	}
	return c.deliver(ctx, project, w, Request{Method: http.MethodPost, URL: w.URL, Header: header, Body: body}, 0)
}

func (c *Client) deliver(ctx context.Context, project store.Project, w store.Webhook, req Request, capture store.ID) (store.Attempt, error) {
	if c.Store == nil {
		return store.Attempt{}, errors.New("delivery: the client has no store to record attempts in")
	}
	if w.URL == "" {
		return store.Attempt{}, fmt.Errorf("deliver to %s/%s: the webhook has no URL", project.Slug, w.Action)
	}
	req.Header = withWebhookHeaders(req.Header, w)
	a := c.Send(ctx, req)
	a.Project, a.Action, a.CaptureID, a.Sample = project.Slug, w.Action, capture, req.Sample
	if err := c.Store.RecordDelivery(&a); err != nil {
		return a, fmt.Errorf("deliver to %s/%s: %w", project.Slug, w.Action, err)
	}
	return a, nil
}

// withWebhookHeaders returns a copy of h with the webhook's headers; a name
// the webhook sets replaces every value h had for it, and a name the webhook
// repeats is sent repeated.
func withWebhookHeaders(h http.Header, w store.Webhook) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	for _, f := range w.Headers {
		out.Del(f.Name)
	}
	for _, f := range w.Headers {
		out.Add(f.Name, f.Value)
	}
	return out
}

// ActionOf is the action a capture's path names: the segment after the
// project's slug (/{slug}/{action}/...), unescaped, or "" when there is none.
func ActionOf(slug, path string) string {
	rest, ok := strings.CutPrefix(path, "/"+slug)
	if !ok || (rest != "" && rest[0] != '/') {
		return ""
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if v, err := url.PathUnescape(seg); err == nil {
		seg = v
	}
	return seg
}

// ForwardTarget is the webhook a capture on path is forwarded to: the
// enabled webhook of the path's action, or else the enabled webhook named
// store.DefaultWebhookAction. It does not look at project.Forward.
func ForwardTarget(project store.Project, path string) (store.Webhook, bool) {
	usable := func(action string) (store.Webhook, bool) {
		w, ok := project.Webhook(action)
		return w, ok && w.Enabled && w.URL != ""
	}
	if action := ActionOf(project.Slug, path); action != "" {
		if w, ok := usable(action); ok {
			return w, true
		}
	}
	return usable(store.DefaultWebhookAction)
}

// hopByHop are the headers that describe one connection, not the message
// (RFC 9110 §7.6.1), plus those the new request computes for itself.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"Host", "Content-Length",
	// The transport negotiates its own 100-continue; a copied Expect would
	// only add its wait.
	"Expect",
}

// forwardHeader is the captured header as it is forwarded: hop-by-hop
// headers (and any the Connection header names), Host and Content-Length
// removed.
func forwardHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	for _, v := range h.Values("Connection") {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out.Del(name)
			}
		}
	}
	for name := range out {
		if strings.HasPrefix(http.CanonicalHeaderKey(name), "Proxy-") {
			delete(out, name)
		}
	}
	for _, name := range hopByHop {
		out.Del(name)
	}
	return out
}

// Forward sends the capture on to the webhook ForwardTarget picks, with its
// method, body and headers as captured (see forwardHeader) plus the
// webhook's headers, and records the attempt with CaptureID set. The
// capture's query string is appended to the webhook URL's, since senders
// put data there (the callback_url of Unitary's "Integrating Webhooks"). It returns
// ErrNoWebhook when there is no target; it does not look at project.Forward.
// receiver is the listen address of the receiver that captured it: a target
// that points at it (see PointsAt) is not sent to, and the attempt is
// recorded as failed with OwnReceiverMessage.
func (c *Client) Forward(ctx context.Context, project store.Project, capture *store.Capture, receiver string) (store.Attempt, error) {
	w, ok := ForwardTarget(project, capture.Path)
	if !ok {
		return store.Attempt{}, fmt.Errorf("forward capture %s of %s: %w", capture.ID, project.Slug, ErrNoWebhook)
	}
	if capture.Truncated {
		return store.Attempt{}, fmt.Errorf("forward capture %s of %s: %w", capture.ID, project.Slug, ErrTruncated)
	}
	req := forwardRequest(w, capture)
	if receiver != "" && PointsAt(w.URL, receiver) {
		return c.recordUnsent(project, w, req, capture.ID, "not sent: "+OwnReceiverMessage)
	}
	a, err := c.deliver(ctx, project, w, req, capture.ID)
	if err != nil {
		return a, fmt.Errorf("forward capture %s: %w", capture.ID, err)
	}
	return a, nil
}

// forwardRequest is the request forwarding the capture to w sends, before
// the webhook's own headers.
func forwardRequest(w store.Webhook, capture *store.Capture) Request {
	return Request{
		Method: capture.Method,
		URL:    joinQuery(w.URL, capture.RawQuery),
		Header: forwardHeader(capture.Header),
		Body:   capture.Body,
	}
}

// NotForwarded records a forward of the capture that was never sent, and why,
// as a failed attempt (StatusCode 0), so the webhook's lastError says it. The
// request recorded is the one the forward would have sent, from what the
// capture holds (the receiver drops the headers and body of a capture it
// cannot keep). It returns ErrNoWebhook when there is no target.
func (c *Client) NotForwarded(project store.Project, capture *store.Capture, reason string) (store.Attempt, error) {
	w, ok := ForwardTarget(project, capture.Path)
	if !ok {
		return store.Attempt{}, fmt.Errorf("record the forward of capture %s of %s: %w", capture.ID, project.Slug, ErrNoWebhook)
	}
	return c.recordUnsent(project, w, forwardRequest(w, capture), capture.ID, reason)
}

// recordUnsent records req as an attempt that failed before it was sent.
func (c *Client) recordUnsent(project store.Project, w store.Webhook, req Request, capture store.ID, reason string) (store.Attempt, error) {
	if c.Store == nil {
		return store.Attempt{}, errors.New("delivery: the client has no store to record attempts in")
	}
	if req.Method == "" {
		req.Method = http.MethodPost
	}
	a := store.Attempt{
		At:        c.now(),
		Project:   project.Slug,
		Action:    w.Action,
		CaptureID: capture,
		Request:   store.SentRequest{Method: req.Method, URL: req.URL, Header: withWebhookHeaders(req.Header, w), Body: req.Body},
		Error:     reason,
	}
	if err := c.Store.RecordDelivery(&a); err != nil {
		return a, fmt.Errorf("record the forward of capture %s: %w", capture, err)
	}
	return a, nil
}

func joinQuery(target, rawQuery string) string {
	if rawQuery == "" {
		return target
	}
	base, frag, hasFrag := strings.Cut(target, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	out := base + sep + rawQuery
	if hasFrag {
		out += "#" + frag
	}
	return out
}
