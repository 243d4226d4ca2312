package store

import (
	"bytes"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"hookscope/query"
)

// Unsorted is the Filter.Project value that selects captures of no project.
// Slugs cannot contain '_', so it never names a real project.
const Unsorted = "_unsorted"

// Filter narrows a listing. The zero Filter matches every capture.
type Filter struct {
	Method  string // exact, case-insensitive
	Project string // a slug, or Unsorted; "" for all
	// Text is searched case-insensitively in the path and query, header
	// names and values, and the body: decoded when its Content-Encoding is
	// gzip, deflate or br (up to 16 MiB of it, against decompression bombs).
	Text  string
	Since time.Time // inclusive; zero for no bound
	Until time.Time // exclusive; zero for no bound
	// Signature is a signature check's status ("invalid", "valid", …), as
	// Summary.SignatureStatus holds it; "" for any.
	Signature string
	// Query is the search box's field terms and text, each to hold too;
	// nil for none.
	Query *query.Query
}

// IsZero reports whether f matches everything.
func (f Filter) IsZero() bool { return f == Filter{} }

type matcher struct {
	f      Filter
	needle []byte // lower-cased Text
	// escaped are other forms of the needle: its non-ASCII letters in
	// other cases, and it as a URL or a form body carries it ("héllo" as
	// "h%C3%A9llo", "a b" as "a+b" or "a%20b"): the window shows paths and
	// form fields decoded, and search should find what it shows.
	escaped [][]byte
	// forms are the needle and its escaped forms, prepared for the scan.
	forms []foldNeedle
	// colon is whether the needle has one: it may then be in a header as
	// its line reads, "Name: value".
	colon bool
	// contentEncoding finds a Content-Encoding header in a detail record:
	// its name as the record holds it, after its length.
	contentEncoding foldNeedle
	line            []byte // scratch for header lines
	// decoded is scratch for a body decoded from its Content-Encoding.
	decoded bytes.Buffer
	// Details (with the body) and the bodies of captures stored before
	// bodies moved into their details are read with cursors that follow the
	// summaries cursor: stepping to the neighbouring key is far cheaper than
	// a search from the root for every capture of a large scan.
	bodies, details follower
	q               *queryMatcher
}

// follower reads a bucket at keys that arrive in one direction.
type follower struct {
	bucket   []byte
	backward bool
	c        *bolt.Cursor
	k, v     []byte
}

// at returns the value stored under k, or nil.
func (f *follower) at(tx *bolt.Tx, k []byte) []byte {
	if f.c == nil {
		f.c = tx.Bucket(f.bucket).Cursor()
		f.k, f.v = f.c.Seek(k)
		if f.backward && (f.k == nil || bytes.Compare(f.k, k) > 0) {
			if f.k == nil {
				f.k, f.v = f.c.Last()
			} else {
				f.k, f.v = f.c.Prev()
			}
		}
	}
	if f.backward {
		for f.k != nil && bytes.Compare(f.k, k) > 0 {
			f.k, f.v = f.c.Prev()
		}
	} else {
		for f.k != nil && bytes.Compare(f.k, k) < 0 {
			f.k, f.v = f.c.Next()
		}
	}
	if bytes.Equal(f.k, k) {
		return f.v
	}
	return nil
}

func newMatcher(f Filter) *matcher {
	m := &matcher{f: f, needle: asciiLower(f.Text),
		bodies: follower{bucket: bucketBodies}, details: follower{bucket: bucketDetails}, q: newQueryMatcher(f.Query)}
	m.forms = []foldNeedle{newFoldNeedle(m.needle)}
	m.colon = hasColon(m.needle)
	m.contentEncoding = newFoldNeedle([]byte("\x10content-encoding"))
	if f.Text == "" {
		return m
	}
	// containsFold ignores the case of ASCII letters only: other letters
	// are looked for as typed, in lower and upper case, and capitalised
	// ("москва" finds "Москва"), each also URL-escaped.
	seen := map[string]bool{string(m.needle): true}
	for _, form := range []string{f.Text, strings.ToLower(f.Text), strings.ToUpper(f.Text), capitalised(f.Text)} {
		for _, v := range []string{form, url.QueryEscape(form), url.PathEscape(form)} {
			if b := asciiLower(v); !seen[string(b)] {
				seen[string(b)] = true
				m.escaped = append(m.escaped, b)
			}
		}
	}
	for _, e := range m.escaped {
		m.forms = append(m.forms, newFoldNeedle(e))
	}
	return m
}

// asciiLower lower-cases the ASCII letters of s, leaving the others as they
// are, as containsFold expects its needle.
func asciiLower(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// capitalised upper-cases the first letter of each word of s.
func capitalised(s string) string {
	out := []rune(strings.ToLower(s))
	start := true
	for i, r := range out {
		if start && unicode.IsLetter(r) {
			out[i] = unicode.ToUpper(r)
		}
		start = unicode.IsSpace(r)
	}
	return string(out)
}

// containsNeedle is containsFold of the needle or any of its escaped forms.
func (m *matcher) containsNeedle(hay []byte) bool {
	for i := range m.forms {
		if m.forms[i].in(hay) {
			return true
		}
	}
	return false
}

// scanning readies the matcher for one transaction's scan in one direction.
func (m *matcher) scanning(backward bool) {
	m.bodies = follower{bucket: bucketBodies, backward: backward}
	m.details = follower{bucket: bucketDetails, backward: backward}
	m.q.scanning(backward)
}

// match decides one capture, decoding its summary only when the filter
// needs more than the text or the capture matched.
func (m *matcher) match(tx *bolt.Tx, k, v []byte) (Summary, bool, error) {
	f := &m.f
	textOnly := f.Method == "" && f.Project == "" && f.Since.IsZero() && f.Until.IsZero() && f.Signature == "" && m.q == nil
	if textOnly && !m.matchText(tx, k, v) {
		return Summary{}, false, nil
	}
	sum, err := decodeSummary(idFromKey(k), v)
	if err != nil {
		return sum, false, err
	}
	if !textOnly && (!m.matchSummary(&sum) || !m.matchText(tx, k, v) || !m.matchQuery(tx, k, v, &sum)) {
		return sum, false, nil
	}
	return sum, true, nil
}

// matchSummary checks everything but the text.
func (m *matcher) matchSummary(s *Summary) bool {
	f := &m.f
	if f.Method != "" && !strings.EqualFold(f.Method, s.Method) {
		return false
	}
	if f.Signature != "" && f.Signature != s.SignatureStatus {
		return false
	}
	switch f.Project {
	case "":
	case Unsorted:
		if s.Project != "" {
			return false
		}
	default:
		if s.Project != f.Project {
			return false
		}
	}
	if !f.Since.IsZero() && s.ReceivedAt.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && !s.ReceivedAt.Before(f.Until) {
		return false
	}
	return true
}

// List returns up to limit summaries matching f, newest first, older than
// before (0 starts at the newest). next is the cursor for the following page,
// or 0 when there is none.
func (s *Store) List(f Filter, before ID, limit int) (page []Summary, next ID, err error) {
	if limit <= 0 {
		limit = 50
	}
	if f.Text != "" && runtime.GOMAXPROCS(0) > 1 {
		page, next, err = s.listParallel(f, before, limit)
	} else {
		page, next, err = s.listSerial(f, before, limit)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("list captures: %w", err)
	}
	return page, next, nil
}

// listSerial is List in one read transaction, newest first, until a
// capture beyond the page.
func (s *Store) listSerial(f Filter, before ID, limit int) (page []Summary, next ID, err error) {
	m := newMatcher(f)
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSummaries).Cursor()
		k, v := seekBelow(c, before)
		m.scanning(true)
		floor := f.floor()
		for ; k != nil && idFromKey(k) >= floor; k, v = c.Prev() {
			sum, ok, err := m.match(tx, k, v)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if len(page) == limit {
				next = page[len(page)-1].ID
				return nil
			}
			page = append(page, sum)
		}
		return nil
	})
	return page, next, err
}

// seekBelow moves c to the newest key below before (0: the newest key).
func seekBelow(c *bolt.Cursor, before ID) (k, v []byte) {
	if before == 0 {
		return c.Last()
	}
	k, v = c.Seek(before.key())
	if k == nil {
		k, v = c.Last()
	}
	for k != nil && idFromKey(k) >= before {
		k, v = c.Prev()
	}
	return k, v
}

// floor is the lowest ID a capture f lets through can have: IDs are never
// below their receive time, so below Since nothing older can match.
func (f Filter) floor() ID {
	if since := f.since(); since.UnixNano() > 0 {
		return ID(since.UnixNano())
	}
	return 0
}

// IDs returns the IDs of every capture matching f, oldest first. At 8 bytes
// an ID it is what lets a list widget index a million captures without
// holding their summaries.
func (s *Store) IDs(f Filter) ([]ID, error) {
	if f.Text != "" && runtime.GOMAXPROCS(0) > 1 {
		ids, err := s.idsParallel(f)
		if err != nil {
			return nil, fmt.Errorf("search captures: %w", err)
		}
		return ids, nil
	}
	var ids []ID
	m := newMatcher(f)
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSummaries)
		if f.IsZero() {
			// The ID index, not the summaries: a quarter of the pages.
			ids = make([]ID, 0, decUint(tx.Bucket(bucketMeta).Get(keyCount)))
			b = tx.Bucket(bucketIDs)
		}
		c := b.Cursor()
		m.scanning(false)
		k, v := c.First()
		if since := f.since(); since.UnixNano() > 0 {
			k, v = c.Seek(ID(since.UnixNano()).key())
		}
		for ; k != nil; k, v = c.Next() {
			if !f.IsZero() {
				if _, ok, err := m.match(tx, k, v); err != nil {
					return err
				} else if !ok {
					continue
				}
			}
			ids = append(ids, idFromKey(k))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list capture ids: %w", err)
	}
	return ids, nil
}

// Summaries returns the summaries of ids, in the same order. IDs no longer
// stored are skipped.
func (s *Store) Summaries(ids []ID) ([]Summary, error) {
	out := make([]Summary, 0, len(ids))
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSummaries)
		for _, id := range ids {
			v := b.Get(id.key())
			if v == nil {
				continue
			}
			sum, err := decodeSummary(id, v)
			if err != nil {
				return err
			}
			out = append(out, sum)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read summaries: %w", err)
	}
	return out, nil
}

// MatchesSummary reports whether s passes f's method, project, signature
// and time bounds; the text part needs the capture (MatchesCapture).
func (f Filter) MatchesSummary(s Summary) bool {
	f.Text = "" // the window asks for every new capture: skip building the text's variants
	m := newMatcher(f)
	return m.matchSummary(&s) && m.q.matchSummary(&s)
}

// MatchesCapture reports whether c matches f, text included.
func (f Filter) MatchesCapture(c *Capture) bool {
	m := newMatcher(f)
	sum := c.Summary()
	if !m.matchSummary(&sum) || !m.q.match(&sum, &captureSubject{c: c, q: m.q}) {
		return false
	}
	if len(m.needle) == 0 || m.containsNeedle([]byte(c.Path)) || m.containsNeedle([]byte(c.RawQuery)) || m.containsNeedle(c.Body) {
		return true
	}
	for name, vals := range c.Header {
		for _, v := range vals {
			if m.containsNeedle([]byte(name + ": " + v)) {
				return true
			}
		}
	}
	return m.matchEncodedBody(c.Body, []byte(strings.Join(c.Header.Values("Content-Encoding"), ",")))
}
