package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// shownWhole reports whether the label draws all of its text inside the
// window: its rows put together (a wrap drops the spaces it breaks at)
// spell the text, and none goes past the window's right edge.
func shownWhole(h *harness, l *widget.Label) bool {
	var b strings.Builder
	width := h.w.win.Content().Size().Width
	for _, p := range visibleObjects(h.w.win.Content()) {
		if !isInside(p.o, l) {
			continue
		}
		if tx, ok := p.o.(*canvas.Text); ok {
			if p.pos.X+fyne.MeasureText(tx.Text, tx.TextSize, tx.TextStyle).Width > width+0.5 {
				return false
			}
			b.WriteString(tx.Text)
		}
	}
	squeeze := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	return squeeze(b.String()) == squeeze(l.Text)
}

// isInside reports whether o is l or drawn by it.
func isInside(o fyne.CanvasObject, l *widget.Label) bool {
	found := false
	eachObject(l, func(c fyne.CanvasObject) bool {
		if c == o {
			found = true
		}
		return !found
	})
	return found
}

// An invalid query is said whole under the field at a laptop's sizes, in
// a line of its own that goes as soon as the field is cleared: a reviewer
// saw it cut to "Unknown field "stauts" (did you mean …", and the top bar
// kept its empty line after the field was emptied.
func TestQueryMessageIsReadWholeAndGoesWithTheQuery(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 720}, {Width: 1024, Height: 700}} {
		t.Run(fmt.Sprintf("%gx%g", size.Width, size.Height), func(t *testing.T) {
			h := sized(t, size)
			top := h.w.top.object()
			before := top.Size().Height
			msg := h.w.top.query.message
			shown := ""
			for _, typo := range []string{"stauts:500", "body.docs.#>", `header.x-event:"unclosed`} {
				h.w.top.search.SetText(typo)
				h.q.until(t, "the message", func() bool { return msg.Visible() && msg.Text != shown })
				shown = msg.Text
				h.w.win.Content().Refresh()
				if !shownWhole(h, msg) {
					t.Errorf("%q: the message %q is not shown whole: %q", typo, msg.Text, renderedText(msg))
				}
				field := absolutePos(h, h.w.top.search)
				if at := absolutePos(h, msg); at.Y < field.Y+h.w.top.search.Size().Height {
					t.Errorf("%q: the message is at y %v, not under the field (y %v)", typo, at.Y, field.Y)
				}
			}
			h.w.top.search.SetText("")
			h.q.until(t, "the message gone", func() bool { return !msg.Visible() })
			if got := top.Size().Height; got != before {
				t.Errorf("the cleared field leaves the top bar %v high, %v before the typo", got, before)
			}
			test.Type(h.w.top.search, "stauts:5")
			h.q.until(t, "the message again", func() bool { return msg.Visible() })
			h.w.top.search.SetText("status:200")
			h.q.until(t, "a valid query hides it", func() bool { return !msg.Visible() && top.Size().Height == before })
		})
	}
}

// absolutePos is where o is in the window.
func absolutePos(h *harness, o fyne.CanvasObject) fyne.Position {
	for _, p := range visibleObjects(h.w.win.Content()) {
		if p.o == o {
			return p.pos
		}
	}
	h.t.Fatalf("%T is not shown", o)
	return fyne.Position{}
}

// Choosing a sidebar entry while the query does not parse says so where
// the list would say "No capture matches".
func TestSidebarWhileTheQueryIsInvalidSaysSo(t *testing.T) {
	h := newHarness(t)
	isahitEvents(t, h)
	// Typed slowly, "stauts" is searched as a word before the colon comes.
	h.w.top.search.SetText("stauts")
	h.q.until(t, "the word searched", func() bool { return h.rows() == 0 && h.w.list.ids.Loaded() })
	h.w.top.search.SetText("stauts:500")
	msg := h.w.top.query.message
	h.q.until(t, "the message", func() bool { return msg.Visible() })
	for _, row := range []int{2, 1, 0} { // Isahit, Unsorted, All
		h.w.side.list.Select(row)
		h.q.until(t, "the list read", func() bool { return h.w.list.ids.Loaded() })
		empty := h.w.list.emptyMsg.Text
		if !h.w.list.empty.Visible() || strings.Contains(empty, "No capture matches") || !strings.Contains(empty, msg.Text) {
			t.Errorf("sidebar row %d with an invalid query: the list says %q (shown %v)", row, empty, h.w.list.empty.Visible())
		}
	}
	h.w.top.search.SetText("")
	h.q.until(t, "every capture", func() bool { return h.rows() == 4 && !h.w.list.empty.Visible() })
}
