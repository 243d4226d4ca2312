// Package query parses the search box's language: free text combined with
// field terms such as method:POST, path:/isahit/*, header.x-event:onSubmit,
// body.type:review, body.docs.#>50, size>1mb and after:2026-12-01, each
// negated by a leading '-'. Every term must hold (AND). Parse returns the
// terms; the store evaluates them while it scans, with the value tests
// (MatchString, MatchNumber) this package owns.
package query

import (
	"fmt"
	"strings"
	"time"
)

// Field is what a term tests.
type Field int

// Fields a term can name.
const (
	Text    Field = iota // free text: a word or a quoted phrase
	Method               // method:POST
	Path                 // path:/isahit/*
	Project              // project:isahit
	Status               // status:500, the answer sent
	Sig                  // sig:invalid, the signature check's outcome
	Header               // header.NAME:value
	Body                 // body.PATH:value, PATH a gjson path
	After                // after:2026-12-01, received at or after
	Before               // before:2026-12-01, received before
	Size                 // size>1mb, the body's size in bytes
)

// Op is how a term compares.
type Op int

// Comparisons. Match (':') is equality, with '*' as a wildcard for text.
const (
	Match Op = iota
	Greater
	GreaterEq
	Less
	LessEq
)

// Term is one condition of a query.
type Term struct {
	Field  Field
	Negate bool
	// Key is the header name (canonical case not required) or the body's
	// JSON path, for Header and Body.
	Key   string
	Op    Op
	Value string // as typed, unquoted
	// Num is Value as a number, when IsNum: a size in bytes, a status, a
	// JSON number.
	Num   float64
	IsNum bool
	// Time is the bound of After and Before.
	Time time.Time
	Pos  int // byte offset of the term in the query
}

// Query is a parsed query: every term must hold.
type Query struct {
	Source string
	Terms  []Term
}

// Error is a syntax error at a byte offset of the query.
type Error struct {
	Pos int // byte offset, 0-based
	Msg string
	// Typed is set when Msg starts with the query's text as the user typed
	// it ("body.docs.#> needs a value"): a view that starts its sentences
	// with a capital must leave this one as it is.
	Typed bool
}

func (e *Error) Error() string {
	return fmt.Sprintf("column %d: %s", e.Pos+1, e.Msg)
}

// Empty reports whether q has no term (nil included): it matches everything.
func (q *Query) Empty() bool { return q == nil || len(q.Terms) == 0 }

// HasOnly reports whether every term of q tests one of fields.
func (q *Query) HasOnly(fields ...Field) bool {
	if q == nil {
		return true
	}
	for _, t := range q.Terms {
		found := false
		for _, f := range fields {
			found = found || t.Field == f
		}
		if !found {
			return false
		}
	}
	return true
}

// Bounds returns the latest After and the earliest Before that are not
// negated (zero when none), so a scan can skip what no term lets through.
func (q *Query) Bounds() (after, before time.Time) {
	if q == nil {
		return
	}
	for _, t := range q.Terms {
		if t.Negate {
			continue
		}
		switch {
		case t.Field == After && (after.IsZero() || t.Time.After(after)):
			after = t.Time
		case t.Field == Before && (before.IsZero() || t.Time.Before(before)):
			before = t.Time
		}
	}
	return after, before
}

// String writes q back in its canonical form.
func (q *Query) String() string {
	if q == nil {
		return ""
	}
	parts := make([]string, 0, len(q.Terms))
	for _, t := range q.Terms {
		parts = append(parts, t.String())
	}
	return strings.Join(parts, " ")
}

var fieldNames = map[Field]string{
	Method: "method", Path: "path", Project: "project", Status: "status", Sig: "sig",
	After: "after", Before: "before", Size: "size",
}

var opNames = map[Op]string{Match: ":", Greater: ">", GreaterEq: ">=", Less: "<", LessEq: "<="}

// String writes t as it could be typed.
func (t Term) String() string {
	var b strings.Builder
	if t.Negate {
		b.WriteByte('-')
	}
	value := t.Value
	if value == "" || strings.ContainsAny(value, " \t\n\r\"") {
		value = quote(value)
	}
	switch t.Field {
	case Text:
		// Text that would read as a field or a negation goes in quotes.
		if value == t.Value && (strings.ContainsAny(value, ":<>") || strings.HasPrefix(value, "-")) {
			value = quote(value)
		}
		b.WriteString(value)
		return b.String()
	case Header:
		b.WriteString("header." + t.Key)
	case Body:
		b.WriteString("body." + t.Key)
	default:
		b.WriteString(fieldNames[t.Field])
	}
	// A value that starts like an operator would be read as one after
	// the name (name:>5 reads as name>5), so it goes in quotes.
	if value == t.Value && strings.ContainsAny(value[:1], ":<>") {
		value = quote(value)
	}
	b.WriteString(opNames[t.Op])
	b.WriteString(value)
	return b.String()
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
