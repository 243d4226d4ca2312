package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Delete offers Undo; Undo brings the capture back, selected and shown.
func TestDeleteCanBeUndone(t *testing.T) {
	h := newHarness(t)
	gone := h.deleteFromDetail(t)
	if !h.w.undo.box.Visible() || !strings.Contains(h.w.undo.msg.Text, "Deleted POST /gone") {
		t.Fatalf("no undo banner: visible %v, %q", h.w.undo.box.Visible(), h.w.undo.msg.Text)
	}
	if _, err := h.st.Get(gone); err == nil {
		t.Fatal("the deleted capture is still listed by the store")
	}
	test.Tap(h.w.undo.undo)
	h.q.until(t, "the capture back, selected", func() bool {
		return h.rows() == 2 && h.w.list.selected == gone && h.w.detail.capture != nil && h.w.detail.capture.ID == gone
	})
	if h.w.list.idAt(h.w.list.selectedRow) != gone {
		t.Fatalf("the selected row is %s, want %s", h.w.list.idAt(h.w.list.selectedRow), gone)
	}
	if _, err := h.st.Get(gone); err != nil {
		t.Fatalf("after Undo: %v", err)
	}
	if h.w.undo.box.Visible() {
		t.Fatal("the banner stays after Undo")
	}
}

// Once the banner's time is up the capture is deleted for good.
func TestDeleteIsFinalWhenTheUndoTimeEnds(t *testing.T) {
	h := newHarness(t)
	h.w.undo.timeout = 50 * time.Millisecond
	gone := h.post("/gone", "text/plain", "g")
	h.q.until(t, "the row", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil })
	h.w.onKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	h.q.until(t, "the banner", func() bool { return h.w.undo.box.Visible() })
	h.q.until(t, "the banner to go", func() bool { return !h.w.undo.box.Visible() })
	h.q.until(t, "the purge", func() bool { n, err := h.st.Trashed(); return err == nil && n == 0 })
	if _, err := h.st.Get(gone); err == nil {
		t.Fatal("the capture came back")
	}
	if h.rows() != 0 {
		t.Fatalf("%d rows after the purge", h.rows())
	}
}

// Clear all names the count, says the replay history goes too, confirms
// with a danger button, and can be undone.
func TestClearAllNamesTheCountAndCanBeUndone(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/a", "/b", "/c"} {
		h.post(p, "text/plain", "x")
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	menuItem(t, h.w, "Clear all captures…").Action()
	h.q.until(t, "the question", func() bool { return h.topOverlay() != nil })
	text := shownText(h.topOverlay())
	if !strings.Contains(text, "Clear all 3 captures?") || !strings.Contains(text, "replay history") {
		t.Fatalf("the question reads %q", text)
	}
	ok := findButton(t, h.topOverlay(), "Clear all")
	if ok.Importance != widget.DangerImportance {
		t.Fatalf("the confirming button's importance is %v, want danger", ok.Importance)
	}
	test.Tap(ok)
	h.q.until(t, "the empty list", func() bool { return h.rows() == 0 && h.w.undo.box.Visible() })
	if n, _ := h.st.Count(); n != 0 {
		t.Fatalf("count %d after Clear all", n)
	}
	if !strings.Contains(h.w.undo.msg.Text, "Cleared 3 captures") {
		t.Fatalf("banner %q", h.w.undo.msg.Text)
	}
	test.Tap(h.w.undo.undo)
	h.q.until(t, "the captures back", func() bool { return h.rows() == 3 })
	if n, _ := h.st.Count(); n != 3 {
		t.Fatalf("count %d after Undo", n)
	}
}
