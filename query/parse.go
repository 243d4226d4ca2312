package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"hookscope/signature"
)

// fieldList is how an error names the fields, in the order README lists
// them.
const fieldList = "method, path, project, status, sig, header.NAME, body.PATH, after, before, size"

// Parse reads a query. Free words and quoted phrases are text to find;
// name:value, name>value, name>=value, name<value and name<=value are field
// terms; a leading '-' negates a term. Dates are read in loc (time.Local
// when nil).
func Parse(s string, loc *time.Location) (*Query, error) {
	if loc == nil {
		loc = time.Local
	}
	p := parser{s: s, loc: loc}
	q := &Query{Source: s}
	for {
		p.skipSpace()
		if p.i >= len(s) {
			return q, nil
		}
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		q.Terms = append(q.Terms, t)
	}
}

type parser struct {
	s   string
	i   int
	loc *time.Location
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// typedErrorf is errorf for a message that starts with the query's text as
// typed (a field name, a term): a view must not change its case.
func (p *parser) typedErrorf(pos int, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Typed: true}
}

// term reads one term at p.i, which is not a space.
func (p *parser) term() (Term, error) {
	start := p.i
	t := Term{Pos: start}
	if p.s[p.i] == '-' && p.i+1 < len(p.s) && !isSpace(p.s[p.i+1]) {
		t.Negate = true
		p.i++
	}
	if p.s[p.i] == '"' {
		v, err := p.quoted()
		if err == nil && v == "" {
			err = p.errorf(start, "empty quotes: put the text to find between them")
		}
		t.Value = v
		return t, err
	}
	nameStart := p.i
	for p.i < len(p.s) && !isSpace(p.s[p.i]) && !strings.ContainsRune(":<>\"", rune(p.s[p.i])) {
		p.i++
	}
	name := p.s[nameStart:p.i]
	op, opLen := opAt(p.s[p.i:])
	if opLen == 0 || name == "" || !looksLikeField(name, op, p.s[p.i+opLen:]) {
		// Free text: the word runs to the next space.
		p.i = nameStart
		for p.i < len(p.s) && !isSpace(p.s[p.i]) {
			p.i++
		}
		t.Value = p.s[nameStart:p.i]
		return t, nil
	}
	p.i += opLen
	return t, p.fieldTerm(&t, name, nameStart, op)
}

// fieldTerm reads a field term's value, after its name and operator.
func (p *parser) fieldTerm(t *Term, name string, nameStart int, op Op) error {
	if p.i < len(p.s) && p.s[p.i] == ':' {
		return p.errorf(p.i, "one ':' after %q", name)
	}
	// name:>50 reads as name>50.
	if op == Match {
		if op2, n := opAt(p.s[p.i:]); n > 0 && op2 != Match {
			op = op2
			p.i += n
		}
	}
	t.Op = op
	valuePos := p.i
	value, err := p.value()
	if err != nil {
		return err
	}
	if value == "" {
		return p.typedErrorf(valuePos, "%s%s needs a value", name, opNames[op])
	}
	t.Value = value
	return p.field(t, name, nameStart, valuePos)
}

// opAt returns the comparison s starts with and its length, or 0.
func opAt(s string) (Op, int) {
	switch {
	case strings.HasPrefix(s, ">="):
		return GreaterEq, 2
	case strings.HasPrefix(s, "<="):
		return LessEq, 2
	case strings.HasPrefix(s, ">"):
		return Greater, 1
	case strings.HasPrefix(s, "<"):
		return Less, 1
	case strings.HasPrefix(s, ":"):
		return Match, 1
	}
	return Match, 0
}

// looksLikeField tells a field term from text that holds a ':' or a '<':
// a URL ("https://…"), a time ("12:30"), markup ("<b>"), or a header line
// as the list shows it ("X-Event: push", the colon followed by a space).
// A word of letters before a ':' and a value is taken as a field, so that
// a typo in a field's name is said, not searched for.
func looksLikeField(name string, op Op, rest string) bool {
	if knownField(name) {
		return true
	}
	if op != Match || rest == "" || isSpace(rest[0]) || strings.HasPrefix(rest, "//") {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	// "localhost:8080", "example.com:443": a port, unless the name is a
	// field's name mistyped ("stauts:500").
	if rest[0] >= '0' && rest[0] <= '9' {
		return nearField(name) != ""
	}
	return true
}

// nearField returns the field name is a typo of (one or two letters
// changed, added or left out), or "".
func nearField(name string) string {
	lower := strings.ToLower(name)
	if head, _, ok := strings.Cut(lower, "."); ok {
		lower = head
	}
	for _, n := range append(fieldNameList(), "header", "body") {
		if distance(lower, n) <= 2 && len(lower) > 2 {
			return n
		}
	}
	return ""
}

func fieldNameList() []string {
	return []string{"method", "path", "project", "status", "sig", "after", "before", "size"}
}

// distance is the Levenshtein distance of a and b, bytes compared.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func knownField(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "header.") || strings.HasPrefix(lower, "body.") {
		return true
	}
	for _, n := range fieldNames {
		if n == lower {
			return true
		}
	}
	return false
}

// value reads a term's value: quoted, or up to the next space.
func (p *parser) value() (string, error) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.quoted()
	}
	start := p.i
	for p.i < len(p.s) && !isSpace(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i], nil
}

// quoted reads a "…" string at p.i; \" and \\ escape.
func (p *parser) quoted() (string, error) {
	open := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s) && (p.s[p.i+1] == '"' || p.s[p.i+1] == '\\'):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c == '"':
			p.i++
			if p.i < len(p.s) && !isSpace(p.s[p.i]) {
				return "", p.errorf(p.i, "a space must follow the closing quote")
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf(open, "this quote is not closed")
}

// field checks a field term's name and value and fills t.
func (p *parser) field(t *Term, name string, namePos, valuePos int) error {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "header."):
		t.Field, t.Key = Header, name[len("header."):]
		if t.Key == "" || strings.ContainsAny(t.Key, " ()<>@,;\\/[]?={}") {
			return p.typedErrorf(namePos, "header. needs a header name, as in header.x-event:push")
		}
		p.number(t)
		return nil
	case strings.HasPrefix(lower, "body."):
		t.Field, t.Key = Body, name[len("body."):]
		if t.Key == "" {
			return p.typedErrorf(namePos, "body. needs a JSON path, as in body.type:review")
		}
		p.number(t)
		return nil
	}
	for f, n := range fieldNames {
		if n == lower {
			t.Field = f
			return p.check(t, valuePos)
		}
	}
	hint := ""
	if near := nearField(name); near != "" {
		hint = fmt.Sprintf(" (did you mean %s?)", near)
	} else if !strings.Contains(name, ".") {
		hint = fmt.Sprintf(" (a header is header.%s, a JSON key body.%s)", strings.ToLower(name), name)
	}
	return p.errorf(namePos, "unknown field %q%s; fields are %s; put text with a ':' in quotes to search for it", name, hint, fieldList)
}

// number fills t.Num when the value reads as a number; a comparison needs
// one.
func (p *parser) number(t *Term) {
	if n, err := strconv.ParseFloat(t.Value, 64); err == nil {
		t.Num, t.IsNum = n, true
	}
}

// check validates the value of a named field.
func (p *parser) check(t *Term, pos int) error {
	name := fieldNames[t.Field]
	if t.Op != Match && t.Field != Status && t.Field != Size {
		return p.typedErrorf(pos-len(opNames[t.Op]), "%s takes ':', not %s", name, opNames[t.Op])
	}
	switch t.Field {
	case Method:
		for _, r := range t.Value {
			if !unicode.IsLetter(r) && r != '*' {
				return p.typedErrorf(pos, "method:%s is not a method; try method:POST", t.Value)
			}
		}
	case Status:
		return p.status(t, pos)
	case Sig:
		return p.sig(t, pos)
	case Size:
		n, ok := parseSize(t.Value)
		if !ok {
			return p.typedErrorf(pos, "size needs a number of bytes, with kb, mb or gb if you like: size>1mb")
		}
		t.Num, t.IsNum = n, true
	case After, Before:
		tm, ok := parseTime(t.Value, p.loc)
		if !ok {
			return p.typedErrorf(pos, "%s needs a date, as in %s:2026-12-01 or %s:2026-12-01T14:30", name, name, name)
		}
		t.Time = tm
	}
	return nil
}

// status reads 500, or 5xx for a class.
func (p *parser) status(t *Term, pos int) error {
	v := strings.ToLower(t.Value)
	if t.Op == Match && len(v) == 3 && v[0] >= '1' && v[0] <= '5' && strings.Trim(v[1:], "x") == "" {
		t.Value = v
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 100 || n > 999 {
		return p.typedErrorf(pos, "status needs an HTTP status such as 500 or 5xx, not %q", t.Value)
	}
	t.Num, t.IsNum = float64(n), true
	return nil
}

// sigStatuses are the outcomes a check records, and "none" for a capture
// no check ran on.
var sigStatuses = []signature.Status{
	signature.Valid, signature.Invalid, signature.MissingHeader, signature.MalformedHeader,
	signature.TimestampOutOfTolerance, signature.NoSecret, signature.Unsigned, "none",
}

func (p *parser) sig(t *Term, pos int) error {
	names := make([]string, 0, len(sigStatuses))
	for _, s := range sigStatuses {
		if strings.EqualFold(string(s), t.Value) {
			t.Value = string(s)
			return nil
		}
		names = append(names, string(s))
	}
	return p.typedErrorf(pos, "sig:%s is not a signature outcome; use one of %s", t.Value, strings.Join(names, ", "))
}

// parseSize reads 512, 10kb, 1.5mb, 2gb (binary multiples, as the window's
// sizes are shown) and b.
func parseSize(s string) (float64, bool) {
	lower := strings.ToLower(s)
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(lower, u.suffix) {
			lower, mult = strings.TrimSuffix(lower, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(lower, 64)
	if err != nil || n < 0 || n != n {
		return 0, false
	}
	return n * mult, true
}

// parseTime reads a day, a minute or an RFC 3339 time.
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
