// Package diff compares two of the things Hookscope shows — two answers to
// replays, two requests sent, two captures — and says where they differ,
// for a side-by-side view. It knows nothing of widgets or of the store.
//
// Compare puts two whole messages side by side (request line, headers,
// body) in a Report. Each kind of body has its own comparison, in its own
// file: text line by line here (Lines), JSON structurally (JSON: keys
// added, removed or changed, by dotted path, numbers by value) and binary
// bodies by size and first differing offset (Bytes).
package diff

import (
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is how a row of a side-by-side comparison relates its two sides.
type Op int

const (
	// Same: both sides hold the same line.
	Same Op = iota
	// Changed: both sides hold a line, and they differ.
	Changed
	// Removed: only the left (older) side holds a line.
	Removed
	// Added: only the right (newer) side holds a line.
	Added
)

// Mark is the op as a two-character margin, as diff tools print it: "  "
// same, "! " changed, "- " only on the left, "+ " only on the right.
func (o Op) Mark() string {
	switch o {
	case Changed:
		return "! "
	case Removed:
		return "- "
	case Added:
		return "+ "
	default:
		return "  "
	}
}

// Row is one row of a side-by-side view; the side an op leaves empty is "".
type Row struct {
	Op          Op
	Left, Right string
}

// Text is two texts aligned line by line.
type Text struct {
	Rows []Row
	// Differ counts the rows that are not Same.
	Differ int
}

// Timeout bounds the search for the shortest edit script; past it the lines
// still unaligned are shown as changed rather than matched (the result stays
// correct, only less minimal). It keeps two large bodies that share little
// from holding the comparison for long.
const Timeout = time.Second

// Lines aligns a and b on a shortest edit script of whole lines (Myers'
// O(ND) algorithm, "An O(ND) Difference Algorithm and Its Variations",
// Algorithmica 1986, as diff-match-patch implements it). Within a run of
// changes, removed and added lines share rows, so a value that changed
// shows on one row.
func Lines(a, b []string) Text {
	var out Text
	var lines lineTable
	ra, rb := lines.runes(a), lines.runes(b)
	if ra == nil || rb == nil {
		// Too many distinct lines to name each by a rune: by position.
		for k := range max(len(a), len(b)) {
			var l, r []string
			if k < len(a) {
				l = a[k : k+1]
			}
			if k < len(b) {
				r = b[k : k+1]
			}
			if l != nil && r != nil && l[0] == r[0] {
				out.add(Row{Op: Same, Left: l[0], Right: r[0]})
				continue
			}
			out.pair(l, r)
		}
		return out
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = Timeout
	var del, ins []string
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		ls := lines.lines(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			del = append(del, ls...)
		case diffmatchpatch.DiffInsert:
			ins = append(ins, ls...)
		default:
			out.pair(del, ins)
			del, ins = nil, nil
			for _, l := range ls {
				out.add(Row{Op: Same, Left: l, Right: l})
			}
		}
	}
	out.pair(del, ins)
	return out
}

// pair lays a run of removed and added lines side by side.
func (t *Text) pair(del, ins []string) {
	for k := range max(len(del), len(ins)) {
		switch {
		case k < len(del) && k < len(ins):
			t.add(Row{Op: Changed, Left: del[k], Right: ins[k]})
		case k < len(del):
			t.add(Row{Op: Removed, Left: del[k]})
		default:
			t.add(Row{Op: Added, Right: ins[k]})
		}
	}
}

func (t *Text) add(r Row) {
	t.Rows = append(t.Rows, r)
	if r.Op != Same {
		t.Differ++
	}
}

// lineTable names each distinct line by a rune, so the diff of two
// sequences of lines is a diff of two strings of runes (diff-match-patch's
// "line mode", done here on lines as given: its own splits a text on "\n").
type lineTable struct {
	table []string
	index map[string]rune
}

// Runes are code points, less the surrogates, which a Go string cannot hold.
const (
	surrogateFirst = 0xD800
	surrogates     = 0xE000 - surrogateFirst
	maxLines       = 0x110000 - surrogates
)

// runes is ls as runes; nil when ls has more distinct lines than runes exist.
func (t *lineTable) runes(ls []string) []rune {
	if t.index == nil {
		t.index = map[string]rune{}
	}
	out := make([]rune, 0, len(ls))
	for _, l := range ls {
		r, ok := t.index[l]
		if !ok {
			if len(t.table) == maxLines {
				return nil
			}
			r = rune(len(t.table))
			if r >= surrogateFirst {
				r += surrogates
			}
			t.index[l] = r
			t.table = append(t.table, l)
		}
		out = append(out, r)
	}
	return out
}

// lines turns a run of runes back into its lines.
func (t *lineTable) lines(s string) []string {
	var out []string
	for _, r := range s {
		if r >= surrogateFirst {
			r -= surrogates
		}
		out = append(out, t.table[r])
	}
	return out
}
