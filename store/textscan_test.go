package store

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// textByDefinition is whether a text search finds c, as Filter.Text and the
// scan's comments define it, written plainly: the text, or one of its other
// forms (newMatcher's needle and escaped forms), in the path, the query, the
// body (decoded too, when its Content-Encoding says so), a header's name or
// value, or a header's "Name: value" line; the hay's ASCII letters
// lower-cased.
func textByDefinition(c *Capture, text string) bool {
	m := newMatcher(Filter{Text: text})
	if len(m.needle) == 0 {
		return true
	}
	in := func(hay []byte) bool {
		for _, form := range append([][]byte{m.needle}, m.escaped...) {
			if bytes.Contains(asciiLower(string(hay)), form) {
				return true
			}
		}
		return false
	}
	if in([]byte(c.Path)) || in([]byte(c.RawQuery)) || in(c.Body) {
		return true
	}
	var codings []string
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range c.Header {
			if !yield(name) {
				return
			}
		}
	}) {
		for _, v := range c.Header[name] {
			line := asciiLower(name + ": " + v)
			if in([]byte(name)) || in([]byte(v)) || bytes.Contains(line, m.needle) {
				return true
			}
			if strings.EqualFold(name, "Content-Encoding") {
				codings = append(codings, v)
			}
		}
	}
	if len(c.Body) == 0 || len(codings) == 0 {
		return false
	}
	var buf bytes.Buffer
	out, ok := decodedBody(c.Body, strings.Join(codings, ","), &buf)
	return ok && in(out)
}

// searchFragments make up the random captures and texts: letters whose case
// folding changes their length in UTF-8 (ſ, K, İ, ß), escapes, colons.
var searchFragments = []string{
	"Zebra", "zeb", "ra-", "Quetzal", "coatl", "é", "É", "ſ", "K", "İ", "ß", "Москва", "москва",
	"h%C3%A9llo", "héllo", "a+b", "a b", "a%20b", ":", ": ", "name", "Value", "\xff", "-", "q", "Z",
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(searchFragments[r.IntN(len(searchFragments))])
	}
	return b.String()
}

// randomCapture is a capture of random fragments: some bodies gzipped, some
// over the size a detail record holds inline, texts at every record's edge.
func randomCapture(t *testing.T, r *rand.Rand) *Capture {
	c := sample("POST", "/"+randomText(r, r.IntN(3)), randomText(r, r.IntN(2)), randomText(r, r.IntN(4)))
	names := []string{"X-Note", "x-lower", "Name", "X-Zebra"}
	for range r.IntN(3) {
		name := names[r.IntN(len(names))]
		c.Header[name] = append(c.Header[name], randomText(r, 1+r.IntN(3)))
	}
	switch r.IntN(6) {
	case 0:
		c.Header.Set("Content-Encoding", "gzip")
		c.Body = gzipped(t, []byte(randomText(r, 1+r.IntN(4))))
	case 1:
		c.Body = append(bytes.Repeat([]byte("."), inlineBodyMax), randomText(r, 2)...)
	case 2: // a name as a sender may write it, not canonical
		c.Header["content-encoding"] = []string{"gzip"}
		c.Body = gzipped(t, append(bytes.Repeat([]byte("."), inlineBodyMax+r.IntN(2)), randomText(r, 2)...))
	}
	return c
}

// TestTextSearchFindsWhatItsDefinitionSays: on random captures, every text
// (random, taken from a capture, or only in fields a search does not look
// at) finds exactly the captures the plain definition does, through IDs
// and through List's pages.
func TestTextSearchFindsWhatItsDefinitionSays(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: -1})
	r := rand.New(rand.NewPCG(7, 11))
	var captures []*Capture
	for range 200 {
		c := randomCapture(t, r)
		mustPut(t, s, c)
		captures = append(captures, c)
	}
	texts := []string{"", "zebra", "ZEBRA-", "quetzalcoatl", "é", "É", "s", "k", "i̇", "ss", "москва", "МОСКВА",
		"héllo", "a b", "a+b", "name: value", "x-note: z", "e: ", ":", "127.0.0.1:5555", `"ok":true`,
		"x-hookscope-capture-id", "8787", "application/json", "\xff", "....zeb", "absent-word"}
	for range 40 {
		texts = append(texts, randomText(r, 1+r.IntN(2)))
	}
	some := 0
	for _, text := range texts {
		var want []ID
		for _, c := range captures {
			if textByDefinition(c, text) {
				want = append(want, c.ID)
			}
		}
		got, err := s.IDs(Filter{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > 0 && len(want) < len(captures) {
			some++
		}
		if !slices.Equal(got, want) {
			t.Errorf("IDs(%q): %d captures, by definition %d", text, len(got), len(want))
		}
		all, _ := listPaged(t, s, Filter{Text: text}, 7)
		listed := make([]ID, len(all))
		for i, sum := range all {
			listed[len(all)-1-i] = sum.ID
		}
		if !slices.Equal(listed, want) {
			t.Errorf("List(%q): %d captures, by definition %d", text, len(listed), len(want))
		}
	}
	if some < 20 {
		t.Fatalf("only %d texts find some captures but not all: the comparison shows little", some)
	}
}
