package ui

import (
	"net/http"
	"testing"

	"fyne.io/fyne/v2"

	"hookscope/store"
)

// escapeIn focuses field, types Escape into it and reports whether every
// dialog over the window closed.
func (h *harness) escapeIn(field fyne.Focusable) bool {
	h.t.Helper()
	h.w.win.Canvas().Focus(field)
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	return h.topOverlay() == nil
}

// Escape typed into any field of the edit-and-replay dialog (URL, body,
// a header row) closes it, as its Cancel does.
func TestEscapeInAReplayFieldClosesTheDialog(t *testing.T) {
	h := newHarness(t)
	c := h.capture("/src", http.Header{"Content-Type": {"application/json"}}, `{"n":1}`)
	fields := []struct {
		name  string
		field func(*replayDialog) fyne.Focusable
	}{
		{"URL", func(d *replayDialog) fyne.Focusable { return d.url }},
		{"body", func(d *replayDialog) fyne.Focusable { return d.body }},
		{"header name", func(d *replayDialog) fyne.Focusable { return d.headers.rows[0].name }},
		{"header value", func(d *replayDialog) fyne.Focusable { return d.headers.rows[0].value }},
	}
	for _, f := range fields {
		d := h.w.newReplayDialog(c, nil)
		d.show()
		if len(d.headers.rows) == 0 {
			t.Fatal("no header rows")
		}
		if !h.escapeIn(f.field(d)) {
			t.Errorf("Escape in the %s left the replay dialog open", f.name)
		}
	}
}

// Escape in the bulk replay's target URL or delay closes it; its title
// counts one capture in the singular.
func TestEscapeInABulkReplayFieldClosesTheDialog(t *testing.T) {
	h := newHarness(t)
	ids := []store.ID{h.capture("/one", nil, "x").ID}
	for _, field := range []string{"URL", "delay"} {
		b := h.w.newBulkReplay(ids)
		b.show()
		if b.status.Text != "1 capture, sent oldest first." {
			t.Errorf("status %q", b.status.Text)
		}
		var f fyne.Focusable = b.url
		if field == "delay" {
			f = b.delay
		}
		if !h.escapeIn(f) {
			t.Errorf("Escape in the %s left bulk replay open", field)
		}
	}
}
