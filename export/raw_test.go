package export

import (
	"bufio"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"hookscope/store"
)

func chunkedCapture() *store.Capture {
	return &store.Capture{
		ReceivedAt: base, Method: "POST", Path: "/hooks/chunked", RawQuery: "x=1", Proto: "HTTP/1.1",
		Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:5",
		Header: http.Header{
			"Content-Type": {"application/json"},
			"Trailer":      {"X-Checksum"},
		},
		Body:             []byte("{\"a\":1}\r\n{\"b\":2}"),
		TransferEncoding: []string{"chunked"},
		Trailer:          http.Header{"X-Checksum": {"sha256=abc"}, "X-Late": {"1", "2"}},
		Response:         store.Response{Status: 200},
	}
}

// The raw text of a chunked capture is the request as it was framed: read
// back by net/http it gives the same method, target, header fields, body,
// transfer coding and trailers.
func TestRawRequestIsTheRequestAsFramed(t *testing.T) {
	plain := &store.Capture{
		Method: "PUT", Path: "/p", Host: "h", Body: []byte("a\x00b"),
		Header: http.Header{"Content-Length": {"3"}, "X-Two": {"1", "2"}},
	}
	emptyChunked := &store.Capture{Method: "POST", Path: "/e", Host: "h", TransferEncoding: []string{"chunked"}}
	for name, c := range map[string]*store.Capture{"chunked": chunkedCapture(), "plain": plain, "empty chunked": emptyChunked} {
		t.Run(name, func(t *testing.T) {
			raw := RawRequest(c, string(c.Body))
			req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
			if err != nil {
				t.Fatalf("%v in\n%s", err, raw)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				t.Fatalf("body: %v in\n%s", err, raw)
			}
			if req.Method != c.Method || req.RequestURI != c.URI() || req.Host != c.Host || string(body) != string(c.Body) {
				t.Errorf("read back %s %s host %s body %q", req.Method, req.RequestURI, req.Host, body)
			}
			if !reflect.DeepEqual(req.TransferEncoding, c.TransferEncoding) {
				t.Errorf("transfer encoding %q, want %q", req.TransferEncoding, c.TransferEncoding)
			}
			var trailer http.Header
			if len(req.Trailer) > 0 || c.Trailer != nil {
				trailer = req.Trailer
			}
			if !reflect.DeepEqual(trailer, c.Trailer) {
				t.Errorf("trailer %v, want %v", req.Trailer, c.Trailer)
			}
			// net/http takes Trailer out of the header of a chunked request.
			want := c.Header.Clone()
			if len(c.TransferEncoding) > 0 {
				delete(want, "Trailer")
			}
			if len(want) == 0 {
				want = http.Header{}
			}
			if !reflect.DeepEqual(req.Header, want) {
				t.Errorf("header %v, want %v", req.Header, want)
			}
		})
	}
}

func TestRawRequestShowsTheFraming(t *testing.T) {
	c := chunkedCapture()
	got := RawRequest(c, "[16 B of body]")
	want := "POST /hooks/chunked?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8787\r\n" +
		"Content-Type: application/json\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"10\r\n[16 B of body]\r\n0\r\nX-Checksum: sha256=abc\r\nX-Late: 1\r\nX-Late: 2\r\n\r\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
