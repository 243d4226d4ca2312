package diff

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Message is one side of a comparison: a request (a capture, or what a
// replay sent) or an answer (Status > 0, Method "").
type Message struct {
	Method string
	// Host is where a request went: the receiver's host for a capture,
	// the target's for what a replay sent; "" for an answer.
	Host           string
	Path, RawQuery string
	// Status is an answer's status code; 0 for a request, or for an answer
	// that never came, when Error says why.
	Status int
	Error  string
	// Header is as received or sent; names are matched case-insensitively.
	Header http.Header
	// Body is decoded: the caller undoes Content-Encoding.
	Body []byte
}

// Ignore lists what a comparison leaves out.
type Ignore struct {
	// Keys are JSON key paths as a Report writes them ("data.taskId",
	// `headers["x.y"]`), or bare key names ("timestamp": that key at any
	// depth). An ignored key leaves out everything under it.
	Keys []string `json:"keys"`
	// Headers are header names, case-insensitive.
	Headers []string `json:"headers"`
}

// The changes a FieldChange, HeaderChange or BodyChange reports; added
// means only the right side (b) has it.
const (
	ChangeSame    = "same"
	ChangeChanged = "changed"
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
)

// The kinds of body comparison.
const (
	BodyJSON   = "json"
	BodyText   = "text"
	BodyBinary = "binary"
	BodyEmpty  = "empty"
)

// Report is two messages compared, for a view or the API.
type Report struct {
	// Request is the method, the host, the path, the query parameters (one
	// row per name, "query.<name>"), the status and an answer's error,
	// those alike included;
	// a row is there when either side has a value.
	Request []FieldChange `json:"request"`
	// Headers are sorted by name, those alike included.
	Headers []HeaderChange `json:"headers"`
	Body    BodyReport     `json:"body"`
	// IgnoredChanges counts the differences the ignore lists left out
	// (headers and keys); those alike are not counted.
	IgnoredChanges int `json:"ignored_changes"`
}

// FieldChange is one line of the request or status line.
type FieldChange struct {
	Name   string `json:"name"`
	A      string `json:"a"`
	B      string `json:"b"`
	Change string `json:"change"`
}

// HeaderChange is one header name with its values on each side, in the
// order sent; a side without the header holds nil.
type HeaderChange struct {
	Name   string   `json:"name"`
	A      []string `json:"a"`
	B      []string `json:"b"`
	Change string   `json:"change"`
}

// BodyReport is how the two bodies differ.
type BodyReport struct {
	// Kind is BodyJSON when both bodies are JSON (by Content-Type or by
	// their bytes, as the Body tab tells), BodyBinary when either is
	// binary, BodyEmpty when both are empty, else BodyText.
	Kind string `json:"kind"`
	// Changes are, for JSON, one per key path; for text, one per run of
	// changed lines ("line 12"); for binary, at most one (the first
	// differing byte, "byte 12").
	Changes []BodyChange `json:"changes"`
	// Text is, for the text kind, the two bodies aligned line by line for a
	// side-by-side view.
	Text   *Text   `json:"-"`
	Binary *Binary `json:"binary,omitempty"`
	// Note says why the kind is not the one expected ("left is not valid
	// JSON …: compared as text").
	Note string `json:"note,omitempty"`
}

// BodyChange is one difference between the bodies. A and B are the values
// on each side, nil on a side that lacks it: a json.RawMessage for JSON (so
// the API writes the value itself), a string otherwise (the lines of a
// text run joined by "\n", the bytes of a binary body in hex).
type BodyChange struct {
	Path   string `json:"path"`
	Change string `json:"change"`
	A      any    `json:"a,omitempty"`
	B      any    `json:"b,omitempty"`
}

// Compare compares two messages: the request or status line, the headers
// and the bodies, leaving out what ignore names.
func Compare(a, b Message, ignore Ignore) Report {
	set := newIgnoreSet(ignore)
	r := Report{Request: compareLine(a, b)}
	var n, m int
	r.Headers, n = compareHeaders(a.Header, b.Header, set)
	r.Body, m = compareBody(a, b, set)
	r.IgnoredChanges = n + m
	return r
}

// Same reports whether the report found no difference.
func (r Report) Same() bool {
	for _, f := range r.Request {
		if f.Change != ChangeSame {
			return false
		}
	}
	for _, h := range r.Headers {
		if h.Change != ChangeSame {
			return false
		}
	}
	return len(r.Body.Changes) == 0
}

// change names how a value present (in) or not on each side changed.
func change(inA, inB, equal bool) string {
	switch {
	case !inB:
		return ChangeRemoved
	case !inA:
		return ChangeAdded
	case equal:
		return ChangeSame
	}
	return ChangeChanged
}

// compareLine compares the request line (method, path, query parameters)
// and the status, each row present when either side has it.
func compareLine(a, b Message) []FieldChange {
	out := []FieldChange{}
	field := func(name, x, y string) {
		if x != "" || y != "" {
			out = append(out, FieldChange{Name: name, A: x, B: y, Change: change(x != "", y != "", x == y)})
		}
	}
	field("method", a.Method, b.Method)
	field("host", a.Host, b.Host)
	field("path", a.Path, b.Path)
	qa, qb := queryValues(a.RawQuery), queryValues(b.RawQuery)
	for _, name := range unionKeys(qa, qb) {
		x, inA := qa[name]
		y, inB := qb[name]
		out = append(out, FieldChange{
			Name: "query." + name, A: strings.Join(x, ", "), B: strings.Join(y, ", "),
			Change: change(inA, inB, slices.Equal(x, y)),
		})
	}
	field("status", statusText(a.Status), statusText(b.Status))
	field("error", a.Error, b.Error)
	return out
}

// queryValues parses a query as far as it parses: a malformed escape
// loses only its own pair.
func queryValues(raw string) url.Values {
	v, _ := url.ParseQuery(raw)
	return v
}

func statusText(code int) string {
	if code <= 0 {
		return ""
	}
	return strconv.Itoa(code)
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// compareHeaders lines the headers up by name, whatever its case (RFC 9110
// §5.1), and returns how many that differ were ignored.
func compareHeaders(a, b http.Header, ignore *ignoreSet) ([]HeaderChange, int) {
	rows := map[string]*HeaderChange{}
	inA, inB := map[string]bool{}, map[string]bool{}
	gather := func(h http.Header, in map[string]bool, side func(*HeaderChange) *[]string) {
		for _, name := range slices.Sorted(maps.Keys(h)) {
			values := h[name]
			key := strings.ToLower(name)
			row := rows[key]
			if row == nil {
				row = &HeaderChange{Name: name}
				rows[key] = row
			}
			in[key] = true
			*side(row) = append(*side(row), values...)
		}
	}
	gather(a, inA, func(r *HeaderChange) *[]string { return &r.A })
	gather(b, inB, func(r *HeaderChange) *[]string { return &r.B })
	out := []HeaderChange{}
	ignored := 0
	for _, key := range unionKeys(inA, inB) {
		row := rows[key]
		row.Change = change(inA[key], inB[key], slices.Equal(row.A, row.B))
		if ignore.header(key) {
			if row.Change != ChangeSame {
				ignored++
			}
			continue
		}
		out = append(out, *row)
	}
	return out, ignored
}

// ignoreSet is an Ignore ready for look-ups.
type ignoreSet struct {
	names, paths, headers map[string]bool
}

func newIgnoreSet(ig Ignore) *ignoreSet {
	s := &ignoreSet{names: map[string]bool{}, paths: map[string]bool{}, headers: map[string]bool{}}
	for _, k := range ig.Keys {
		if strings.ContainsAny(k, ".[") {
			s.paths[k] = true
		} else {
			s.names[k] = true
		}
	}
	for _, h := range ig.Headers {
		s.headers[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return s
}

// key reports whether the key name at path is left out.
func (s *ignoreSet) key(name, path string) bool {
	return s != nil && (s.paths[path] || s.names[name])
}

// header reports whether the header with this lower-case name is left out.
func (s *ignoreSet) header(lower string) bool {
	return s != nil && s.headers[lower]
}
