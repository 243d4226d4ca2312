package ui

import (
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// tapFirstBodyRow clicks the first row of the body's list of differences.
func tapFirstBodyRow(t *testing.T, p *comparePane) {
	t.Helper()
	var row fyne.Tappable
	eachObject(p.body, func(o fyne.CanvasObject) bool {
		if r, ok := o.(fyne.Tappable); ok && row == nil {
			row = r
		}
		return row == nil
	})
	if row == nil {
		t.Fatal("no row to click in the body's differences")
	}
	test.Tap(row)
}

// Two 300-character values that differ only in their last characters read
// alike in a row cut to its width: a click on the row shows both whole.
func TestCompareShowsALongChangedValueWhole(t *testing.T) {
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1280, 720))
	long := strings.Repeat("review of task 42, batch 7; ", 11)[:296]
	left, right := long+"1111", long+"2222"
	a := h.capture("/long", http.Header{"Content-Type": {"application/json"}}, `{"note":"`+left+`"}`)
	b := h.capture("/long", http.Header{"Content-Type": {"application/json"}}, `{"note":"`+right+`"}`)
	h.w.compareCaptures(a.ID, b.ID)
	p := h.openCompare()[0]
	tapFirstBodyRow(t, p)
	text := strings.ReplaceAll(shownText(p.body), "\n", "")
	for _, v := range []string{left, right} {
		if !strings.Contains(text, `"`+v+`"`) {
			t.Errorf("the view does not show %q whole; it shows:\n%s", v[len(v)-40:], shownText(p.body))
		}
	}
}

// A row shows two long values from a little before where they first
// differ; values that part early or are short are shown from their start.
func TestAroundFirstDiff(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, c := range []struct{ a, b, wantA, wantB string }{
		{"short", "shirt", "short", "shirt"},
		{"", "new", "", "new"},
		{long + "1", long + "2", "…" + strings.Repeat("x", diffLead) + "1", "…" + strings.Repeat("x", diffLead) + "2"},
		{long, long + "tail", "…" + strings.Repeat("x", diffLead), "…" + strings.Repeat("x", diffLead) + "tail"},
		{"ab" + long, "ac" + long, "ab" + long, "ac" + long},
		{strings.Repeat("長", 30) + "a", strings.Repeat("長", 30) + "b", "…" + strings.Repeat("長", diffLead) + "a", "…" + strings.Repeat("長", diffLead) + "b"},
	} {
		a, b := aroundFirstDiff(c.a, c.b)
		if a != c.wantA || b != c.wantB {
			t.Errorf("aroundFirstDiff(%q, %q) = %q, %q; want %q, %q", c.a, c.b, a, b, c.wantA, c.wantB)
		}
	}
}
