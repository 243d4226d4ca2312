package store

import (
	"bytes"
	"strings"
)

// A text search compares one needle with every header and body of a store:
// the comparison ignores the case of ASCII letters only, which keeps it
// allocation-free, and it is by definition
//
//	bytes.Contains(asciiLower(hay), needle)
//
// for a needle already lower-cased by asciiLower. A foldNeedle finds it
// without lower-casing the hay: it looks for one byte of the needle, the
// anchor, with bytes.IndexByte (vectorised), in both cases when it is a
// letter, and compares the needle only where the anchor is. The anchor is
// the byte least likely in webhook traffic, so that few places are
// compared: the "rare byte" heuristic of Rust's memchr crate
// (https://github.com/BurntSushi/memchr, src/arch/all/packedpair).

// foldNeedle is a needle prepared for containsFold.
type foldNeedle struct {
	b []byte // lower case (asciiLower)
	// at is the anchor's offset in b; lo and up are it in lower and upper
	// case, equal when it is not an ASCII letter.
	at     int
	lo, up byte
	// letters is whether b holds an ASCII letter: without one, case does
	// not matter and the standard library's substring search is exact.
	letters bool
}

// newFoldNeedle prepares needle, which asciiLower has lower-cased.
func newFoldNeedle(needle []byte) foldNeedle {
	n := foldNeedle{b: needle}
	best := -1
	for i, c := range needle {
		lo, up := c, c
		if 'a' <= c && c <= 'z' {
			up = c - 'a' + 'A'
		}
		// An upper-case one never matches a lower-cased hay: not found
		// by the comparison, as by the definition.
		n.letters = n.letters || up != lo || ('A' <= c && c <= 'Z')
		cost := anchorCost(lo, up)
		if best < 0 || cost < best {
			best, n.at, n.lo, n.up = cost, i, lo, up
		}
	}
	return n
}

// anchorCost estimates what looking for lo and up costs: how often they
// occur, and a second pass over the hay when they differ.
func anchorCost(lo, up byte) int {
	cost := commonness(lo)
	if up != lo {
		cost += commonness(up) + commonness('A')
	}
	return cost
}

// commonness is a rough estimate of how often c occurs in webhook traffic
// (JSON and form bodies, header names and values): 1 for the rarest, up to
// 1<<15 for the bytes of nearly every word. Its order, not its values,
// matters.
func commonness(c byte) int {
	// From most to least common; bytes in no class (control bytes, most
	// symbols, UTF-8 sequences) are the rarest.
	classes := [...]string{
		` "eatoinsr012:,`,
		`3456789lcduhpm_.-/`,
		`gfybwvkxjq{}=&[]`, // j: "json" in Content-Types, q: "request", "qty"
		"ACESTIONRDPLMUH%+;'?\n\r\t",
		`zBFGJKQVWXYZ<>()!@#*$\`,
	}
	for i, class := range classes {
		if strings.IndexByte(class, c) >= 0 {
			return 1 << (3 * (len(classes) - i))
		}
	}
	return 1
}

// containsFold reports whether hay contains needle (already lower case),
// ignoring ASCII case. Non-ASCII letters match only in the case given.
func containsFold(hay, needle []byte) bool {
	n := newFoldNeedle(needle)
	return n.in(hay)
}

// in reports whether hay contains the needle, as containsFold.
func (n *foldNeedle) in(hay []byte) bool {
	switch {
	case len(n.b) == 0:
		return true
	case len(hay) < len(n.b):
		return false
	case !n.letters:
		return bytes.Contains(hay, n.b)
	}
	// The anchor can only be where the whole needle fits around it.
	anchors := hay[n.at : len(hay)-len(n.b)+n.at+1]
	if n.lo == n.up {
		for from := 0; ; {
			i := indexFrom(anchors, n.lo, from)
			if i < 0 {
				return false
			}
			if equalFoldASCII(hay[i:i+len(n.b)], n.b) {
				return true
			}
			from = i + 1
		}
	}
	return n.inEitherCase(hay, anchors)
}

// inEitherCase is in for a letter anchor: each case's next position is kept
// until passed, so the hay is read once per case, not once per candidate.
func (n *foldNeedle) inEitherCase(hay, anchors []byte) bool {
	lo, up := -1, -1 // next candidates from pos on; -1: to be found
	for pos := 0; pos < len(anchors); {
		if lo < pos {
			if lo = indexFrom(anchors, n.lo, pos); lo < 0 {
				lo = len(anchors)
			}
		}
		if up < pos {
			if up = indexFrom(anchors, n.up, pos); up < 0 {
				up = len(anchors)
			}
		}
		i := min(lo, up)
		if i == len(anchors) {
			return false
		}
		if equalFoldASCII(hay[i:i+len(n.b)], n.b) {
			return true
		}
		pos = i + 1
	}
	return false
}

// indexFrom is bytes.IndexByte of hay[from:], as an index into hay.
func indexFrom(hay []byte, c byte, from int) int {
	if i := bytes.IndexByte(hay[from:], c); i >= 0 {
		return from + i
	}
	return -1
}

func equalFoldASCII(a, lower []byte) bool {
	for i, c := range a {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
