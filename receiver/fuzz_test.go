package receiver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hookscope/store"
)

// FuzzRawRequest writes raw HTTP/1.1 bytes to a real receiver on a real
// store and checks what came back against a reference reading of the same
// bytes: every 2xx answer carries the ID of a capture that holds exactly the
// method, target, body, transfer coding and trailers of the request the
// reference reads at that position, that request's framing is unambiguous,
// and nothing else was stored. A 4xx, a 5xx or no answer stores nothing.
func FuzzRawRequest(f *testing.F) {
	for _, seed := range rawSeeds() {
		f.Add([]byte(seed))
	}
	srv, st := start(f, Options{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > maxFuzzInput {
			t.Skip("longer than one read of the server: an unread rest would reset the connection")
		}
		want := referenceRequests(raw)
		for _, r := range want {
			if r.reserved {
				t.Skip("the local API is not a capture (and DELETE would empty the store)")
			}
		}
		since := time.Now()
		answers := sendRaw(t, srv.Addr(), raw, want)
		stored, _, err := st.List(store.Filter{Since: since}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		acked := map[store.ID]bool{}
		for i, a := range answers {
			if a.status/100 != 2 {
				continue
			}
			if i >= len(want) {
				t.Fatalf("answer %d is %d but the reference reads only %d requests in %q", i, a.status, len(want), raw)
			}
			id, ok := checkAnswer(t, st, a, want[i], raw, i)
			if ok {
				acked[id] = true
			}
		}
		for _, s := range stored {
			if !acked[s.ID] {
				t.Fatalf("capture %s %s %s was stored but never acknowledged; answers %v for %q", s.ID, s.Method, s.URI(), statuses(answers), raw)
			}
		}
		if len(stored) != len(acked) {
			t.Fatalf("%d captures stored, %d acknowledged, for %q", len(stored), len(acked), raw)
		}
	})
}

// maxFuzzInput keeps an input within the server's first read (its bufio
// buffer is 4 KiB): bytes left unread in the socket when the server closes
// make the kernel reset the connection, and the answers before it can be
// lost with it (which is why net/http lingers after a refused body).
const maxFuzzInput = 4000

func rawSeeds() []string {
	smuggled := "POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
	return []string{
		// The framing cases: Content-Length beside chunked, chunked on 1.0.
		"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
		"POST /a HTTP/1.1\r\nHost: x\r\ntransfer-encoding: Chunked\r\ncontent-length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + smuggled,
		"POST /a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nGET /smuggled HTTP/1.0\r\n\r\n\r\n0\r\n\r\n",
		"POST /a HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + smuggled,
		// Chunked with extensions and trailers.
		"POST /c?x=1 HTTP/1.1\r\nHost: x\r\nTrailer: X-Sum\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;e=1\r\n world\r\n0\r\nX-Sum: abc\r\nX-Other: 1\r\n\r\n",
		// A pipelined pair, and a pipelined mix with OPTIONS *.
		"POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /two HTTP/1.1\r\nHost: x\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nPUT /three HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
		// HTTP/1.0, with and without keep-alive.
		"POST /old HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi",
		"GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /again HTTP/1.0\r\n\r\n",
		// Normal requests, and what net/http tolerates between them.
		"GET /hooks/a%2Fb?x=1&x=2 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"a\":[1]}",
		"POST /crlf HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na\r\nHEAD /head HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /lf HTTP/1.1\nHost: x\nContent-Length: 1\n\nx\r\n\r\nGET /after-crlf HTTP/1.1\nHost: x\n\n",
		"POST /fold HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nX-T: 1\n\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nokDELETE http://other/abs?q HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	}
}

// refRequest is one request as the reference reads it.
type refRequest struct {
	method, path, query string
	body                []byte
	te                  []string
	trailer             http.Header
	fault               bool // its framing is ambiguous: it must not be acknowledged
	reserved            bool // under /_hookscope/: the API, not a capture
	optionsStar         bool // answered by net/http itself
}

// referenceRequests reads raw as a sequence of requests with
// http.ReadRequest, the whole input at once, stopping after the first it
// refuses, one that closes the connection, or one whose framing is
// ambiguous (RFC 9112 §6.1), which it returns marked.
func referenceRequests(raw []byte) []refRequest {
	br := bufio.NewReaderSize(bytes.NewReader(raw), len(raw)+16)
	var out []refRequest
	for prev := ""; ; {
		if prev == "POST" {
			// net/http's server skips up to 4 CR or LF after a POST.
			peek, _ := br.Peek(4)
			br.Discard(len(peek) - len(bytes.TrimLeft(peek, "\r\n")))
		}
		fault, ok := ambiguousFraming(br)
		if !ok {
			return out
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			return out
		}
		r := refRequest{method: req.Method, te: req.TransferEncoding, fault: fault}
		r.reserved = strings.HasPrefix(req.URL.Path, ReservedPrefix) || req.URL.Path+"/" == ReservedPrefix
		r.optionsStar = req.Method == "OPTIONS" && req.RequestURI == "*"
		if strings.HasPrefix(req.RequestURI, "/") {
			r.path, r.query, _ = strings.Cut(req.RequestURI, "?")
		} else {
			r.path, r.query = req.URL.EscapedPath(), req.URL.RawQuery
		}
		if !fault {
			if r.body, err = io.ReadAll(req.Body); err != nil {
				return out
			}
			r.trailer = sentTrailer(req.Trailer)
		}
		out = append(out, r)
		if fault || req.Close {
			return out
		}
		prev = req.Method
	}
}

// ambiguousFraming reads (without consuming) the header block at the start
// of br: whether it has Transfer-Encoding beside Content-Length or on
// HTTP/1.0. ok is false when there is no header block to read.
func ambiguousFraming(br *bufio.Reader) (fault, ok bool) {
	br.Peek(1)
	rest, _ := br.Peek(br.Buffered())
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(rest)))
	line, err := tp.ReadLine()
	if err != nil {
		return false, false
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		return false, false
	}
	_, te := hdr["Transfer-Encoding"]
	_, cl := hdr["Content-Length"]
	old := strings.HasSuffix(line, " HTTP/1.0") || strings.HasSuffix(line, " HTTP/0.9")
	return te && (cl || old), true
}

func sentTrailer(h http.Header) http.Header {
	var out http.Header
	for k, v := range h {
		if len(v) > 0 {
			if out == nil {
				out = http.Header{}
			}
			out[k] = v
		}
	}
	return out
}

// sendRaw writes raw to a fresh connection, half-closes it so the server
// never waits for more, and reads answers until the server closes. The
// deadline is generous: the server answers at once, only a store fsync on a
// loaded machine takes time.
func sendRaw(t *testing.T, addr string, raw []byte, want []refRequest) []answer {
	t.Helper()
	conn := dial(t, addr)
	defer conn.Close()
	if _, err := conn.Write(raw); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(conn)
	var answers []answer
	for {
		method := "GET"
		if len(answers) < len(want) {
			method = want[len(answers)].method // a HEAD answer has no body
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("no end of the answers after 60 s for %q", raw)
			}
			return answers // the server closed the connection
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return answers
		}
		if resp.StatusCode/100 == 1 {
			continue // 100 Continue before the answer
		}
		answers = append(answers, answer{resp.StatusCode, resp.Header, string(body)})
	}
}

// checkAnswer checks a 2xx answer against the request the reference reads
// at its position, and returns the capture it acknowledges.
func checkAnswer(t *testing.T, st *store.Store, a answer, r refRequest, raw []byte, i int) (store.ID, bool) {
	t.Helper()
	idText := a.header.Get(CaptureIDHeader)
	if idText == "" && r.optionsStar {
		return 0, false // net/http's own answer: nothing captured
	}
	if r.fault {
		t.Fatalf("answer %d is %d to a request framed two ways: %q", i, a.status, raw)
	}
	if idText == "" {
		t.Fatalf("answer %d is %d without a capture id for %s %s: %q", i, a.status, r.method, r.path, raw)
	}
	id, err := store.ParseID(idText)
	if err != nil {
		t.Fatalf("answer %d: %v", i, err)
	}
	c, err := st.Get(id)
	if err != nil {
		t.Fatalf("answer %d acknowledges capture %s: %v", i, id, err)
	}
	got := fmt.Sprintf("%s %q ? %q body %q te %q trailer %v", c.Method, c.Path, c.RawQuery, c.Body, c.TransferEncoding, c.Trailer)
	wantText := fmt.Sprintf("%s %q ? %q body %q te %q trailer %v", r.method, r.path, r.query, r.body, r.te, r.trailer)
	if got != wantText || c.Truncated || !reflect.DeepEqual(c.Trailer, r.trailer) {
		t.Fatalf("answer %d: stored\n\t%s\nthe reference reads\n\t%s\nin %q", i, got, wantText, raw)
	}
	return id, true
}

func statuses(answers []answer) []int {
	out := make([]int, len(answers))
	for i, a := range answers {
		out[i] = a.status
	}
	return out
}

// FuzzHeadScan checks the framer's reading of a header block against
// net/http's own (textproto's ReadLine and ReadMIMEHeader, as net/http's
// readRequest calls them): on every block textproto accepts, the framer ends
// the block at the same byte and finds the same request line, version,
// Transfer-Encoding and Content-Length values.
func FuzzHeadScan(f *testing.F) {
	for _, seed := range rawSeeds() {
		f.Add([]byte(seed))
	}
	f.Add([]byte("GET / HTTP/1.1\r\nContent-Length:\r\n  5 \t\r\n \r\nTransfer-Encoding: chunked \r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(data), len(data)+16)
		tp := textproto.NewReader(br)
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		_, rest, _ := strings.Cut(line, " ")
		_, proto, _ := strings.Cut(rest, " ")
		major, minor, ok := http.ParseHTTPVersion(proto)
		hdr, err := tp.ReadMIMEHeader()
		if !ok || err != nil {
			return
		}
		end := len(data) - br.Buffered()
		var fr framer
		fr.feed(data[:end-1])
		if len(fr.heads) != 0 {
			t.Fatalf("the framer ended the block before byte %d of %q", end, data)
		}
		fr.feed(data[end-1 : end])
		if len(fr.heads) != 1 || fr.heads[0].line != line {
			t.Fatalf("the framer did not end the block at byte %d of %q: %+v", end, data, fr.heads)
		}
		h, ok := scanHead(data[:end])
		order := h.order
		h.order = nil
		want := headFields{line, major, minor, hdr["Transfer-Encoding"], hdr["Content-Length"], nil}
		if !ok || !reflect.DeepEqual(h, want) {
			t.Fatalf("scanHead(%q) = %+v, %v; textproto reads %+v", data[:end], h, ok, want)
		}
		// The order names each field textproto read, once.
		names := slices.Sorted(maps.Keys(hdr))
		if got := slices.Sorted(slices.Values(order)); !slices.Equal(got, names) {
			t.Fatalf("scanHead(%q) ordered the names %q; textproto reads %q", data[:end], order, names)
		}
	})
}
