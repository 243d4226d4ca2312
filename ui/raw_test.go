package ui

import (
	"net/http"
	"strings"
	"testing"

	"hookscope/store"
)

// The Raw tab shows a chunked capture chunked, with its trailers; a binary
// body's note stands in for the bytes, whose real size the chunk line gives.
func TestRawTabShowsTheFraming(t *testing.T) {
	c := &store.Capture{
		Method: "POST", Path: "/in", Host: "h",
		Header:           http.Header{"Trailer": {"X-Checksum"}},
		Body:             []byte("a\x00b"),
		TransferEncoding: []string{"chunked"},
		Trailer:          http.Header{"X-Checksum": {"abc"}},
	}
	raw := rawRequest(c)
	for _, want := range []string{
		"POST /in HTTP/1.1\r\nHost: h\r\nTrailer: X-Checksum\r\nTransfer-Encoding: chunked\r\n\r\n",
		"\r\n3\r\n[3 B of binary body: see the Body tab]\r\n0\r\nX-Checksum: abc\r\n\r\n",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw tab %q lacks %q", raw, want)
		}
	}
}
