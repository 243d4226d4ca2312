package receiver

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpguts"

	"hookscope/delivery"
	"hookscope/diff"
	"hookscope/store"
)

// CompareJSON is two captures (or a replay's request or answer) compared:
// the sides as asked, the report, and what was left out.
type CompareJSON struct {
	A string `json:"a"`
	B string `json:"b"`
	diff.Report
	Ignored IgnoredJSON `json:"ignored"`
}

// IgnoredJSON is what a comparison left out, and why: From is "query" (the
// ignore parameter), "project" (the lists Project remembers; "" is
// Unsorted) or "none" (no ignore parameter, and the sides belong to
// different projects).
type IgnoredJSON struct {
	Keys    []string `json:"keys"`
	Headers []string `json:"headers"`
	From    string   `json:"from"`
	Project *string  `json:"project,omitempty"`
}

func (a *localAPI) compareRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_hookscope/api/captures/compare", a.compareCaptures)
}

func (a *localAPI) compareCaptures(w http.ResponseWriter, r *http.Request) {
	var sides [2]delivery.Side
	var msgs [2]diff.Message
	var slugs [2]string
	for i, name := range []string{"a", "b"} {
		var err error
		if sides[i], msgs[i], slugs[i], err = a.compareSide(r, name); err != nil {
			writeError(w, fmt.Errorf("%s: %w", name, err))
			return
		}
	}
	ignored, err := a.compareIgnore(r.URL.Query(), slugs)
	if err != nil {
		writeError(w, err)
		return
	}
	ig := diff.Ignore{Keys: ignored.Keys, Headers: ignored.Headers}
	writeJSON(w, http.StatusOK, CompareJSON{
		A: sides[0].String(), B: sides[1].String(),
		Report: diff.Compare(msgs[0], msgs[1], ig), Ignored: ignored,
	})
}

// compareSide reads the side the parameter names, with the slug of its
// project. An attempt is masked as /replays answers it: credentials and
// the project's secrets, unless ?reveal=1.
func (a *localAPI) compareSide(r *http.Request, param string) (delivery.Side, diff.Message, string, error) {
	raw := r.URL.Query().Get(param)
	if raw == "" {
		return delivery.Side{}, diff.Message{}, "", fmt.Errorf("%w: missing: give the two sides as a=…&b=…", delivery.ErrInvalidSide)
	}
	side, err := delivery.ParseSide(raw)
	if err != nil {
		return side, diff.Message{}, "", err
	}
	loaded, err := delivery.Load(a.store, side)
	if err != nil {
		return side, diff.Message{}, "", err
	}
	slug := loaded.Project()
	if loaded.Attempt != nil {
		var proj *store.Project
		if p, ok := a.book.Get(slug); ok {
			proj = &p
		}
		scrubbed := newScrubber(r, proj).scrubAttempt(*loaded.Attempt)
		loaded.Attempt = &scrubbed
	}
	return side, loaded.Message(), slug, nil
}

// compareIgnore is what the comparison leaves out: the ignore parameter's
// entries when it is given (empty: nothing), else the lists remembered for
// the project both sides belong to.
func (a *localAPI) compareIgnore(q url.Values, slugs [2]string) (IgnoredJSON, error) {
	none := IgnoredJSON{Keys: []string{}, Headers: []string{}, From: "none"}
	if q.Has("ignore") {
		return ignoreParam(q.Get("ignore"))
	}
	if slugs[0] != slugs[1] {
		return none, nil
	}
	ig, err := a.book.CompareIgnore(slugs[0])
	if errors.Is(err, store.ErrProjectNotFound) {
		return none, nil // deleted since: its lists went with it
	}
	if err != nil {
		return IgnoredJSON{}, err
	}
	out := IgnoredJSON{Keys: ig.Keys, Headers: ig.Headers, From: "project", Project: &slugs[0]}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	if out.Headers == nil {
		out.Headers = []string{}
	}
	return out, nil
}

// ignoreParam reads ignore=k1,k2,Header-Name: an entry written as a key
// path leaves out that key, one written as a header name that header
// ("taskId" is both).
func ignoreParam(v string) (IgnoredJSON, error) {
	out := IgnoredJSON{Keys: []string{}, Headers: []string{}, From: "query"}
	for e := range strings.SplitSeq(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		key, header := diff.ValidKeyPath(e) == nil, httpguts.ValidHeaderFieldName(e)
		if !key && !header {
			return IgnoredJSON{}, &requestFields{what: "ignore list", fields: map[string]string{
				"ignore": fmt.Sprintf("%q is neither a key path (%v) nor a header name", e, diff.ValidKeyPath(e)),
			}}
		}
		if key {
			out.Keys = append(out.Keys, e)
		}
		if header {
			out.Headers = append(out.Headers, e)
		}
	}
	return out, nil
}
