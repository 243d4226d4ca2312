package ui

import (
	"bytes"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// drawText renders s alone in a small window with the real (not the test
// driver's) theme and returns the pixels, as the window would draw them.
func drawText(t *testing.T, s string) []byte {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme())
	txt := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	txt.TextSize = 24
	w := test.NewTempWindow(t, txt)
	w.Resize(fyne.NewSize(120, 48))
	var buf bytes.Buffer
	if err := png.Encode(&buf, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A character no font has (a private-use code point of plane 16): Fyne
// draws every glyph it cannot find as this same replacement box.
const noGlyph = "\U0010FFFD"

// TestScriptsBeyondLatinDrawRealGlyphs draws CJK and emoji characters and
// checks each is drawn with a glyph of its own: two different characters
// drawn as the missing-glyph box would give identical pixels, and a real
// glyph never looks like that box. No OCR, no pixel thresholds.
func TestScriptsBeyondLatinDrawRealGlyphs(t *testing.T) {
	tofu := drawText(t, noGlyph)
	for _, pair := range [][2]string{
		{"猫", "犬"},   // Chinese (and Japanese kanji)
		{"ねこ", "いぬ"}, // Japanese kana
		{"🐱", "🐶"},   // emoji
		{"שלום", "תודה"},
		{"سلام", "شكرا"},
	} {
		a, b := drawText(t, pair[0]), drawText(t, pair[1])
		if bytes.Equal(a, b) {
			t.Errorf("%q and %q are drawn identically: their glyphs are missing (install a CJK font: scripts/deps.sh build, or fonts-wqy-microhei)", pair[0], pair[1])
		}
		for _, s := range pair {
			if bytes.Equal(drawText(t, s), tofu) {
				t.Errorf("%q is drawn as the missing-glyph box", s)
			}
		}
	}
}

func cellsOf(s string) []widget.TextGridCell {
	var cells []widget.TextGridCell
	for _, r := range s {
		cells = append(cells, widget.TextGridCell{Rune: r})
	}
	return cells
}

func textOf(cells []widget.TextGridCell) string {
	var rs []rune
	for _, c := range cells {
		rs = append(rs, c.Rune)
	}
	return string(rs)
}

// TestBodyGridShowsRightToLeftInReadingOrder: the body's grid draws cells
// left to right, so a Hebrew or Arabic run must be stored in display order
// for it to read right to left, as any browser shows it.
func TestBodyGridShowsRightToLeftInReadingOrder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"he": "שלום",`, `"he": "םולש",`},
		{`"ar": "مرحبا بالعالم"`, `"ar": "ملاعلاب ابحرم"`},
		{"abc שלום 123", "abc 123 םולש"},         // a number after Hebrew sits to its left, digits in order
		{"שלום (1,000) abc", "(1,000) םולש abc"}, // brackets mirrored
		{"plain ASCII (ok)", "plain ASCII (ok)"},
	} {
		if got := textOf(gridLineCells(cellsOf(c.in))); got != c.want {
			t.Errorf("%q: grid shows %q, want %q", c.in, got, c.want)
		}
	}
}

// TestBodyGridGivesWideCharactersTwoCells: a CJK character or emoji is
// drawn two cells wide, so it must not share its second cell with the next
// character (猫 🐱 café lost its spaces and ねこ overlapped).
func TestBodyGridGivesWideCharactersTwoCells(t *testing.T) {
	if got, want := textOf(gridLineCells(cellsOf("猫 🐱 café ねこ"))), "猫  🐱  café ね こ "; got != want {
		t.Errorf("grid cells %q, want %q", got, want)
	}
}
