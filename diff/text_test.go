package diff

import (
	"fmt"
	"strings"
	"testing"
)

// show writes rows as "mark left | right", one a line.
func show(t Text) string {
	var b strings.Builder
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "%s%s | %s\n", r.Op.Mark(), r.Left, r.Right)
	}
	return b.String()
}

func TestLines(t *testing.T) {
	tests := map[string]struct {
		a, b   []string
		want   string
		differ int
	}{
		"the same": {
			a: []string{"a", "b"}, b: []string{"a", "b"},
			want: "  a | a\n  b | b\n",
		},
		"both empty": {},
		"a value changed and a key added": {
			a:      []string{"HTTP 200 OK", "", "{", `  "a": 1,`, `  "b": 2`, "}"},
			b:      []string{"HTTP 200 OK", "", "{", `  "a": 1,`, `  "b": 3,`, `  "c": 4`, "}"},
			want:   "  HTTP 200 OK | HTTP 200 OK\n   | \n  { | {\n    \"a\": 1, |   \"a\": 1,\n!   \"b\": 2 |   \"b\": 3,\n+  |   \"c\": 4\n  } | }\n",
			differ: 2,
		},
		"lines only on the left": {
			a: []string{"x", "gone", "y"}, b: []string{"x", "y"},
			want:   "  x | x\n- gone | \n  y | y\n",
			differ: 1,
		},
		"everything new": {
			a: nil, b: []string{"p", "q"},
			want:   "+  | p\n+  | q\n",
			differ: 2,
		},
		// Lines holding the separator diff-match-patch's own line mode
		// splits on stay whole.
		"a newline inside a line": {
			a: []string{"one\ntwo", "z"}, b: []string{"one\ntwo", "y"},
			want:   "  one\ntwo | one\ntwo\n! z | y\n",
			differ: 1,
		},
		// JSON bodies repeat "{" and "}" lines: a removed object is one
		// run of removed lines, not braces matched here and there.
		"repeated braces": {
			a:      []string{"[", "{", `"id": 1`, "},", "{", `"id": 2`, "}", "]"},
			b:      []string{"[", "{", `"id": 2`, "}", "]"},
			want:   "  [ | [\n  { | {\n- \"id\": 1 | \n- }, | \n- { | \n  \"id\": 2 | \"id\": 2\n  } | }\n  ] | ]\n",
			differ: 3,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Lines(tc.a, tc.b)
			if show(got) != tc.want || got.Differ != tc.differ {
				t.Fatalf("%d differ:\n%s\nwant %d:\n%s", got.Differ, show(got), tc.differ, tc.want)
			}
		})
	}
}

// More distinct lines than surrogate-free runes below U+D800: the lines past
// the surrogates still come back as themselves.
func TestLinesPastTheSurrogates(t *testing.T) {
	var a, b []string
	for i := range surrogateFirst + 50 {
		a = append(a, fmt.Sprint("line ", i))
	}
	b = append(b, a...)
	b[len(b)-10] = "changed"
	got := Lines(a, b)
	if got.Differ != 1 || len(got.Rows) != len(a) {
		t.Fatalf("%d rows, %d differ; want %d rows, 1 differing", len(got.Rows), got.Differ, len(a))
	}
	r := got.Rows[len(a)-10]
	if r.Op != Changed || r.Left != a[len(a)-10] || r.Right != "changed" {
		t.Fatalf("row %+v", r)
	}
	if last := got.Rows[len(a)-1]; last.Left != a[len(a)-1] || last.Op != Same {
		t.Fatalf("last row %+v", last)
	}
}

// TextTitled titles the first two sections as the caller names them (an
// answer's status and headers); Text titles them for requests.
func TestTextTitledNamesTheSections(t *testing.T) {
	a := Message{Status: 200, Header: map[string][]string{"Retry-After": {"1"}}}
	b := Message{Status: 503, Header: map[string][]string{"Retry-After": {"5"}}}
	r := Compare(a, b, Ignore{})
	got := r.TextTitled(Titles{Line: "answer status", Headers: "answer headers"})
	want := "answer status\n- status: 200\n+ status: 503\nanswer headers\n- Retry-After: 1\n+ Retry-After: 5\n"
	if got != want {
		t.Errorf("TextTitled:\n%s\nwant\n%s", got, want)
	}
	if got := r.Text(); !strings.HasPrefix(got, "request\n") || !strings.Contains(got, "\nheaders\n") {
		t.Errorf("Text:\n%s", got)
	}
}
