package receiver

import (
	"net/http"
	"slices"
	"strings"
)

// keepTrailerDeclaration puts the Trailer header field back in r.Header:
// net/http moves the names it declares into r.Trailer, and the capture
// should show the request as sent (RFC 9110 §6.6.2). It must run before the
// body is read, which fills r.Trailer with the received fields too.
func keepTrailerDeclaration(r *http.Request) {
	if len(r.Trailer) == 0 || r.Header == nil || len(r.Header["Trailer"]) > 0 {
		return
	}
	names := make([]string, 0, len(r.Trailer))
	for name := range r.Trailer {
		names = append(names, name)
	}
	slices.Sort(names)
	r.Header["Trailer"] = []string{strings.Join(names, ", ")}
}

// receivedTrailer is the trailer fields that followed r's chunked body, once
// it has been read; names declared but never sent are left out.
func receivedTrailer(r *http.Request) http.Header {
	var out http.Header
	for name, vals := range r.Trailer {
		if len(vals) == 0 {
			continue
		}
		if out == nil {
			out = http.Header{}
		}
		out[name] = vals
	}
	return out
}
