package query

import (
	"strings"
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	utc := time.UTC
	tests := []struct {
		in   string
		want string // the terms written back, canonical
	}{
		{"", ""},
		{"   ", ""},
		{"method:POST", "method:POST"},
		{"path:/isahit/*", "path:/isahit/*"},
		{"project:isahit", "project:isahit"},
		{"status:500", "status:500"},
		{"status:5xx", "status:5xx"},
		{"status>=400", "status>=400"},
		{"status:>=400", "status>=400"},
		{"sig:INVALID", "sig:invalid"},
		{"sig:none", "sig:none"},
		{"header.x-event:onSubmit", "header.x-event:onSubmit"},
		{"body.type:review", "body.type:review"},
		{"body.docs.#>50", "body.docs.#>50"},
		{"body.batchId:b-12", "body.batchId:b-12"},
		{"-body.type:annotation", "-body.type:annotation"},
		{`"needs review"`, `"needs review"`},
		{`-"needs review"`, `-"needs review"`},
		{`body.title:"two words"`, `body.title:"two words"`},
		{`"a \"quoted\" word"`, `"a \"quoted\" word"`},
		{"after:2026-12-01", "after:2026-12-01"},
		{"before:2026-12-01T14:30", "before:2026-12-01T14:30"},
		{"size>1mb", "size>1mb"},
		{"size<=512", "size<=512"},
		{"body.type:review project:isahit", "body.type:review project:isahit"},
		{"hello world", "hello world"},
		{"-hello", "-hello"},
		{"-", `"-"`},
		// Text that holds a ':' or a '<' but is no field.
		{"https://example.com/x", `"https://example.com/x"`},
		{"12:30", `"12:30"`},
		{"<b>", `"<b>"`},
		{"X-Event: push", `"X-Event:" push`},
		{"localhost:8080", `"localhost:8080"`},
		{"a=b&c=d", "a=b&c=d"},
		{"Method:post", "method:post"},
	}
	for _, tt := range tests {
		q, err := Parse(tt.in, utc)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTerms(t *testing.T) {
	q := mustParse(t, `-body.docs.#>=50 size>1.5mb after:2026-12-01 header.X-Event:push hi`)
	want := []Term{
		{Field: Body, Negate: true, Key: "docs.#", Op: GreaterEq, Value: "50", Num: 50, IsNum: true, Pos: 0},
		{Field: Size, Op: Greater, Value: "1.5mb", Num: 1.5 * (1 << 20), IsNum: true, Pos: 17},
		{Field: After, Value: "2026-12-01", Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Pos: 28},
		{Field: Header, Key: "X-Event", Value: "push", Pos: 45},
		{Field: Text, Value: "hi", Pos: 65},
	}
	if len(q.Terms) != len(want) {
		t.Fatalf("terms = %+v", q.Terms)
	}
	for i := range want {
		if q.Terms[i] != want[i] {
			t.Errorf("term %d = %+v, want %+v", i, q.Terms[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		pos     int
		message string // a part of the message
	}{
		{"bdy.type:review", 0, `unknown field "bdy.type" (did you mean body?)`},
		{"methd:POST", 0, "did you mean method?"},
		{"stauts:500", 0, "did you mean status?"},
		{"body.type:review evnt:push", 17, `unknown field "evnt"`},
		{"event:push", 0, "header.event"},
		{"method:", 7, "method: needs a value"},
		{"method: POST", 7, "needs a value"},
		{"status:abc", 7, "HTTP status"},
		{"status:99", 7, "HTTP status"},
		{"sig:invaild", 4, "not a signature outcome"},
		{"size>lots", 5, "size needs a number"},
		{"after:yesterday", 6, "after needs a date"},
		{"after>2026-12-01", 5, "after takes ':'"},
		{"method>POST", 6, "method takes ':'"},
		{`"unclosed`, 0, "not closed"},
		{`body.type:"unclosed`, 10, "not closed"},
		{`""`, 0, "empty quotes"},
		{`"a"b`, 3, "space must follow"},
		{"header.:x", 0, "header name"},
		{"body.:x", 0, "JSON path"},
		{"method::POST", 7, "one ':'"},
		{"method:PO1ST", 7, "not a method"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in, time.UTC)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a syntax error", tt.in, err)
			continue
		}
		if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.message) {
			t.Errorf("Parse(%q) = at %d %q, want at %d %q", tt.in, e.Pos, e.Msg, tt.pos, tt.message)
		}
	}
}

func TestMatchString(t *testing.T) {
	tests := []struct {
		query, value string
		want         bool
	}{
		{"path:/isahit/*", "/isahit/a/b", true},
		{"path:/isahit/*", "/other/isahit/a", false},
		{"path:/isahit", "/isahit/a", false},
		{"path:*/events", "/a/b/events", true},
		{"path:/a*c*e", "/abcde", true},
		{"path:/a*c*e", "/abcdf", false},
		{"body.type:review", "Review", true},
		{"body.type:review", "reviews", false},
		{"body.n:1", "1.0", true},
		{"body.n:1.0", "1", true},
		{"body.n>5", "6", true},
		{"body.n>5", "five", false},
		{"header.x:on*", "onSubmit", true},
	}
	for _, tt := range tests {
		q := mustParse(t, tt.query)
		if got := q.Terms[0].MatchString(tt.value); got != tt.want {
			t.Errorf("%s on %q = %v, want %v", tt.query, tt.value, got, tt.want)
		}
	}
}

func TestMatchNumber(t *testing.T) {
	tests := []struct {
		query string
		n     float64
		want  bool
	}{
		{"status:500", 500, true},
		{"status:500", 502, false},
		{"status:5xx", 502, true},
		{"status:5xx", 404, false},
		{"status>=400", 404, true},
		{"status<400", 404, false},
		{"size>1mb", 1<<20 + 1, true},
		{"size>1mb", 1 << 20, false},
		{"size>=1kb", 1024, true},
		{"body.docs.#>50", 51, true},
		{"body.docs.#>50", 50, false},
	}
	for _, tt := range tests {
		q := mustParse(t, tt.query)
		if got := q.Terms[0].MatchNumber(tt.n); got != tt.want {
			t.Errorf("%s on %v = %v, want %v", tt.query, tt.n, got, tt.want)
		}
	}
}

func TestBounds(t *testing.T) {
	q := mustParse(t, "after:2026-12-01 after:2026-12-03 -after:2026-12-09 before:2026-12-20 before:2026-12-10")
	after, before := q.Bounds()
	if !after.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) || !before.Equal(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("bounds = %v, %v", after, before)
	}
}

// FuzzQuery checks that any input parses or fails with a position inside
// it, and that what parses writes back to a query that parses the same.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"method:POST path:/isahit/*", `-body.type:"a b" size>1mb`, "body.docs.#>50", `"x`, "after:2026-12-01", "status:5xx sig:invalid"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, time.UTC)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Pos < 0 || e.Pos > len(s) {
				t.Fatalf("Parse(%q) error %v: want a position in 0..%d", s, err, len(s))
			}
			return
		}
		again, err := Parse(q.String(), time.UTC)
		if err != nil {
			t.Fatalf("Parse(%q) wrote %q, which fails: %v", s, q.String(), err)
		}
		if again.String() != q.String() {
			t.Fatalf("Parse(%q) wrote %q, then %q", s, q.String(), again.String())
		}
	})
}

// A message that starts with the query's text as typed says so, for a view
// that capitalises its sentences to leave it alone; prose does not.
func TestErrorTypedMarksTheUsersText(t *testing.T) {
	for _, tt := range []struct {
		in, start string
		typed     bool
	}{
		{"body.docs.#>", "body.docs.#> needs a value", true},
		{"method:", "method: needs a value", true},
		{"status:abc", "status needs", true},
		{"after>2026-12-01", "after takes ':'", true},
		{"sig:invaild", "sig:invaild is not", true},
		{"body.:x", "body. needs", true},
		{"bdy.type:review", "unknown field", false},
		{`"unclosed`, "this quote", false},
		{`""`, "empty quotes", false},
	} {
		_, err := Parse(tt.in, time.UTC)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want a syntax error", tt.in, err)
			continue
		}
		if !strings.HasPrefix(e.Msg, tt.start) || e.Typed != tt.typed {
			t.Errorf("Parse(%q) = %q typed %v, want it to start %q typed %v", tt.in, e.Msg, e.Typed, tt.start, tt.typed)
		}
	}
}
