package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hookscope/store"
	"hookscope/store/storetest"
)

var t0 = time.Date(2024, 12, 17, 15, 10, 37, 619_000_000, time.UTC)

func newStore(t testing.TB) *store.Store {
	t.Helper()
	return storetest.Open(t, store.Options{})
}

func newClient(t testing.TB) *Client {
	return &Client{Store: newStore(t), Timeout: 2 * time.Second, Now: func() time.Time { return t0 }}
}

// received is what a test server saw of one request.
type received struct {
	Method, URI string
	Header      http.Header
	Body        []byte
}

// recorder is a test target that keeps every request and answers with fn.
type recorder struct {
	mu   sync.Mutex
	reqs []received
}

func (rec *recorder) server(t testing.TB, fn http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, received{r.Method, r.RequestURI, r.Header.Clone(), body})
		rec.mu.Unlock()
		fn(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (rec *recorder) all() []received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]received(nil), rec.reqs...)
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func project(slug string, hooks ...store.Webhook) store.Project {
	return store.Project{Slug: slug, Name: slug, Webhooks: hooks}
}

func putProject(t testing.TB, st *store.Store, p store.Project) store.Project {
	t.Helper()
	if err := st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	p, err := st.Project(p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeliverRecordsLastCallAndLastError(t *testing.T) {
	tests := map[string]struct {
		handler       http.HandlerFunc
		closed        bool
		timeout       time.Duration
		wantStatus    int
		wantLastCall  *store.LastCall
		wantLastError func(addr string) *store.LastError
	}{
		"200": {
			handler:      func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("thanks")) },
			wantStatus:   200,
			wantLastCall: &store.LastCall{StatusCode: 200, Message: "OK", Date: t0},
		},
		"400 with a body": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				w.Write([]byte(`{"error":"docs is required"}`))
			},
			wantStatus:   400,
			wantLastCall: &store.LastCall{StatusCode: 400, Message: "Bad Request", Date: t0},
			wantLastError: func(string) *store.LastError {
				return &store.LastError{StatusCode: 400, Message: "Bad Request", Body: `{"error":"docs is required"}`, Date: t0}
			},
		},
		"slow": {
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			timeout: 150 * time.Millisecond,
			wantLastError: func(string) *store.LastError {
				return &store.LastError{StatusCode: 0, Message: "timed out after 150ms", Date: t0}
			},
		},
		"closed port": {
			closed: true,
			wantLastError: func(addr string) *store.LastError {
				return &store.LastError{StatusCode: 0, Message: "connection refused by " + addr, Date: t0}
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := newClient(t)
			if tc.timeout > 0 {
				c.Timeout = tc.timeout
			}
			rec := &recorder{}
			var target, addr string
			if tc.closed {
				addr = closedPort(t)
				target = "http://" + addr + "/hook"
			} else {
				srv := rec.server(t, tc.handler)
				target, addr = srv.URL+"/hook", srv.Listener.Addr().String()
			}
			p := putProject(t, c.Store, project("shop",
				store.Webhook{Action: "ingested", URL: target, Enabled: true, Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer hook-token"}}},
				store.Webhook{Action: "modified", URL: target, Enabled: true},
			))

			start := time.Now()
			a, err := c.Deliver(context.Background(), p, "ingested", []byte(`{"docs":[]}`),
				http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer caller"}})
			if err != nil {
				t.Fatal(err)
			}
			if tc.timeout > 0 && time.Since(start) > 2*time.Second {
				t.Errorf("the timeout did not cut the call short: %v", time.Since(start))
			}
			if a.StatusCode != tc.wantStatus || a.ID == 0 || a.Project != "shop" || a.Action != "ingested" {
				t.Errorf("attempt %+v", a)
			}

			got, err := c.Store.Project("shop")
			if err != nil {
				t.Fatal(err)
			}
			w, _ := got.Webhook("ingested")
			var wantErr *store.LastError
			if tc.wantLastError != nil {
				wantErr = tc.wantLastError(addr)
			}
			if !reflect.DeepEqual(w.LastCall, tc.wantLastCall) {
				t.Errorf("lastCall %+v, want %+v", w.LastCall, tc.wantLastCall)
			}
			if !reflect.DeepEqual(w.LastError, wantErr) {
				t.Errorf("lastError %+v, want %+v", w.LastError, wantErr)
			}
			if other, _ := got.Webhook("modified"); other.LastCall != nil || other.LastError != nil {
				t.Errorf("the other webhook's log changed")
			}

			hist, err := c.Store.Deliveries("shop", "ingested", 10)
			if err != nil || len(hist) != 1 || hist[0].ID != a.ID {
				t.Fatalf("history %+v (%v)", hist, err)
			}
			if auth := a.Request.Header.Values("Authorization"); !reflect.DeepEqual(auth, []string{"Bearer hook-token"}) {
				t.Errorf("sent Authorization %q: the webhook's header must win", auth)
			}
			if auth := hist[0].Request.Header.Values("Authorization"); !reflect.DeepEqual(auth, []string{store.MaskCredential("Bearer hook-token")}) {
				t.Errorf("stored Authorization %q, want it masked", auth)
			}
			if !tc.closed && tc.timeout == 0 {
				reqs := rec.all()
				if len(reqs) != 1 || reqs[0].Header.Get("Authorization") != "Bearer hook-token" || string(reqs[0].Body) != `{"docs":[]}` {
					t.Errorf("target saw %+v", reqs)
				}
			}
		})
	}
}

func TestSendKeepsAtMostOneMiBOfTheAnswer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), store.MaxResponseBody+10)
	srv := (&recorder{}).server(t, func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	a := (&Client{}).Send(context.Background(), Request{URL: srv.URL})
	if a.StatusCode != 200 || len(a.ResponseBody) != store.MaxResponseBody || !a.ResponseTruncated || a.Error != "" {
		t.Fatalf("status %d, %d bytes, truncated %v, error %q", a.StatusCode, len(a.ResponseBody), a.ResponseTruncated, a.Error)
	}
	if a.Request.Method != "POST" {
		t.Errorf("default method %q", a.Request.Method)
	}
}

func TestSendDoesNotFollowRedirects(t *testing.T) {
	srv := (&recorder{}).server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	a := (&Client{}).Send(context.Background(), Request{URL: srv.URL})
	if a.StatusCode != 302 || a.ResponseHeader.Get("Location") != "/elsewhere" {
		t.Fatalf("got %d %v", a.StatusCode, a.ResponseHeader)
	}
}

func TestDescribeErrors(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, Err: &net.OpError{Err: syscall.ECONNREFUSED}}
	tests := map[string]struct {
		err  error
		want string
	}{
		"refused":       {&url.Error{Op: "Post", URL: "http://127.0.0.1:9", Err: refused}, "connection refused by 127.0.0.1:9"},
		"no such host":  {&url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Name: "x", Err: "no such host", IsNotFound: true}}}, "DNS lookup failed for host x: no such host"},
		"dns timeout":   {&net.DNSError{Name: "x", Err: "i/o timeout", IsTimeout: true}, "DNS lookup failed for host x: timed out"},
		"deadline":      {&url.Error{Op: "Post", Err: context.DeadlineExceeded}, "timed out after 10s"},
		"canceled":      {&url.Error{Op: "Post", Err: context.Canceled}, "canceled before the target answered"},
		"eof":           {&url.Error{Op: "Post", Err: io.EOF}, "127.0.0.1:8 closed the connection without a complete answer"},
		"untrusted":     {&url.Error{Op: "Post", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, "the TLS certificate of 127.0.0.1:8 is not trusted: x509: certificate signed by unknown authority"},
		"not tls":       {&url.Error{Op: "Post", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}}, "127.0.0.1:8 does not speak TLS (use http:// for a plain HTTP server)"},
		"reset":         {&net.OpError{Op: "read", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 80}, Err: syscall.ECONNRESET}, "connection reset by 10.0.0.1:80"},
		"other wrapped": {&url.Error{Op: "Post", URL: "http://x", Err: errors.New("something odd")}, "something odd"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := describe(context.Background(), tc.err, 10*time.Second, "127.0.0.1:8"); got != tc.want {
				t.Fatalf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestDNSFailureIsReadable(t *testing.T) {
	// .invalid never resolves (RFC 6761); a sandbox without DNS fails too,
	// and either way the message must name the host.
	a := (&Client{Timeout: 5 * time.Second}).Send(context.Background(), Request{URL: "http://hookscope-test.invalid/"})
	if a.StatusCode != 0 || !strings.HasPrefix(a.Error, "DNS lookup failed for host hookscope-test.invalid") {
		if !strings.HasPrefix(a.Error, "timed out") { // a resolver that hangs
			t.Fatalf("error %q", a.Error)
		}
	}
}

func TestActionOf(t *testing.T) {
	tests := map[string]struct{ path, want string }{
		"action":          {"/shop/ingested", "ingested"},
		"deeper":          {"/shop/orders/123/items", "orders"},
		"trailing slash":  {"/shop/ingested/", "ingested"},
		"no action":       {"/shop", ""},
		"only slash":      {"/shop/", ""},
		"escaped":         {"/shop/on%20Submit/x", "on Submit"},
		"other project":   {"/shop-2/ingested", ""},
		"not the project": {"/other/shop/ingested", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ActionOf("shop", tc.path); got != tc.want {
				t.Fatalf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestForwardTarget(t *testing.T) {
	p := project("shop",
		store.Webhook{Action: "orders", URL: "http://a/orders", Enabled: true},
		store.Webhook{Action: "refunds", URL: "http://a/refunds"}, // disabled
		store.Webhook{Action: "empty", Enabled: true},
		store.Webhook{Action: "default", URL: "http://a/default", Enabled: true},
	)
	noDefault := project("shop", p.Webhooks[:3]...)
	tests := map[string]struct {
		p    store.Project
		path string
		want string // the chosen webhook's action, "" for none
	}{
		"its action":                 {p, "/shop/orders/1", "orders"},
		"case-insensitive":           {p, "/shop/Orders", "orders"},
		"unknown action → default":   {p, "/shop/other", "default"},
		"no action → default":        {p, "/shop", "default"},
		"disabled → default":         {p, "/shop/refunds", "default"},
		"no URL → default":           {p, "/shop/empty", "default"},
		"unknown action, no default": {noDefault, "/shop/other", ""},
		"disabled, no default":       {noDefault, "/shop/refunds", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w, ok := ForwardTarget(tc.p, tc.path)
			if ok != (tc.want != "") || w.Action != tc.want {
				t.Fatalf("got %q (%v), want %q", w.Action, ok, tc.want)
			}
		})
	}
}

func TestForwardSendsTheCaptureAsReceived(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(202) })
	p := putProject(t, c.Store, project("shop",
		store.Webhook{Action: "orders", URL: srv.URL + "/app/orders?src=hookscope", Enabled: true, Headers: []store.HeaderField{
			{Name: "Authorization", Value: "Bearer app-token"},
			{Name: "X-Env", Value: "dev"},
		}},
	))
	capture := &store.Capture{
		Method: "PUT", Path: "/shop/orders/42", RawQuery: "a=1&b=%2B",
		Header: withHopHeaders(http.Header{
			"Content-Type":  {"application/json"},
			"X-Signature":   {"sha256=abc"},
			"X-Multi":       {"1", "2"},
			"Authorization": {"Bearer sender-token"},
		}),
		Body: []byte(`{"order": 42}`),
	}
	if err := c.Store.Put(capture); err != nil {
		t.Fatal(err)
	}
	a, err := c.Forward(context.Background(), p, capture, "")
	if err != nil {
		t.Fatal(err)
	}
	if a.StatusCode != 202 || a.CaptureID != capture.ID || a.Action != "orders" {
		t.Fatalf("attempt %+v", a)
	}
	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	if got.Method != "PUT" || got.URI != "/app/orders?src=hookscope&a=1&b=%2B" || string(got.Body) != `{"order": 42}` {
		t.Errorf("target got %s %s %q", got.Method, got.URI, got.Body)
	}
	// Both what was sent (recorded in the attempt) and what arrived: the
	// transport and the server hide some of these either way.
	for _, name := range []string{"Connection", "X-Private-Hop", "Keep-Alive", "Proxy-Authorization", "Proxy-Foo", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length"} {
		if v := a.Request.Header.Values(name); len(v) > 0 {
			t.Errorf("hop-by-hop %s sent: %q", name, v)
		}
		if v := got.Header.Values(name); len(v) > 0 && name != "Content-Length" {
			t.Errorf("hop-by-hop %s arrived: %q", name, v)
		}
	}
	if a.Request.Header.Get("X-Signature") != "sha256=abc" || a.Request.Header.Get("Authorization") != "Bearer app-token" {
		t.Errorf("recorded request header %v", a.Request.Header)
	}
	want := map[string][]string{
		"Content-Type":   {"application/json"},
		"X-Signature":    {"sha256=abc"},
		"X-Multi":        {"1", "2"},
		"Authorization":  {"Bearer app-token"},
		"X-Env":          {"dev"},
		"Content-Length": {"13"},
	}
	for name, vals := range want {
		if v := got.Header.Values(name); !reflect.DeepEqual(v, vals) {
			t.Errorf("%s: %q, want %q", name, v, vals)
		}
	}
	if te := got.Header.Get("Transfer-Encoding"); te != "" {
		t.Errorf("sent chunked: %q", te)
	}

	hist, err := c.Store.CaptureDeliveries(capture.ID)
	if err != nil || len(hist) != 1 || hist[0].ID != a.ID || hist[0].Outcome() == "" {
		t.Fatalf("capture deliveries %+v (%v)", hist, err)
	}
	p, _ = c.Store.Project("shop")
	if w, _ := p.Webhook("orders"); w.LastCall == nil || w.LastCall.StatusCode != 202 {
		t.Errorf("lastCall %+v", w.LastCall)
	}
}

func TestForwardRefusals(t *testing.T) {
	c := newClient(t)
	p := putProject(t, c.Store, project("shop", store.Webhook{Action: "orders", URL: "http://127.0.0.1:1/", Enabled: true}))
	tests := map[string]struct {
		capture *store.Capture
		want    error
	}{
		"no webhook for the action": {&store.Capture{ID: 1, Method: "POST", Path: "/shop/other"}, ErrNoWebhook},
		"truncated body":            {&store.Capture{ID: 2, Method: "POST", Path: "/shop/orders", Truncated: true}, ErrTruncated},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Forward(context.Background(), p, tc.capture, ""); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
	if d, _ := c.Store.Deliveries("shop", "", 10); len(d) != 0 {
		t.Fatalf("refused forwards were recorded: %d", len(d))
	}
}

func TestDeliverNeedsAWebhookWithAURL(t *testing.T) {
	c := newClient(t)
	p := putProject(t, c.Store, project("shop", store.Webhook{Action: "ingested"}))
	if _, err := c.Deliver(context.Background(), p, "modified", nil, nil); !errors.Is(err, ErrNoWebhook) {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := c.Deliver(context.Background(), p, "ingested", nil, nil); err == nil || !strings.Contains(err.Error(), "no URL") {
		t.Errorf("no URL: %v", err)
	}
	if _, err := (&Client{}).Deliver(context.Background(), project("x", store.Webhook{Action: "a", URL: "http://h/"}), "a", nil, nil); err == nil {
		t.Error("a client without a store delivered")
	}
}

// A request without a User-Agent goes out without one (net/http would add
// Go-http-client/1.1); one with a User-Agent keeps it.
func TestSendAddsNoUserAgent(t *testing.T) {
	got := make(chan []string, 2)
	srv := (&recorder{}).server(t, func(w http.ResponseWriter, r *http.Request) { got <- r.Header.Values("User-Agent") })
	(&Client{}).Send(context.Background(), Request{URL: srv.URL})
	if ua := <-got; len(ua) != 0 {
		t.Fatalf("User-Agent %q sent for a request that had none", ua)
	}
	(&Client{}).Send(context.Background(), Request{URL: srv.URL, Header: http.Header{"User-Agent": {"Stripe/1.0"}}})
	if ua := <-got; len(ua) != 1 || ua[0] != "Stripe/1.0" {
		t.Fatalf("User-Agent %q, want Stripe/1.0", ua)
	}
}
