package store

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
)

// maxSearchDecoded bounds how much of an encoded body a search inflates: a
// few KiB of gzip can expand to gigabytes, and a search visits every
// capture. Text past it is not found.
const maxSearchDecoded = 16 << 20

// contentCoding returns the value of an encoded header when it is
// Content-Encoding, else nil.
func contentCoding(field []byte) []byte {
	n, k := binary.Uvarint(field)
	if k <= 0 || n != uint64(len("content-encoding")) || uint64(len(field)-k) < n {
		return nil
	}
	if !equalFoldASCII(field[k:k+int(n)], []byte("content-encoding")) {
		return nil
	}
	return field[k+int(n):]
}

// decodedBody undoes the codings of a Content-Encoding value (listed in the
// order they were applied, RFC 9110 §8.4) as the Body tab does, into buf,
// and returns the decoded bytes: at most maxSearchDecoded of them, and what
// came out before an error (a body truncated by the receiver still decodes
// in part). ok is false when a coding is not gzip, deflate or br.
func decodedBody(body []byte, coding string, buf *bytes.Buffer) (out []byte, ok bool) {
	var codings []string
	for c := range strings.SplitSeq(coding, ",") {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && c != "identity" {
			codings = append(codings, c)
		}
	}
	if len(codings) == 0 {
		return nil, false
	}
	out = body
	for i := len(codings) - 1; i >= 0; i-- {
		r, err := codingReader(out, codings[i])
		if err != nil {
			return nil, false
		}
		next := &bytes.Buffer{}
		if i == 0 {
			next = buf // the last step reuses the scan's buffer
		}
		next.Reset()
		// An error ends the decoding but keeps what came out before it.
		_, _ = next.ReadFrom(io.LimitReader(r, maxSearchDecoded))
		out = next.Bytes()
	}
	return out, true
}

// codingReader reads body decoded from one content coding.
func codingReader(body []byte, coding string) (io.Reader, error) {
	switch coding {
	case "gzip", "x-gzip":
		return gzip.NewReader(bytes.NewReader(body))
	case "deflate":
		// RFC 9110 §8.4.1.2 says zlib, but some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
			return zr, nil
		}
		return flate.NewReader(bytes.NewReader(body)), nil
	case "br":
		return brotli.NewReader(bytes.NewReader(body)), nil
	}
	return nil, errUnknownCoding
}

var errUnknownCoding = errors.New("unknown content coding")

// matchEncodedBody looks for the text in the body decoded from coding.
func (m *matcher) matchEncodedBody(body, coding []byte) bool {
	if len(body) == 0 || len(coding) == 0 {
		return false
	}
	out, ok := decodedBody(body, string(coding), &m.decoded)
	return ok && m.containsNeedle(out)
}
