package receiver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hookscope/delivery"
	"hookscope/export"
	"hookscope/store"
)

// answer is one response read off a raw connection, body included.
type answer struct {
	status int
	header http.Header
	body   string
}

// exchange writes raw to a fresh connection to addr and reads answers until
// it has want of them (want < 0: until the server closes the connection).
// closed says whether the server closed the connection after the last one;
// it is only looked at when want < 0, and a generous deadline turns a
// connection left open into closed == false rather than a hang.
func exchange(t *testing.T, addr, raw string, want int) (answers []answer, closed bool) {
	t.Helper()
	conn := dial(t, addr)
	defer conn.Close()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for want < 0 || len(answers) < want {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return answers, false
			}
			return answers, true // EOF or reset: the server hung up
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("answer %d: reading its body: %v", len(answers), err)
		}
		answers = append(answers, answer{resp.StatusCode, resp.Header, string(body)})
	}
	return answers, false
}

// hungUpHaving checks that the server closed the connection after a
// refused request and that exactly want captures from it were stored.
func hungUpHaving(t *testing.T, st *store.Store, closed bool, want int) {
	t.Helper()
	if !closed {
		t.Error("the connection stayed open after the refusal")
	}
	if n, _ := st.Count(); n != want {
		page, _, _ := st.List(store.Filter{}, 0, 10)
		t.Fatalf("%d captures stored, want %d: %+v", n, want, page)
	}
}

func chunk(s string) string { return fmt.Sprintf("%x\r\n%s\r\n", len(s), s) }

// A request whose framing two parsers could read two ways — Content-Length
// beside Transfer-Encoding, or Transfer-Encoding on HTTP/1.0 — is answered
// 400 and the connection closed (RFC 9112 §6.1, §6.3): nothing of it is
// stored, and the bytes after it never become a second capture.
func TestAmbiguousFramingIsRefusedAndTheConnectionClosed(t *testing.T) {
	smuggled := "POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
	smuggled10 := "GET /smuggled HTTP/1.0\r\n\r\n"
	tests := map[string]string{
		"Content-Length and chunked": "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"0\r\n\r\n" + smuggled,
		"chunked before Content-Length, other spellings": "POST /a HTTP/1.1\r\nHost: x\r\ntransfer-encoding: Chunked\r\ncontent-length: 3\r\n\r\n" +
			chunk("abc") + "0\r\n\r\n" + smuggled,
		"HTTP/1.0 chunked with Content-Length": "POST /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
			chunk(smuggled10) + "0\r\n\r\n",
		"HTTP/1.0 chunked, keep-alive": "POST /a HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n" +
			chunk("hello") + "0\r\n\r\n" + smuggled10,
		"HTTP/1.0 chunked, no keep-alive": "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("hello") + "0\r\n\r\n",
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			srv, st := start(t, Options{})
			answers, closed := exchange(t, srv.Addr(), raw, -1)
			if len(answers) != 1 || answers[0].status != http.StatusBadRequest {
				t.Fatalf("answers %+v, want one 400", answers)
			}
			if !strings.Contains(answers[0].body, "framing") {
				t.Errorf("the 400 does not say why: %s", answers[0].body)
			}
			hungUpHaving(t, st, closed, 0)
		})
	}
}

// An OPTIONS * framed two ways is refused like any other request (net/http,
// when it answered OPTIONS * itself, kept the connection): what follows it
// on the connection is refused too.
func TestAmbiguousOptionsStarDoesNotSmuggleTheNextRequest(t *testing.T) {
	srv, st := start(t, Options{})
	raw := "OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
		"POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
	answers, closed := exchange(t, srv.Addr(), raw, -1)
	for i, a := range answers {
		if a.header.Get(CaptureIDHeader) != "" {
			t.Errorf("answer %d acknowledges a capture: %d %s", i, a.status, a.body)
		}
	}
	hungUpHaving(t, st, closed, 0)
}

// Ordinary keep-alive traffic is untouched: pipelined requests of every
// framing on one connection are each captured, and the connection stays
// open. An OPTIONS * in between (captured with the path *) does not confuse
// which request is which.
func TestPipelinedRequestsOfEveryFramingAreCaptured(t *testing.T) {
	srv, st := start(t, Options{})
	raw := "POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
		"POST /two HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("de") + chunk("f") + "0\r\n\r\n" +
		"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /three?q=1 HTTP/1.1\r\nHost: x\r\n\r\n" +
		"POST /four HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\ngh" +
		"POST /five HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
	answers, closed := exchange(t, srv.Addr(), raw, -1)
	want := []struct {
		status     int
		path, body string
	}{{200, "/one", "abc"}, {200, "/two", "def"}, {200, "*", ""}, {200, "/three", ""}, {200, "/four", "gh"}, {400, "", ""}}
	if len(answers) != len(want) {
		t.Fatalf("%d answers, want %d: %+v", len(answers), len(want), answers)
	}
	for i, w := range want {
		a := answers[i]
		if a.status != w.status {
			t.Fatalf("answer %d: status %d, want %d (%s)", i, a.status, w.status, a.body)
		}
		if w.path == "" {
			continue
		}
		c := storedFor(t, st, a.header)
		if c.Path != w.path || string(c.Body) != w.body {
			t.Errorf("answer %d: stored %s %q, want %s %q", i, c.Path, c.Body, w.path, w.body)
		}
	}
	hungUpHaving(t, st, closed, 5)
}

// A chunked request is stored with its body exact, its transfer coding and
// its trailer fields, so it can be shown and replayed as it was framed.
func TestChunkedRequestKeepsItsTrailers(t *testing.T) {
	srv, st := start(t, Options{})
	raw := "POST /chunked HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\n\r\n" +
		chunk("hello") + chunk(" wor") + "2;ext=1\r\nld\r\n" + "0\r\nX-Checksum: sha256=abc\r\nX-Late: 1\r\nX-Late: 2\r\n\r\n" +
		"POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"
	answers, _ := exchange(t, srv.Addr(), raw, 2)
	if len(answers) != 2 || answers[0].status != 200 || answers[1].status != 200 {
		t.Fatalf("answers %+v", answers)
	}
	c := storedFor(t, st, answers[0].header)
	if string(c.Body) != "hello world" {
		t.Errorf("body %q", c.Body)
	}
	if fmt.Sprint(c.TransferEncoding) != "[chunked]" {
		t.Errorf("transfer encoding %q", c.TransferEncoding)
	}
	if fmt.Sprint(c.Trailer) != "map[X-Checksum:[sha256=abc] X-Late:[1 2]]" {
		t.Errorf("trailer %v", c.Trailer)
	}
	if got := c.Header["Trailer"]; len(got) != 1 || got[0] != "X-Checksum" {
		t.Errorf("the Trailer declaration is %q, want X-Checksum as sent", got)
	}
	if plain := storedFor(t, st, answers[1].header); plain.TransferEncoding != nil || plain.Trailer != nil {
		t.Errorf("a Content-Length request: transfer encoding %q, trailer %v", plain.TransferEncoding, plain.Trailer)
	}
}

// End to end: a chunked request with trailers sent over a raw connection is
// shown chunked with them in the raw text, and its replay arrives chunked
// with them.
func TestChunkedCaptureIsShownAndReplayedAsFramed(t *testing.T) {
	srv, st := start(t, Options{})
	raw := "POST /hooks/in HTTP/1.1\r\nHost: x\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\n\r\n" +
		chunk("hello") + chunk(" world") + "0\r\nX-Checksum: sha256=abc\r\n\r\n"
	answers, _ := exchange(t, srv.Addr(), raw, 1)
	if len(answers) != 1 || answers[0].status != 200 {
		t.Fatalf("answers %+v", answers)
	}
	c := storedFor(t, st, answers[0].header)

	text := export.RawRequest(c, string(c.Body))
	want := "POST /hooks/in HTTP/1.1\r\nHost: x\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"b\r\nhello world\r\n0\r\nX-Checksum: sha256=abc\r\n\r\n"
	if text != want {
		t.Errorf("raw text\n%q\nwant\n%q", text, want)
	}

	type arrival struct {
		te      []string
		body    string
		trailer http.Header
	}
	got := make(chan arrival, 1)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- arrival{r.TransferEncoding, string(body), r.Trailer}
	}))
	defer target.Close()
	a, err := srv.Delivery().Replay(context.Background(), c, nil, delivery.ReplayOptions{URL: target.URL})
	if err != nil || a.StatusCode != 200 {
		t.Fatalf("replay: %v %+v", err, a)
	}
	if g := <-got; fmt.Sprint(g) != fmt.Sprint(arrival{[]string{"chunked"}, "hello world", http.Header{"X-Checksum": {"sha256=abc"}}}) {
		t.Errorf("the replay arrived as %+v", g)
	}
}
