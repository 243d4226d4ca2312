package ui

import (
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/width"

	"fyne.io/fyne/v2/widget"
)

// A TextGrid draws one rune per cell, left to right, in a monospace cell
// width. Two things then go wrong with scripts beyond Latin, and
// gridLineCells puts them right for a line before it becomes a grid row:
//
//   - Right-to-left letters (Hebrew, Arabic) would be drawn in their stored
//     (logical) order, so שלום would read backwards. Fyne does not apply the
//     Unicode Bidirectional Algorithm to grid cells, so each right-to-left run
//     is laid out in display order here, following the algorithm's rules for
//     a left-to-right paragraph (UAX #9, https://unicode.org/reports/tr9/):
//     spaces and punctuation between two right-to-left letters belong to the
//     run, numbers inside it keep their own left-to-right order, and paired
//     brackets are mirrored. Arabic letters still show their isolated forms
//     (no joining): the grid has no shaping.
//   - East Asian wide characters (CJK, kana, most emoji) are drawn two cells
//     wide (UAX #11, https://unicode.org/reports/tr11/); an empty cell after
//     each keeps them from covering the next character.
func gridLineCells(cells []widget.TextGridCell) []widget.TextGridCell {
	cells = rtlDisplayOrder(cells)
	wide := 0
	for _, c := range cells {
		if isWide(c.Rune) {
			wide++
		}
	}
	if wide == 0 {
		return cells
	}
	out := make([]widget.TextGridCell, 0, len(cells)+wide)
	for _, c := range cells {
		out = append(out, c)
		if isWide(c.Rune) {
			out = append(out, widget.TextGridCell{Rune: ' ', Style: c.Style})
		}
	}
	return out
}

func isWide(r rune) bool {
	if r < 0x1100 {
		return false
	}
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}

func bidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

func isRTL(r rune) bool {
	c := bidiClass(r)
	return c == bidi.R || c == bidi.AL
}

func isNumber(r rune) bool {
	c := bidiClass(r)
	return c == bidi.EN || c == bidi.AN
}

// rtlDisplayOrder reverses each right-to-left run of a left-to-right line.
func rtlDisplayOrder(cells []widget.TextGridCell) []widget.TextGridCell {
	var out []widget.TextGridCell
	for i := 0; i < len(cells); {
		if !isRTL(cells[i].Rune) {
			i++
			continue
		}
		end := rtlRunEnd(cells, i)
		if out == nil {
			out = append([]widget.TextGridCell(nil), cells...)
		}
		reverseRun(out[i:end])
		i = end
	}
	if out == nil {
		return cells
	}
	return out
}

// rtlRunEnd finds where the run starting at the right-to-left letter at
// start ends: at the first left-to-right letter, leaving out the neutral
// characters before it (they take the line's left-to-right direction), but
// keeping a bracket pair opened inside the run.
func rtlRunEnd(cells []widget.TextGridCell, start int) int {
	end, open := start+1, 0
	for k := start + 1; k < len(cells); k++ {
		r := cells[k].Rune
		switch {
		case isRTL(r) || isNumber(r) || bidiClass(r) == bidi.NSM:
			end = k + 1
		case r == '(' || r == '[' || r == '{':
			open++
		case (r == ')' || r == ']' || r == '}') && open > 0:
			open-- // a bracket pair opened inside the run belongs to it
			end = k + 1
		case bidiClass(r) == bidi.L:
			return end
		}
	}
	return end
}

// reverseRun puts a right-to-left run in display order: reversed, with
// brackets mirrored and digit sequences back in their own order.
func reverseRun(run []widget.TextGridCell) {
	for a, b := 0, len(run)-1; a < b; a, b = a+1, b-1 {
		run[a], run[b] = run[b], run[a]
	}
	for i := range run {
		run[i].Rune = mirror(run[i].Rune)
	}
	for i := 0; i < len(run); {
		if !isNumber(run[i].Rune) {
			i++
			continue
		}
		j := i
		for j < len(run) && (isNumber(run[j].Rune) || (j > i && j+1 < len(run) && isNumberSeparator(run[j].Rune) && isNumber(run[j+1].Rune))) {
			j++
		}
		for a, b := i, j-1; a < b; a, b = a+1, b-1 {
			run[a], run[b] = run[b], run[a]
		}
		i = j
	}
}

// isNumberSeparator: the separators UAX #9 keeps inside a number (1,000.5).
func isNumberSeparator(r rune) bool {
	c := bidiClass(r)
	return c == bidi.CS || c == bidi.ES
}

// mirror gives the paired bracket a right-to-left run draws in place of r
// (Unicode's Bidi_Mirroring_Glyph, for ASCII brackets and guillemets).
func mirror(r rune) rune {
	switch r {
	case '(':
		return ')'
	case ')':
		return '('
	case '[':
		return ']'
	case ']':
		return '['
	case '{':
		return '}'
	case '}':
		return '{'
	case '<':
		return '>'
	case '>':
		return '<'
	case '«':
		return '»'
	case '»':
		return '«'
	}
	return r
}
