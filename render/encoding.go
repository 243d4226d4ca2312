package render

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/andybalholm/brotli"
)

// Decoded is body with its Content-Encoding (listed in header) undone as
// the Body tab shows it, and notes saying what was done; a coding it cannot
// undo leaves the stored bytes, and a note says why.
func Decoded(body []byte, header http.Header) ([]byte, []string) {
	var r renderer
	out := r.decode(body, header.Values("Content-Encoding"))
	return out, r.doc.Notes
}

// decode undoes Content-Encoding for display. On any failure it returns the
// stored bytes untouched: half a decoded body would be more misleading than
// the compressed original.
func (r *renderer) decode(body []byte, values []string) []byte {
	if len(body) == 0 {
		return body
	}
	var codings []string
	for _, v := range values {
		for c := range strings.SplitSeq(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	if len(codings) == 0 {
		return body
	}
	out := body
	// Codings are listed in the order they were applied.
	for i := len(codings) - 1; i >= 0; i-- {
		decoded, truncated, err := decodeOne(out, codings[i])
		if err != nil {
			r.note(fmt.Sprintf("could not decode %s (%v); showing stored bytes", codings[i], err))
			return body
		}
		if truncated {
			r.note(fmt.Sprintf("decoded body exceeds %s; showing the first %s",
				sizeString(maxDecoded), sizeString(maxDecoded)))
		}
		out = decoded
	}
	r.note("decoded from " + strings.Join(codings, ", ") + " for display; stored bytes unchanged")
	return out
}

func decodeOne(b []byte, coding string) ([]byte, bool, error) {
	switch coding {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, false, err
		}
		return readCapped(zr)
	case "deflate":
		// RFC 9110 says zlib, but some servers send raw deflate.
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err == nil {
			var out []byte
			var truncated bool
			if out, truncated, err = readCapped(zr); err == nil {
				return out, truncated, nil
			}
		}
		out, truncated, rawErr := readCapped(flate.NewReader(bytes.NewReader(b)))
		if rawErr != nil {
			return nil, false, err // the zlib error names the expected format
		}
		return out, truncated, nil
	case "br":
		return readCapped(brotli.NewReader(bytes.NewReader(b)))
	}
	return nil, false, fmt.Errorf("unsupported Content-Encoding")
}

func readCapped(rd io.Reader) ([]byte, bool, error) {
	out, err := io.ReadAll(io.LimitReader(rd, int64(maxDecoded)+1))
	if err != nil {
		return nil, false, err
	}
	if len(out) > maxDecoded {
		return out[:maxDecoded], true, nil
	}
	return out, false, nil
}
