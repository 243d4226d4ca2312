package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// bodyRowsShown is how many rows of the body's list of differences fit in
// its height as laid out.
func bodyRowsShown(t *testing.T, p *comparePane) float32 {
	t.Helper()
	list := bodyList(p)
	if list == nil {
		t.Fatal("no list of the body's differences")
	}
	row := list.CreateItem().MinSize().Height + theme.Padding() // the list's separator
	return list.Size().Height / row
}

// At a laptop's 1280×720 the body's differences get the height the request
// line and headers leave, not a strip: a reviewer saw three rows of twelve
// changes there, one and a half at 1024×700.
func TestCompareBodyGetsTheRemainingHeight(t *testing.T) {
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1280, 720))
	var a, b []string
	for i := range 12 {
		a = append(a, fmt.Sprintf(`"key%02d":"a%02d"`, i, i))
		b = append(b, fmt.Sprintf(`"key%02d":"b%02d"`, i, i))
	}
	json := http.Header{"Content-Type": {"application/json"}}
	left := h.capture("/isahit/results", json, "{"+strings.Join(a, ",")+"}")
	right := h.capture("/isahit/results", json, "{"+strings.Join(b, ",")+"}")
	h.w.compareCaptures(left.ID, right.ID)
	p := h.openCompare()[0]
	if got := len(bodyRows(p)); got != 12 {
		t.Fatalf("%d body changes, want 12", got)
	}
	n := bodyRowsShown(t, p)
	t.Logf("the body shows %.1f rows at 1280×720", n)
	if n < 8 {
		t.Errorf("the body shows %.1f rows of its 12 changes at 1280×720; want at least 8", n)
	}
	if got := p.lineTitle.Text; got != "Request line — the same" {
		t.Errorf("the request line's heading reads %q", got)
	}
}

// findCheck finds a check box that hands Escape on by its label under o.
func findCheck(t *testing.T, o fyne.CanvasObject, text string) *escCheck {
	t.Helper()
	var found *escCheck
	eachObject(o, func(o fyne.CanvasObject) bool {
		if c, ok := o.(*escCheck); ok && c.Text == text && found == nil {
			found = c
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no check %q", text)
	}
	return found
}
