package ui

import (
	"fmt"
	"net/http"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// deafToEscape lists the plain Fyne widgets under o that take the keyboard
// and ignore Escape: a dialog holding one never closes on Escape once it
// has the focus.
func deafToEscape(o fyne.CanvasObject) []string {
	var deaf []string
	eachObject(o, func(o fyne.CanvasObject) bool {
		switch o.(type) {
		case *widget.Entry, *widget.SelectEntry, *widget.Select, *widget.List, *widget.Table, *widget.Check:
			deaf = append(deaf, fmt.Sprintf("%T", o))
		}
		return true
	})
	return deaf
}

// typeKey types k as the desktop driver does: to the focused widget, or to
// the window when none has the focus.
func (h *harness) typeKey(name fyne.KeyName) {
	c := h.w.win.Canvas()
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
		return
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: name})
}

// No control of the compare view (JSON, text and binary bodies, several
// panes in tabs) or of the Compare with… picker ignores Escape.
func TestCompareViewHasNoControlDeafToEscape(t *testing.T) {
	h := newHarness(t)
	p := h.compareIsahitEvents()
	if deaf := deafToEscape(p.content); len(deaf) > 0 {
		t.Errorf("the compare view of JSON bodies holds %v", deaf)
	}
	h.pressEscape()
	a := h.capture("/t", http.Header{"Content-Type": {"text/plain"}}, "one\ntwo")
	b := h.capture("/t", http.Header{"Content-Type": {"text/plain"}}, "one\nthree")
	h.w.compareCaptures(a.ID, b.ID)
	if deaf := deafToEscape(h.openCompare()[0].content); len(deaf) > 0 {
		t.Errorf("the compare view of text bodies holds %v", deaf)
	}
	h.pressEscape()
	h.clickRow(0, 0)
	h.q.until(t, "a capture in the detail", func() bool { return h.w.detail.capture != nil })
	pick := h.openPicker(3)
	if deaf := deafToEscape(h.topOverlay()); len(deaf) > 0 {
		t.Errorf("the Compare with… picker holds %v", deaf)
	}
	h.w.win.Canvas().Focus(pick.list)
	h.typeKey(fyne.KeyEscape)
	if h.w.dialogOf(dialogComparePick) != nil {
		t.Error("Escape in the picker's list left it open")
	}
}

// A click on a row of the body's differences gives the list the keyboard;
// Escape then closes the view at the first press (a reviewer pressed it
// three times in vain).
func TestEscapeAfterClickingABodyRowClosesTheCompareView(t *testing.T) {
	h := newHarness(t)
	p := h.compareIsahitEvents()
	tapFirstBodyRow(t, p)
	if h.w.win.Canvas().Focused() == nil {
		t.Fatal("the click gave nothing the keyboard")
	}
	h.typeKey(fyne.KeyEscape)
	if h.w.dialogOf(dialogCompare) != nil {
		t.Fatal("Escape after a click on a body row left the compare view open")
	}
}
