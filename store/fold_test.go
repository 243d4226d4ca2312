package store

import (
	"bytes"
	"strings"
	"testing"
)

// containsFoldByDefinition is what containsFold means: the hay with its
// ASCII letters lower-cased contains the needle.
func containsFoldByDefinition(hay, needle []byte) bool {
	return bytes.Contains(asciiLower(string(hay)), needle)
}

// foldCases are hays and needles where a fast search could go wrong: the
// anchor at either end of the needle and of the hay, both cases, letters
// whose folding changes their length in UTF-8, bytes that are not UTF-8.
var foldCases = []struct{ hay, needle string }{
	{"", ""}, {"abc", ""}, {"", "a"}, {"a", "a"}, {"A", "a"}, {"a", "A"},
	{"quetzalcoatl", "quetzalcoatl"}, {"QUETZALCOATL", "quetzalcoatl"},
	{"xQuetzalcoatL", "quetzalcoatl"}, {"quetzalcoat", "quetzalcoatl"}, {"uetzalcoatl", "quetzalcoatl"},
	{"zzzzzzzzzZZZZZZZzebra-unicorn", "zebra-unicorn"}, {"zebra-unicor", "zebra-unicorn"},
	{"ebra-unicorn", "zebra-unicorn"}, {"ZEBRA-UNICORN", "zebra-unicorn"}, {"zebra_unicorn", "zebra-unicorn"},
	{"---a--", "--a"}, {"---A--", "--a"}, {"a--", "--a"}, {"--a", "--a"},
	{"ID 1234X", "34x"}, {"id 1234", "345"}, {"a=1&b=2", "&b="}, {"12345", "12345"}, {"1234", "12345"},
	{"x-Signature: t=1", "signature: t"}, {"Name: value", "name: value"},
	// Non-ASCII letters are looked for as given, in their bytes.
	{"café", "café"}, {"CAFÉ", "café"}, {"CAFé", "café"}, {"Café", "caf\xc3"},
	{"straße", "strasse"}, {"STRASSE", "straße"}, {"ſ", "s"}, {"K", "k"}, {"K", "\xe2\x84\xaa"},
	{"İstanbul", "istanbul"}, {"İstanbul", "i̇stanbul"}, {"i̇stanbul", "i̇stanbul"},
	{"Москва", "москва"}, {"Москва", "Москва"}, {"h%C3%A9llo", "h%c3%a9llo"},
	{"\xff\xfe\x00Z", "\x00z"}, {"\x80\x80\x80", "\x80\x80"}, {"a\x00", "\x00"},
	// Upper-case ASCII in a needle is found nowhere: hays are lower-cased.
	{"ABC", "ABC"}, {"abc", "aBc"},
}

func TestContainsFoldMatchesItsDefinition(t *testing.T) {
	for _, tc := range foldCases {
		hay, needle := []byte(tc.hay), []byte(tc.needle)
		for _, n := range [][]byte{needle, asciiLower(tc.needle)} {
			if got, want := containsFold(hay, n), containsFoldByDefinition(hay, n); got != want {
				t.Errorf("containsFold(%q, %q) = %v, by definition %v", hay, n, got, want)
			}
		}
	}
}

// TestContainsFoldMatchesItsDefinitionOnEveryShortString compares every hay
// of up to 5 bytes over an alphabet of letters in both cases, a separator
// and a two-byte UTF-8 letter with every needle of up to 3 bytes.
func TestContainsFoldMatchesItsDefinitionOnEveryShortString(t *testing.T) {
	alphabet := []byte{'q', 'Q', 'z', 'Z', '-', 0xc3, 0xa9}
	hays := stringsUpTo(alphabet, 5)
	var needles [][]byte
	for _, n := range stringsUpTo(alphabet, 3) {
		if bytes.Equal(n, asciiLower(string(n))) {
			needles = append(needles, n)
		}
	}
	for _, n := range needles {
		prepared := newFoldNeedle(n)
		for _, h := range hays {
			if got, want := prepared.in(h), containsFoldByDefinition(h, n); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, by definition %v", h, n, got, want)
			}
		}
	}
}

// stringsUpTo is every string of up to n bytes from alphabet.
func stringsUpTo(alphabet []byte, n int) [][]byte {
	out := [][]byte{{}}
	for prev := out; n > 0; n-- {
		var next [][]byte
		for _, s := range prev {
			for _, c := range alphabet {
				next = append(next, append(append([]byte(nil), s...), c))
			}
		}
		out, prev = append(out, next...), next
	}
	return out
}

func TestTheAnchorIsTheNeedlesRarestByte(t *testing.T) {
	for needle, want := range map[string]byte{
		"quetzalcoatl":  'z',
		"zebra-unicorn": 'z',
		"order-1234":    '-',
		"email":         'm',
		"café":          0xc3,
		"a":             'a',
	} {
		if got := newFoldNeedle([]byte(needle)); got.b[got.at] != want {
			t.Errorf("%q: anchor %q, want %q", needle, got.b[got.at], want)
		}
	}
}

func FuzzContainsFold(f *testing.F) {
	for _, tc := range foldCases {
		f.Add([]byte(tc.hay), []byte(tc.needle))
	}
	f.Add([]byte(strings.Repeat("zZ", 40)+"zq"), []byte("zq"))
	f.Fuzz(func(t *testing.T, hay, needle []byte) {
		for _, n := range [][]byte{needle, asciiLower(string(needle))} {
			if got, want := containsFold(hay, n), containsFoldByDefinition(hay, n); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, by definition %v", hay, n, got, want)
			}
		}
	})
}
