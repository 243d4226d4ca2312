package store

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	bolt "go.etcd.io/bbolt"

	"hookscope/query"
)

// queryMatcher evaluates a parsed query's terms on a capture while the
// store scans: the summary's terms first, then the headers', the text's and
// the body's, so the costly ones run only on captures the cheap ones let
// through.
type queryMatcher struct {
	terms []query.Term
	// texts holds a matcher per text term, at the term's index: the free
	// text is found as Filter.Text always was (decoded bodies, escaped
	// forms).
	texts map[int]*matcher
	// decoded is scratch for a body decoded from its Content-Encoding.
	decoded bytes.Buffer
}

// termCost orders terms: what the summary answers, then headers, text and
// bodies.
func termCost(t query.Term) int {
	switch t.Field {
	case query.Header:
		return 1
	case query.Text:
		return 2
	case query.Body:
		return 3
	}
	return 0
}

func newQueryMatcher(q *query.Query) *queryMatcher {
	if q.Empty() {
		return nil
	}
	m := &queryMatcher{terms: slices.Clone(q.Terms), texts: map[int]*matcher{}}
	slices.SortStableFunc(m.terms, func(a, b query.Term) int { return termCost(a) - termCost(b) })
	for i, t := range m.terms {
		if t.Field == query.Text {
			m.texts[i] = newMatcher(Filter{Text: t.Value})
		}
	}
	return m
}

// scanning readies the text matchers for one transaction's scan.
func (m *queryMatcher) scanning(backward bool) {
	if m == nil {
		return
	}
	for _, t := range m.texts {
		t.scanning(backward)
	}
}

// subject is a capture as a term looks at it: raw records during a scan, or
// a Capture the window was handed.
type subject interface {
	headerMatches(t *query.Term) bool
	body() []byte // decoded from its Content-Encoding when it can be
	text(i int, tm *matcher) bool
}

// matchSummary checks the terms the summary answers; the others pass.
func (m *queryMatcher) matchSummary(s *Summary) bool {
	if m == nil {
		return true
	}
	for i := range m.terms {
		t := &m.terms[i]
		if termCost(*t) == 0 && summaryTerm(t, s) == t.Negate {
			return false
		}
	}
	return true
}

// match checks every term.
func (m *queryMatcher) match(s *Summary, sub subject) bool {
	if m == nil {
		return true
	}
	for i := range m.terms {
		t := &m.terms[i]
		var ok bool
		switch t.Field {
		case query.Header:
			ok = sub.headerMatches(t)
		case query.Text:
			ok = sub.text(i, m.texts[i])
		case query.Body:
			ok = bodyTerm(t, sub.body())
		default:
			ok = summaryTerm(t, s)
		}
		if ok == t.Negate {
			return false
		}
	}
	return true
}

func summaryTerm(t *query.Term, s *Summary) bool {
	switch t.Field {
	case query.Method:
		return query.Glob(t.Value, s.Method)
	case query.Path:
		return t.MatchString(s.Path)
	case query.Project:
		if t.Value == Unsorted {
			return s.Project == ""
		}
		return query.Glob(t.Value, s.Project)
	case query.Status:
		return t.MatchNumber(float64(s.Status))
	case query.Sig:
		if t.Value == "none" {
			return s.SignatureStatus == ""
		}
		return s.SignatureStatus == t.Value
	case query.After:
		return !s.ReceivedAt.Before(t.Time)
	case query.Before:
		return s.ReceivedAt.Before(t.Time)
	case query.Size:
		return t.MatchNumber(float64(s.Size))
	}
	return false
}

// bodyTerm looks the term's JSON path up in a JSON body with gjson; an
// array's elements are each compared, so body.tags:urgent finds a tag.
func bodyTerm(t *query.Term, body []byte) bool {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return false
	}
	res := gjson.GetBytes(trimmed, t.Key)
	if !res.Exists() {
		return false
	}
	if res.IsArray() && t.Op == query.Match {
		for _, el := range res.Array() {
			if jsonValueMatches(t, el) {
				return true
			}
		}
		return false
	}
	return jsonValueMatches(t, res)
}

func jsonValueMatches(t *query.Term, v gjson.Result) bool {
	switch v.Type {
	case gjson.Number:
		// Numbers by value: 1.0 is 1.
		if t.Op != query.Match || t.IsNum {
			return t.MatchNumber(v.Num)
		}
		return t.MatchString(v.Raw)
	case gjson.String:
		return t.MatchString(v.Str)
	}
	return t.MatchString(v.Raw)
}

// recordSubject reads a capture's records during a scan, each at most once.
type recordSubject struct {
	m           *matcher
	q           *queryMatcher
	tx          *bolt.Tx
	k, summary  []byte
	decodedBody []byte
	bodyRead    bool
}

func (r *recordSubject) headerMatches(t *query.Term) bool {
	d := decoder{b: r.m.details.at(r.tx, r.k)}
	for {
		tag, v, ok := d.next()
		if !ok {
			return false
		}
		if tag != dHeader {
			continue
		}
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			continue
		}
		if strings.EqualFold(string(v[k:k+int(n)]), t.Key) && t.MatchString(string(v[k+int(n):])) {
			return true
		}
	}
}

func (r *recordSubject) body() []byte {
	if r.bodyRead {
		return r.decodedBody
	}
	r.bodyRead = true
	var detail []byte
	detail, r.decodedBody = r.m.record(r.tx, r.k)
	var coding []string
	d := decoder{b: detail}
	for {
		tag, v, ok := d.next()
		if !ok {
			break
		}
		if c := contentCoding(v); tag == dHeader && c != nil {
			coding = append(coding, string(c))
		}
	}
	if len(coding) > 0 {
		if out, ok := decodedBody(r.decodedBody, strings.Join(coding, ","), &r.q.decoded); ok {
			r.decodedBody = out
		}
	}
	return r.decodedBody
}

func (r *recordSubject) text(_ int, tm *matcher) bool {
	return tm.matchText(r.tx, r.k, r.summary)
}

// captureSubject is a capture held in memory.
type captureSubject struct {
	c           *Capture
	q           *queryMatcher
	decodedBody []byte
	bodyRead    bool
}

func (c *captureSubject) headerMatches(t *query.Term) bool {
	for _, v := range c.c.Header.Values(http.CanonicalHeaderKey(t.Key)) {
		if t.MatchString(v) {
			return true
		}
	}
	// Names stored as sent, not canonical.
	for name, vals := range c.c.Header {
		if name != http.CanonicalHeaderKey(name) && strings.EqualFold(name, t.Key) {
			for _, v := range vals {
				if t.MatchString(v) {
					return true
				}
			}
		}
	}
	return false
}

func (c *captureSubject) body() []byte {
	if !c.bodyRead {
		c.bodyRead = true
		c.decodedBody = c.c.Body
		if coding := strings.Join(c.c.Header.Values("Content-Encoding"), ","); coding != "" {
			if out, ok := decodedBody(c.c.Body, coding, &c.q.decoded); ok {
				c.decodedBody = out
			}
		}
	}
	return c.decodedBody
}

func (c *captureSubject) text(_ int, tm *matcher) bool {
	return tm.f.MatchesCapture(c.c)
}

// since is the earliest receive time f lets through: its Since, or a later
// after: of its query. Scans start there.
func (f Filter) since() time.Time {
	after, _ := f.Query.Bounds()
	if after.After(f.Since) {
		return after
	}
	return f.Since
}

// matchQuery checks f's query on a record during a scan.
func (m *matcher) matchQuery(tx *bolt.Tx, k, summary []byte, s *Summary) bool {
	if m.q == nil {
		return true
	}
	return m.q.match(s, &recordSubject{m: m, q: m.q, tx: tx, k: k, summary: summary})
}

// NeedsCapture reports whether deciding f for a new capture takes more than
// its summary (MatchesSummary): text, a header or a body.
func (f Filter) NeedsCapture() bool {
	if f.Text != "" {
		return true
	}
	return !f.Query.HasOnly(query.Method, query.Path, query.Project, query.Status, query.Sig, query.After, query.Before, query.Size)
}
