package receiver

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"hookscope/projects"
	"hookscope/projects/rules"
	"hookscope/store"
)

// setRules is p with the response rules rs, as package projects writes
// them.
func setRules(p store.Project, rs ...rules.Rule) store.Project {
	projects.SetRules(&p, rs)
	return p
}

// rulesOf is p's response rules.
func rulesOf(p store.Project) []rules.Rule {
	rs, _ := projects.RulesOf(p)
	return rs
}

// roundTrip sends req with the default client and returns the status, the
// answer's header and its body as it came.
func roundTrip(t *testing.T, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, resp.Header, b
}

// newRequest is http.NewRequest with a text body that fails the test on a
// malformed method or URL.
func newRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// raw sends a request and returns the status and the answer as it came.
func raw(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	status, _, b := roundTrip(t, newRequest(t, method, url, body))
	return status, string(b)
}

// dial opens a TCP connection to addr for writing a request byte by byte,
// as net/http's client would not; the caller closes it.
func dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// storedFor returns the capture whose ID an answer's header names; an
// answer without one fails the test.
func storedFor(t testing.TB, st *store.Store, answer http.Header) *store.Capture {
	t.Helper()
	id, err := store.ParseID(answer.Get(CaptureIDHeader))
	if err != nil {
		t.Fatalf("answer has no capture id: %v (headers %v)", err, answer)
	}
	c, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openEvents subscribes to the receiver's event stream for at most d; the
// stream is closed when the test ends.
func openEvents(t *testing.T, srv *Server, d time.Duration) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/_hookscope/api/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// nextEvent reads the stream up to its next data line and returns it with
// the event name that came before it ("" for an unnamed event); ok is
// false when the stream ended first.
func nextEvent(sc *bufio.Scanner) (event, data string, ok bool) {
	for sc.Scan() {
		line := sc.Text()
		if e, found := strings.CutPrefix(line, "event: "); found {
			event = e
		}
		if d, found := strings.CutPrefix(line, "data: "); found {
			return event, d, true
		}
	}
	return event, "", false
}
