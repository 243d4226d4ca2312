package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/signature"
	"hookscope/store"
)

// putCapture stores c and returns it with its ID.
func putCapture(t testing.TB, st *store.Store, c *store.Capture) *store.Capture {
	t.Helper()
	if err := st.Put(c); err != nil {
		t.Fatal(err)
	}
	return c
}

// withHopHeaders adds hopHeaders to h, as a sender or proxy would.
func withHopHeaders(h http.Header) http.Header {
	for k, v := range hopHeaders {
		h[k] = v
	}
	return h
}

// hopHeaders are captured headers a forward or replay must not send.
var hopHeaders = http.Header{
	"Connection":          {"keep-alive, X-Private-Hop"},
	"X-Private-Hop":       {"secret"},
	"Keep-Alive":          {"timeout=5"},
	"Proxy-Authorization": {"Basic xyz"},
	"Proxy-Foo":           {"bar"},
	"Te":                  {"trailers"},
	"Trailer":             {"X-T"},
	"Transfer-Encoding":   {"chunked"},
	"Upgrade":             {"h2c"},
	"Host":                {"127.0.0.1:8787"},
	"Content-Length":      {"999"},
	"Expect":              {"100-continue"},
}

func TestReplaySendsTheCaptureByteExact(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", "ok")
		w.WriteHeader(201)
		w.Write([]byte(`{"handled":true}`))
	})
	putProject(t, c.Store, project("shop"))
	// Not valid UTF-8, a NUL, CRLF and trailing spaces: the bytes must
	// arrive untouched.
	body := []byte("{\"order\": 42,\r\n \"blob\": \"\xff\xfe\x00\"}  \n")
	h := http.Header{
		"Content-Type": {"application/json; charset=utf-8"},
		"X-Signature":  {"sha256=original"},
		"X-Multi":      {"1", "2"},
		"User-Agent":   {"Sender/1.0"},
	}
	for k, v := range hopHeaders {
		h[k] = v
	}
	capture := putCapture(t, c.Store, &store.Capture{
		Method: "PATCH", Path: "/shop/orders/42", RawQuery: "a=1&b=%2B&a=2", Project: "shop",
		Header: h, Body: body,
	})
	p, _ := c.Store.Project("shop")

	a, err := c.Replay(context.Background(), capture, &p, ReplayOptions{URL: srv.URL + "/hook", KeepPath: true})
	if err != nil {
		t.Fatal(err)
	}
	if a.StatusCode != 201 || string(a.ResponseBody) != `{"handled":true}` || a.ResponseHeader.Get("X-Handler") != "ok" {
		t.Fatalf("attempt %d %q %v", a.StatusCode, a.ResponseBody, a.ResponseHeader)
	}
	if a.CaptureID != capture.ID || a.Action != ReplayAction || a.Project != "shop" || a.ID == 0 {
		t.Fatalf("attempt recorded as %+v", a)
	}
	reqs := rec.all()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	got := reqs[0]
	if got.Method != "PATCH" || got.URI != "/hook/orders/42?a=1&b=%2B&a=2" {
		t.Errorf("target got %s %s", got.Method, got.URI)
	}
	if !bytes.Equal(got.Body, body) {
		t.Errorf("body arrived as %q, want %q", got.Body, body)
	}
	for name := range hopHeaders {
		if v := a.Request.Header.Values(name); len(v) > 0 {
			t.Errorf("hop-by-hop %s sent: %q", name, v)
		}
		if v := got.Header.Values(name); len(v) > 0 && name != "Content-Length" {
			t.Errorf("hop-by-hop %s arrived: %q", name, v)
		}
	}
	want := map[string][]string{
		"Content-Type":   {"application/json; charset=utf-8"},
		"X-Signature":    {"sha256=original"},
		"X-Multi":        {"1", "2"},
		"User-Agent":     {"Sender/1.0"},
		"Content-Length": {fmt.Sprint(len(body))},
	}
	for name, vals := range want {
		if v := got.Header.Values(name); !reflect.DeepEqual(v, vals) {
			t.Errorf("%s arrived as %q, want %q", name, v, vals)
		}
	}
	if a.Request.Method != "PATCH" || a.Request.URL != srv.URL+"/hook/orders/42?a=1&b=%2B&a=2" || !bytes.Equal(a.Request.Body, body) {
		t.Errorf("recorded request %s %s %q", a.Request.Method, a.Request.URL, a.Request.Body)
	}
	// The capture itself is not changed by its replay.
	if again, err := c.Store.Get(capture.ID); err != nil || !bytes.Equal(again.Body, body) || again.Header.Get("Connection") == "" {
		t.Fatalf("capture changed: %v", err)
	}
	hist, err := Replays(c.Store, capture)
	if err != nil || len(hist) != 1 || hist[0].ID != a.ID || !bytes.Equal(hist[0].Request.Body, body) {
		t.Fatalf("history %+v (%v)", hist, err)
	}
}

func TestReplayOfAnUnsortedCaptureIsKept(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	capture := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/elsewhere/x", RawQuery: "q=1", Body: []byte("hi")})
	a, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: srv.URL + "/", KeepQuery: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.all()[0].URI; got != "/?q=1" {
		t.Errorf("KeepQuery sent to %s", got)
	}
	if a.Project != store.Unsorted {
		t.Errorf("recorded under %q", a.Project)
	}
	if _, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: srv.URL + "/in/", KeepPath: true}); err != nil {
		t.Fatal(err)
	}
	if got := rec.all()[1].URI; got != "/in/elsewhere/x?q=1" {
		t.Errorf("KeepPath sent to %s", got)
	}
	hist, err := Replays(c.Store, capture)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history of an Unsorted capture: %d (%v)", len(hist), err)
	}
}

func TestReplayEditedRequestIsSentAndKept(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(400) })
	capture := putCapture(t, c.Store, &store.Capture{
		Method: "POST", Path: "/p", Header: http.Header{"Content-Type": {"application/json"}, "X-Old": {"1"}},
		Body: []byte(`{"a":1}`),
	})
	edited := ReplayOptions{
		URL: srv.URL + "/edited", Method: "PUT", Edited: true,
		Header: http.Header{"Content-Type": {"application/json"}, "X-New": {"2"}, "Content-Length": {"1"}},
		Body:   []byte(`{"a":2}`),
	}
	a, err := c.Replay(context.Background(), capture, nil, edited)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.all()[0]
	if got.Method != "PUT" || string(got.Body) != `{"a":2}` || got.Header.Get("X-New") != "2" || got.Header.Get("X-Old") != "" || got.Header.Get("Content-Length") != "7" {
		t.Fatalf("target got %s %q %v", got.Method, got.Body, got.Header)
	}
	if a.StatusCode != 400 || a.Request.Method != "PUT" || string(a.Request.Body) != `{"a":2}` || a.Request.Header.Get("X-New") != "2" {
		t.Fatalf("attempt %+v", a)
	}
	// Edited with no body sends none.
	if _, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: srv.URL, Edited: true}); err != nil {
		t.Fatal(err)
	}
	if got := rec.all()[1]; len(got.Body) != 0 || got.Method != "POST" || got.Header.Get("X-Old") != "" {
		t.Fatalf("edited to nothing: %s %q %v", got.Method, got.Body, got.Header)
	}
}

// stale headers carry a signature made an hour before t0 with another
// secret: replayed untouched, they must fail the target's check.
var resignCases = map[string]struct {
	secret string
	stale  http.Header
	check  func(t *testing.T, sent http.Header)
}{
	signature.SchemeStripe: {
		secret: "whsec_stripe_test",
		stale:  http.Header{"Stripe-Signature": {"t=1734444000,v1=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
		check: func(t *testing.T, sent http.Header) {
			if want := fmt.Sprintf("t=%d,", t0.Unix()); !strings.HasPrefix(sent.Get("Stripe-Signature"), want) {
				t.Errorf("timestamp not refreshed: %q", sent.Get("Stripe-Signature"))
			}
		},
	},
	signature.SchemeSlack: {
		secret: "8f742231b10e8888abcd99yyyzzz85a5",
		stale:  http.Header{"X-Slack-Signature": {"v0=deadbeef"}, "X-Slack-Request-Timestamp": {"1734444000"}},
		check: func(t *testing.T, sent http.Header) {
			if got := sent.Get("X-Slack-Request-Timestamp"); got != fmt.Sprint(t0.Unix()) {
				t.Errorf("timestamp not refreshed: %q", got)
			}
		},
	},
	signature.SchemeStandardWebhooks: {
		secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		stale: http.Header{
			"Webhook-Id": {"msg_old"}, "Webhook-Timestamp": {"1734444000"},
			"Webhook-Signature": {"v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="},
		},
		check: func(t *testing.T, sent http.Header) {
			if sent.Get("Webhook-Id") == "msg_old" || sent.Get("Webhook-Id") == "" {
				t.Errorf("message id not refreshed: %q", sent.Get("Webhook-Id"))
			}
			if got := sent.Get("Webhook-Timestamp"); got != fmt.Sprint(t0.Unix()) {
				t.Errorf("timestamp not refreshed: %q", got)
			}
		},
	},
}

func TestReplayResignedVerifiesAndUnsignedKeepsTheHeader(t *testing.T) {
	for scheme, tc := range resignCases {
		t.Run(scheme, func(t *testing.T) {
			c := newClient(t)
			rec := &recorder{}
			srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
			p := putProject(t, c.Store, store.Project{Slug: "signed", Name: "Signed", Secret: tc.secret, Scheme: scheme})
			h := tc.stale.Clone()
			h.Set("Content-Type", "application/json")
			capture := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/signed/evt", Project: "signed", Header: h, Body: []byte(`{"id":"evt_1"}`)})
			cfg := SignatureConfig(p)
			verify := func(got received) signature.Result {
				return signature.Verify(signature.Request{Method: got.Method, URL: srv.URL + got.URI, Header: got.Header, Body: got.Body}, cfg, t0)
			}

			// Edited body, re-signed: the target's check passes on what it got.
			edited := ReplayOptions{URL: srv.URL + "/hook", Resign: true, Body: []byte(`{"id":"evt_1","edited":true}`)}
			a, err := c.Replay(context.Background(), capture, &p, edited)
			if err != nil {
				t.Fatal(err)
			}
			got := rec.all()[0]
			if string(got.Body) != `{"id":"evt_1","edited":true}` {
				t.Fatalf("body %q", got.Body)
			}
			if res := verify(got); res.Status != signature.Valid {
				t.Fatalf("re-signed replay does not verify: %s: %s", res.Status, res.Reason)
			}
			tc.check(t, got.Header)
			for name := range tc.stale {
				if a.Request.Header.Get(name) != got.Header.Get(name) {
					t.Errorf("recorded %s %q, sent %q", name, a.Request.Header.Get(name), got.Header.Get(name))
				}
			}

			// Not re-signed: the original headers go untouched (and fail).
			plain, err := c.Replay(context.Background(), capture, &p, ReplayOptions{URL: srv.URL + "/hook"})
			if err != nil {
				t.Fatal(err)
			}
			// Each attempt records whether it was re-signed.
			stored, err := Replays(c.Store, capture)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Resigned || plain.Resigned || len(stored) != 2 || !stored[1].Resigned || stored[0].Resigned {
				t.Errorf("re-signed recorded %v, as captured %v; stored newest first %+v", a.Resigned, plain.Resigned, stored)
			}
			got = rec.all()[1]
			for name, vals := range tc.stale {
				if v := got.Header.Values(name); !reflect.DeepEqual(v, vals) {
					t.Errorf("unsigned replay changed %s: %q, want %q", name, v, vals)
				}
			}
			if res := verify(got); res.Status == signature.Valid {
				t.Errorf("the stale signature verified; the test proves nothing")
			}
		})
	}
}

func TestReplayKeepsTheSvixHeaderFamily(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	p := putProject(t, c.Store, store.Project{Slug: "svix", Name: "Svix", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
	// No scheme in the project: it is detected from the captured headers.
	h := http.Header{"Svix-Id": {"msg_1"}, "Svix-Timestamp": {"1"}, "Svix-Signature": {"v1,xx"}}
	capture := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/svix", Project: "svix", Header: h, Body: []byte(`{}`)})
	if resignScheme(&p, h) != signature.SchemeStandardWebhooks {
		t.Fatalf("scheme %q", resignScheme(&p, h))
	}
	if _, err := c.Replay(context.Background(), capture, &p, ReplayOptions{URL: srv.URL, Resign: true}); err != nil {
		t.Fatal(err)
	}
	got := rec.all()[0]
	if got.Header.Get("Webhook-Signature") != "" || got.Header.Get("Svix-Id") == "msg_1" {
		t.Fatalf("headers %v", got.Header)
	}
	res := signature.Verify(signature.Request{Method: "POST", URL: srv.URL, Header: got.Header, Body: got.Body}, SignatureConfig(p), t0)
	if res.Status != signature.Valid {
		t.Fatalf("%s: %s", res.Status, res.Reason)
	}
}

func TestReplayToAnUnreachableTargetRecordsTheError(t *testing.T) {
	c := newClient(t)
	putProject(t, c.Store, project("shop"))
	body := []byte(`{"keep":"me"}`)
	capture := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/x", Project: "shop", Body: body})
	a, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: "http://" + closedPort(t) + "/hook"})
	if err != nil {
		t.Fatalf("a refused connection is a result, not an error: %v", err)
	}
	if a.StatusCode != 0 || !strings.Contains(a.Error, "connection refused") {
		t.Fatalf("attempt %d %q", a.StatusCode, a.Error)
	}
	hist, err := Replays(c.Store, capture)
	if err != nil || len(hist) != 1 || !strings.Contains(hist[0].Error, "connection refused") || !bytes.Equal(hist[0].Request.Body, body) {
		t.Fatalf("history %+v (%v)", hist, err)
	}
	if again, err := c.Store.Get(capture.ID); err != nil || !bytes.Equal(again.Body, body) {
		t.Fatalf("capture lost: %v", err)
	}
	// A replay does not pose as a webhook's call.
	p, _ := c.Store.Project("shop")
	for _, w := range p.Webhooks {
		if w.LastError != nil {
			t.Errorf("webhook %s logged the replay", w.Action)
		}
	}
}

func TestReplayRefusals(t *testing.T) {
	c := newClient(t)
	p := putProject(t, c.Store, project("shop"))
	capture := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/x", Project: "shop", Body: []byte("x")})
	truncated := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/x", Project: "shop", Body: []byte("cut"), Truncated: true})
	tests := map[string]struct {
		capture *store.Capture
		opt     ReplayOptions
		want    error
	}{
		"no scheme":         {capture, ReplayOptions{URL: "ftp://example.com/"}, ErrInvalidTarget},
		"no host":           {capture, ReplayOptions{URL: "http:///path"}, ErrInvalidTarget},
		"port too high":     {capture, ReplayOptions{URL: "http://127.0.0.1:99999/"}, ErrInvalidTarget},
		"port zero":         {capture, ReplayOptions{URL: "http://127.0.0.1:0/"}, ErrInvalidTarget},
		"no URL nor hook":   {capture, ReplayOptions{}, ErrNoWebhook},
		"truncated":         {truncated, ReplayOptions{URL: "http://127.0.0.1:1/"}, ErrTruncated},
		"re-sign no secret": {capture, ReplayOptions{URL: "http://127.0.0.1:1/", Resign: true}, ErrCannotResign},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := c.Replay(context.Background(), tc.capture, &p, tc.opt); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
	if d, _ := c.Store.Deliveries("shop", "", 10); len(d) != 0 {
		t.Fatalf("refused replays were recorded: %d", len(d))
	}
}

func TestReplayWithoutURLGoesToTheProjectWebhook(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	p := putProject(t, c.Store, project("shop",
		store.Webhook{Action: "orders", URL: srv.URL + "/orders?src=h", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer app"}}},
		store.Webhook{Action: store.DefaultWebhookAction, URL: srv.URL + "/default"},
	))
	orders := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/orders/1", RawQuery: "x=1", Project: "shop", Header: http.Header{"Authorization": {"Bearer sender"}}})
	other := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/refunds", Project: "shop"})
	for _, capture := range []*store.Capture{orders, other} {
		if _, err := c.Replay(context.Background(), capture, &p, ReplayOptions{KeepQuery: true}); err != nil {
			t.Fatal(err)
		}
	}
	reqs := rec.all()
	if reqs[0].URI != "/orders?src=h&x=1" || reqs[0].Header.Get("Authorization") != "Bearer app" {
		t.Errorf("to the action's webhook: %s %v", reqs[0].URI, reqs[0].Header)
	}
	if reqs[1].URI != "/default" {
		t.Errorf("to the default webhook: %s", reqs[1].URI)
	}
	// Recorded as replays, so the webhooks' logs are untouched.
	p, _ = c.Store.Project("shop")
	if w, _ := p.Webhook("orders"); w.LastCall != nil {
		t.Errorf("the webhook logged a replay: %+v", w.LastCall)
	}
}

func TestReplayURL(t *testing.T) {
	c := &store.Capture{Path: "/shop/orders/42", RawQuery: "a=1", Project: "shop"}
	tests := []struct {
		target          string
		keepPath, query bool
		want            string
	}{
		{"http://h/hook", false, false, "http://h/hook"},
		{"http://h/hook", false, true, "http://h/hook?a=1"},
		{"http://h/hook", true, false, "http://h/hook/orders/42?a=1"},
		{"http://h/hook/", true, false, "http://h/hook/orders/42?a=1"},
		{"http://h", true, false, "http://h/orders/42?a=1"},
		{"http://h/hook?k=v#f", true, false, "http://h/hook/orders/42?k=v&a=1#f"},
	}
	for _, tc := range tests {
		if got, err := ReplayURL(tc.target, c, tc.keepPath, tc.query); err != nil || got != tc.want {
			t.Errorf("ReplayURL(%q, %v, %v) = %q, %v; want %q", tc.target, tc.keepPath, tc.query, got, err, tc.want)
		}
	}
	if got := PathSuffix(&store.Capture{Path: "/shopping/x", Project: "shop"}); got != "/shopping/x" {
		t.Errorf("suffix of a path that only starts like the slug: %q", got)
	}
}

func TestReplayHistorySurvivesAReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookscope.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{Store: st, Timeout: 2 * time.Second}
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "got %s", r.Method) })
	capture := putCapture(t, st, &store.Capture{Method: "POST", Path: "/x", Body: []byte(`{"v":1}`)})
	first, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Replay(context.Background(), capture, nil, ReplayOptions{URL: srv.URL, Method: "PUT", Body: []byte(`{"v":2}`), Edited: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hist, err := Replays(st, capture)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].ID != second.ID || hist[1].ID != first.ID {
		t.Fatalf("after a reopen: %d attempts %+v", len(hist), hist)
	}
	if string(hist[0].Request.Body) != `{"v":2}` || hist[0].Request.Method != "PUT" || string(hist[0].ResponseBody) != "got PUT" {
		t.Errorf("edited attempt %s %q → %q", hist[0].Request.Method, hist[0].Request.Body, hist[0].ResponseBody)
	}
	if string(hist[1].Request.Body) != `{"v":1}` || string(hist[1].ResponseBody) != "got POST" {
		t.Errorf("first attempt %q → %q", hist[1].Request.Body, hist[1].ResponseBody)
	}
}

func TestReplayAllGoesOldestFirst(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fail") != "" {
			w.WriteHeader(500)
		}
	})
	var ids []store.ID
	for i := range 5 {
		q := ""
		if i == 3 {
			q = "fail=1"
		}
		ids = append(ids, putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/n", RawQuery: q, Body: []byte(fmt.Sprint(i))}).ID)
	}
	gone := ids[0] - 1 // never stored
	shuffled := []store.ID{ids[3], ids[1], gone, ids[4], ids[0], ids[2]}
	var seen []int
	sum := c.ReplayAll(context.Background(), shuffled, BulkOptions{URL: srv.URL, KeepQuery: true, Delay: time.Millisecond}, func(done, total int, a store.Attempt) {
		if total != 6 {
			t.Errorf("total %d", total)
		}
		seen = append(seen, done)
	})
	var order []string
	for _, r := range rec.all() {
		order = append(order, string(r.Body))
	}
	if got := strings.Join(order, ","); got != "0,1,2,3,4" {
		t.Fatalf("sent in the order %s, want oldest first", got)
	}
	if !reflect.DeepEqual(seen, []int{1, 2, 3, 4, 5, 6}) {
		t.Errorf("progress %v", seen)
	}
	if sum.Succeeded != 4 || sum.Failed != 2 || sum.Canceled || len(sum.Failures) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.Failures[0].CaptureID != gone || !strings.Contains(sum.Failures[0].Error, "not found") {
		t.Errorf("first failure %+v", sum.Failures[0])
	}
	if sum.Failures[1].CaptureID != ids[3] || !strings.HasPrefix(sum.Failures[1].Error, "500 Internal Server Error") {
		t.Errorf("second failure %+v", sum.Failures[1])
	}
}

func TestReplayAllStopsOnCancel(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	var ids []store.ID
	for i := range 5 {
		ids = append(ids, putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/n", Body: []byte(fmt.Sprint(i))}).ID)
	}

	ctx, cancel := context.WithCancel(context.Background())
	sum := c.ReplayAll(ctx, ids, BulkOptions{URL: srv.URL}, func(done, total int, a store.Attempt) {
		if done == 2 {
			cancel()
		}
	})
	if n := len(rec.all()); n != 2 {
		t.Fatalf("%d requests after a cancel at 2", n)
	}
	if !sum.Canceled || sum.Succeeded != 2 || sum.Failed != 0 {
		t.Fatalf("summary %+v", sum)
	}

	// A cancel during the delay ends the wait at once.
	ctx, cancel = context.WithCancel(context.Background())
	var once sync.Once
	start := time.Now()
	sum = c.ReplayAll(ctx, ids, BulkOptions{URL: srv.URL, Delay: time.Hour}, func(done, total int, a store.Attempt) {
		once.Do(func() { go func() { time.Sleep(20 * time.Millisecond); cancel() }() })
	})
	if time.Since(start) > 5*time.Second || !sum.Canceled || sum.Succeeded != 1 {
		t.Fatalf("summary %+v after %v", sum, time.Since(start))
	}
	if n := len(rec.all()); n != 3 {
		t.Fatalf("%d requests in all, want 3", n)
	}
	hist, _ := c.Store.Deliveries(store.Unsorted, ReplayAction, 50)
	if len(hist) != 3 {
		t.Errorf("%d attempts recorded, want 3", len(hist))
	}
}

func TestReplayAddsNoAcceptEncoding(t *testing.T) {
	got := make(chan http.Header, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.Header.Clone() }))
	defer target.Close()
	a := (&Client{}).Send(context.Background(), Request{Method: "POST", URL: target.URL, Body: []byte("x")})
	if a.Error != "" {
		t.Fatal(a.Error)
	}
	if h := <-got; h.Get("Accept-Encoding") != "" {
		t.Fatalf("the target saw Accept-Encoding %q that nobody asked for", h.Get("Accept-Encoding"))
	}
}
