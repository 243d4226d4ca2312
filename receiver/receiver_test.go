package receiver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hookscope/store"
	"hookscope/store/storetest"
)

func newStore(t testing.TB) *store.Store {
	t.Helper()
	return storetest.Open(t, store.Options{})
}

// start runs a real receiver on a free loopback port.
func start(t testing.TB, opts Options) (*Server, *store.Store) {
	t.Helper()
	st := newStore(t)
	srv := New(st, opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(context.Background()) })
	return srv, st
}

func send(t testing.TB, method, url string, body []byte, hdr http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func capturedFrom(t testing.TB, st *store.Store, resp *http.Response) *store.Capture {
	t.Helper()
	return storedFor(t, st, resp.Header)
}

func TestBodiesAreStoredByteExact(t *testing.T) {
	srv, st := start(t, Options{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	tests := map[string]struct {
		method, ctype string
		body          []byte
	}{
		"json":          {"POST", "application/json", []byte(`{"docs":[{"id":"1","key":"k"}]}`)},
		"malformed":     {"POST", "application/json", []byte(`{"docs":[`)},
		"binary":        {"PUT", "application/octet-stream", []byte{0, 1, 2, 0xff, 0xfe, 0, '\r', '\n'}},
		"invalid utf-8": {"POST", "text/plain", []byte("caf\xe9 \xc3\x28")},
		"1 MiB":         {"POST", "text/plain", big},
		"empty GET":     {"GET", "", nil},
		"odd method":    {"PURGE", "", []byte("x")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			hdr := http.Header{}
			if tc.ctype != "" {
				hdr.Set("Content-Type", tc.ctype)
			}
			resp := send(t, tc.method, srv.URL()+"/hooks/"+strings.ReplaceAll(name, " ", "-"), tc.body, hdr)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			c := capturedFrom(t, st, resp)
			if !bytes.Equal(c.Body, tc.body) || c.Method != tc.method || c.Truncated {
				t.Fatalf("stored %s %d bytes truncated=%v, want %s %d bytes", c.Method, len(c.Body), c.Truncated, tc.method, len(tc.body))
			}
		})
	}
}

func TestRepeatedHeadersAndQueryKeysAreKept(t *testing.T) {
	srv, st := start(t, Options{})
	req, _ := http.NewRequest("POST", srv.URL()+"/a%2Fb/c?x=1&x=2&y=%2B", strings.NewReader("{}"))
	req.Header.Add("X-Trace", "one")
	req.Header.Add("X-Trace", "two")
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := capturedFrom(t, st, resp)
	if got := c.Header["X-Trace"]; len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Errorf("X-Trace = %q", got)
	}
	if c.Header.Get("Authorization") != "Bearer t0ken" {
		t.Errorf("authorization lost")
	}
	if c.Path != "/a%2Fb/c" || c.RawQuery != "x=1&x=2&y=%2B" {
		t.Errorf("target = %q ? %q, want the bytes as sent", c.Path, c.RawQuery)
	}
	if c.RemoteAddr == "" || c.Proto != "HTTP/1.1" || c.Host == "" {
		t.Errorf("connection facts missing: %+v", c)
	}
	if c.Response.Status != 200 || c.Response.Header.Get(CaptureIDHeader) != c.ID.String() {
		t.Errorf("stored response = %+v", c.Response)
	}
}

func TestOversizedBodyIs413AndStoredTruncated(t *testing.T) {
	srv, st := start(t, Options{MaxBody: 1000})
	body := bytes.Repeat([]byte("a"), 5000)
	resp := send(t, "POST", srv.URL()+"/big", body, nil)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
	msg, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(msg), "larger than 1000 bytes") {
		t.Errorf("answer %q does not say why", msg)
	}
	c := capturedFrom(t, st, resp)
	if !c.Truncated || len(c.Body) != 1000 || c.Response.Status != 413 {
		t.Fatalf("stored truncated=%v len=%d status=%d", c.Truncated, len(c.Body), c.Response.Status)
	}
	// The limit can change while serving.
	srv.SetMaxBody(2000)
	if resp := send(t, "POST", srv.URL()+"/big", body[:1500], nil); resp.StatusCode != 200 {
		t.Fatalf("after raising the limit: %d", resp.StatusCode)
	}
	srv.SetMaxBody(1000)
	// Exactly at the limit is not truncated.
	resp = send(t, "POST", srv.URL()+"/exact", body[:1000], nil)
	if resp.StatusCode != 200 || capturedFrom(t, st, resp).Truncated {
		t.Fatalf("a body of exactly the limit: status %d", resp.StatusCode)
	}
}

func TestHeaderFloodIs431(t *testing.T) {
	srv, st := start(t, Options{})
	hdr := http.Header{}
	for i := 0; i < 300; i++ {
		hdr.Set(fmt.Sprintf("X-Flood-%d", i), strings.Repeat("v", 4096))
	}
	resp := send(t, "POST", srv.URL()+"/flood", []byte("x"), hdr)
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", resp.StatusCode)
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatalf("a refused request was stored")
	}
}

func TestReservedPrefixIsNotCaptured(t *testing.T) {
	srv, st := start(t, Options{})
	resp := send(t, "POST", srv.URL()+"/_hookscope/nothing", []byte("x"), nil)
	if resp.StatusCode != 404 {
		t.Fatalf("status %d, want 404", resp.StatusCode)
	}
	var e struct{ Error string }
	json.NewDecoder(resp.Body).Decode(&e)
	if e.Error == "" {
		t.Fatal("404 without a JSON error")
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatalf("reserved path was captured")
	}
	// A path that merely starts alike is an ordinary capture.
	if resp := send(t, "POST", srv.URL()+"/_hookscopey", nil, nil); resp.StatusCode != 200 {
		t.Fatalf("/_hookscopey: %d", resp.StatusCode)
	}
}

func TestSlowHeadersAreCutWhileOthersAreServed(t *testing.T) {
	srv, _ := start(t, Options{ReadHeaderTimeout: 200 * time.Millisecond})
	slow := dial(t, srv.Addr())
	defer slow.Close()
	fmt.Fprintf(slow, "POST /slow HTTP/1.1\r\nHost: x\r\n") // never finishes its headers

	if resp := send(t, "POST", srv.URL()+"/fast", []byte("ok"), nil); resp.StatusCode != 200 {
		t.Fatalf("fast client: %d", resp.StatusCode)
	}
	slow.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err := io.ReadAll(slow)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the slow client was still connected after 3 s")
	}
}

func TestPortInUseNamesTheAddress(t *testing.T) {
	srv, st := start(t, Options{})
	other := New(st, Options{})
	err := other.Start(srv.Addr())
	if err == nil || !strings.Contains(err.Error(), srv.Addr()) || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("err = %v", err)
	}
}

// captureAcross sends a capture to addr in two halves and runs action while
// the handler waits for the second: the capture must still be stored whole
// and answered 200 before action returns.
func captureAcross(t *testing.T, st *store.Store, addr string, action func() error) {
	t.Helper()
	conn := dial(t, addr)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /inflight HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
	time.Sleep(100 * time.Millisecond) // the handler is now reading the body
	done := make(chan error, 1)
	go func() { done <- action() }()
	time.Sleep(100 * time.Millisecond)
	fmt.Fprintf(conn, "world")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("in-flight capture answered %d", resp.StatusCode)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c := capturedFrom(t, st, resp); string(c.Body) != "helloworld" {
		t.Fatalf("in-flight body %q", c.Body)
	}
}

func TestStopFinishesInFlightCaptures(t *testing.T) {
	srv, st := start(t, Options{})
	captureAcross(t, st, srv.Addr(), func() error { return srv.Stop(context.Background()) })
}

func TestAPIListGetDelete(t *testing.T) {
	srv, _ := start(t, Options{})
	var ids []string
	for i, ct := range []string{"application/json", "text/plain", "application/json; charset=utf-8"} {
		resp := send(t, "POST", fmt.Sprintf("%s/p/%d?n=%d", srv.URL(), i, i), []byte(fmt.Sprintf(`{"n":%d}`, i)), http.Header{"Content-Type": {ct}})
		ids = append(ids, resp.Header.Get(CaptureIDHeader))
	}
	api := srv.URL() + "/_hookscope/api"

	var page ListJSON
	getJSON(t, api+"/captures?limit=2", 200, &page)
	if len(page.Captures) != 2 || page.Captures[0].ID != ids[2] || page.Captures[0].Path != "/p/2?n=2" || page.Next != ids[1] {
		t.Fatalf("first page = %+v", page)
	}
	first := page.Captures[0]
	if first.ContentType != "application/json" || first.Size != 7 || first.Method != "POST" {
		t.Fatalf("summary = %+v", first)
	}
	if _, err := time.Parse(time.RFC3339Nano, first.ReceivedAt); err != nil {
		t.Fatalf("received_at %q: %v", first.ReceivedAt, err)
	}
	getJSON(t, api+"/captures?limit=2&before="+page.Next, 200, &page)
	if len(page.Captures) != 1 || page.Captures[0].ID != ids[0] || page.Next != "" {
		t.Fatalf("second page = %+v", page)
	}
	getJSON(t, api+"/captures?q=text/plain", 200, &page)
	if len(page.Captures) != 1 || page.Captures[0].ID != ids[1] {
		t.Fatalf("search = %+v", page)
	}

	var c CaptureJSON
	getJSON(t, api+"/captures/"+ids[1], 200, &c)
	body, _ := base64.StdEncoding.DecodeString(c.BodyBase64)
	if string(body) != `{"n":1}` || c.Headers.Get("Content-Type") != "text/plain" || c.Response.Status != 200 {
		t.Fatalf("capture = %+v", c)
	}

	errorCases := map[string]struct {
		method, url string
		status      int
	}{
		"bad cursor":      {"GET", api + "/captures?before=nope", 400},
		"bad limit":       {"GET", api + "/captures?limit=0", 400},
		"bad id":          {"GET", api + "/captures/xyz", 400},
		"unknown id":      {"GET", api + "/captures/0000000000000001", 404},
		"unknown delete":  {"DELETE", api + "/captures/0000000000000001", 404},
		"unknown route":   {"GET", api + "/nope", 404},
		"delete existing": {"DELETE", api + "/captures/" + ids[0], 204},
		"deleted is gone": {"GET", api + "/captures/" + ids[0], 404},
	}
	for _, name := range []string{"bad cursor", "bad limit", "bad id", "unknown id", "unknown delete", "unknown route", "delete existing", "deleted is gone"} {
		tc := errorCases[name]
		resp := send(t, tc.method, tc.url, nil, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, tc.status)
		}
		if tc.status >= 400 {
			var e struct{ Error string }
			if json.NewDecoder(resp.Body).Decode(&e); e.Error == "" {
				t.Errorf("%s: no JSON error", name)
			}
		}
	}
	if resp := send(t, "DELETE", api+"/captures", nil, nil); resp.StatusCode != 204 {
		t.Fatalf("clear: %d", resp.StatusCode)
	}
	getJSON(t, api+"/captures", 200, &page)
	if len(page.Captures) != 0 {
		t.Fatalf("after clear: %+v", page)
	}
}

func getJSON(t *testing.T, url string, status int, v any) {
	t.Helper()
	resp := send(t, "GET", url, nil, nil)
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestAPIRefusesNonLoopbackClients(t *testing.T) {
	st := newStore(t)
	h := New(st, Options{}).Handler()
	for _, remote := range []string{"192.0.2.7:4000", "[2001:db8::1]:4000", "garbage"} {
		req := httptest.NewRequest("GET", "/_hookscope/api/captures", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", remote, rec.Code)
		}
	}
	// Captures from anywhere are still taken.
	req := httptest.NewRequest("POST", "/from-lan", strings.NewReader("x"))
	req.RemoteAddr = "192.0.2.7:4000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("capture from LAN: %d", rec.Code)
	}
	// Requests a web page could make from the user's own browser.
	pageRequests := map[string]func(*http.Request){
		"rebound host":         func(r *http.Request) { r.Host = "attacker.test:8787" },
		"cross-origin":         func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") },
		"null origin":          func(r *http.Request) { r.Header.Set("Origin", "null") },
		"local dev server":     func(r *http.Request) { r.Header.Set("Origin", "http://localhost:3000") },
		"loopback, other port": func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:9999") },
		"lookalike host":       func(r *http.Request) { r.Host = "localhost.evil.example" },
		"loopback-ish subname": func(r *http.Request) { r.Host = "127.0.0.1.nip.io" },
	}
	for name, tweak := range pageRequests {
		req := httptest.NewRequest("POST", "/_hookscope/api/captures/0000000000000001/replay", strings.NewReader(`{"url":"http://x"}`))
		req.RemoteAddr = "127.0.0.1:1"
		req.Host = "127.0.0.1:8787"
		tweak(req)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, rec.Code)
		}
	}
	for _, host := range []string{"localhost:8787", "127.0.0.1:8787", "[::1]:8787", "LOCALHOST"} {
		req := httptest.NewRequest("GET", "/_hookscope/api/captures", nil)
		req.RemoteAddr, req.Host = "127.0.0.1:1", host
		req.Header.Set("Origin", "http://"+host)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("host %s: status %d, want 200", host, rec.Code)
		}
	}
	for _, remote := range []string{"127.0.0.1:1", "[::1]:1"} {
		req := httptest.NewRequest("GET", "/_hookscope/api/captures", nil)
		req.RemoteAddr, req.Host = remote, "localhost:8787"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("%s: status %d, want 200", remote, rec.Code)
		}
	}
}

func TestEventsStreamNewCaptures(t *testing.T) {
	srv, _ := start(t, Options{})
	resp := openEvents(t, srv, 5*time.Second)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	sent := send(t, "POST", srv.URL()+"/live?a=1", []byte(`{"live":true}`), nil)
	id := sent.Header.Get(CaptureIDHeader)

	sc := bufio.NewScanner(resp.Body)
	_, data, ok := nextEvent(sc)
	if !ok {
		t.Fatalf("stream ended without the event: %v", sc.Err())
	}
	var sum SummaryJSON
	if err := json.Unmarshal([]byte(data), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.ID != id || sum.Path != "/live?a=1" || sum.Size != 13 {
		t.Fatalf("event = %+v, want capture %s", sum, id)
	}
}

func TestSlowBodyIsCutWithAClearAnswer(t *testing.T) {
	srv, st := start(t, Options{ReadTimeout: 300 * time.Millisecond})
	conn := dial(t, srv.Addr())
	defer conn.Close()
	fmt.Fprintf(conn, "POST /slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(msg), "too slowly") {
		t.Fatalf("answer %d %s", resp.StatusCode, msg)
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatal("an unacknowledged partial body was stored")
	}
}

// Moving to a busy address leaves the receiver where it was; moving to a free
// one listens there first, then lets a capture in flight on the old address
// finish before the old address is given up.
func TestMoveListensFirstThenLetsGo(t *testing.T) {
	srv, st := start(t, Options{})
	old := srv.Addr()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if err := srv.Move(context.Background(), busy.Addr().String()); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Fatalf("move to a busy address: %v", err)
	}
	if srv.Addr() != old {
		t.Fatalf("after a failed move the receiver is on %q, want %q", srv.Addr(), old)
	}
	if resp := send(t, "POST", "http://"+old+"/still", []byte("here"), nil); resp.StatusCode != 200 {
		t.Fatalf("capture on the old address after a failed move: %d", resp.StatusCode)
	}

	captureAcross(t, st, old, func() error { return srv.Move(context.Background(), "127.0.0.1:0") })
	if srv.Addr() == old || srv.Addr() == "" {
		t.Fatalf("after the move the receiver is on %q", srv.Addr())
	}
	if resp := send(t, "POST", srv.URL()+"/moved", []byte("x"), nil); resp.StatusCode != 200 {
		t.Fatalf("capture on the new address: %d", resp.StatusCode)
	}
	if _, err := http.Post("http://"+old+"/gone", "text/plain", strings.NewReader("x")); err == nil {
		t.Fatal("the old address still answers after the move")
	}
}

// The API's JSON shows "&" and "<" as written, not as \u0026 and \u003c,
// in answers and in the event stream's data alike.
func TestAPIJSONDoesNotEscapeHTML(t *testing.T) {
	srv, _ := start(t, Options{})
	send(t, "POST", srv.URL()+"/form?x=1&y=<2>", []byte("a"), nil)
	resp := send(t, "GET", srv.URL()+"/_hookscope/api/captures", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	if !bytes.Contains(body, []byte("x=1&y=<2>")) || bytes.Contains(body, []byte(`\u0026`)) {
		t.Fatalf("list:\n%s", body)
	}
}
