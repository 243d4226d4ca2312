package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// placed is an object as laid out in the window, at its absolute position.
type placed struct {
	o   fyne.CanvasObject
	pos fyne.Position
}

func (p placed) right() float32 { return p.pos.X + p.o.Size().Width }

// visibleObjects walks what the window draws, with absolute positions: the
// containers' objects and the widgets' renderers' objects, hidden ones left
// out.
func visibleObjects(root fyne.CanvasObject) []placed {
	var out []placed
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if !o.Visible() {
			return
		}
		p := at.Add(o.Position())
		out = append(out, placed{o, p})
		for _, c := range childrenOf(o) {
			walk(c, p)
		}
	}
	walk(root, fyne.Position{})
	return out
}

// sized opens a window with a capture to a known path selected, at size.
func sized(t *testing.T, size fyne.Size) *harness {
	t.Helper()
	h := newHarness(t)
	h.post("/isahit/results?v=layout-check", "application/json", `{"label":"猫 🐱 café","ar":"مرحبا","he":"שלום"}`)
	h.q.until(t, "the capture listed", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil })
	h.w.win.Resize(size)
	return h
}

// shownRow is the list's row on show for the capture, with its columns'
// places.
func shownRow(t *testing.T, h *harness) (row placed, cols []placed) {
	t.Helper()
	objs := visibleObjects(h.w.win.Content())
	for _, p := range objs {
		if r, ok := p.o.(*captureRow); ok && r.path.full != "" {
			row = p
			for _, q := range visibleObjects(r) {
				for _, c := range []fyne.CanvasObject{r.badge, r.path, r.sig, r.age, r.cut, r.size} {
					if q.o == c {
						cols = append(cols, placed{c, p.pos.Add(q.pos)})
					}
				}
			}
			return row, cols
		}
	}
	t.Fatal("no list row shows the capture")
	return
}

func TestListRowKeepsThePathReadableAtLaptopSizes(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 720}, {Width: 1024, Height: 700}, minContentSize} {
		t.Run(fmt.Sprintf("%gx%g", size.Width, size.Height), func(t *testing.T) {
			h := sized(t, size)
			if m := h.w.win.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
				t.Fatalf("the window's content needs %v, more than %v", m, size)
			}
			row, cols := shownRow(t, h)
			if len(cols) != 6 {
				t.Fatalf("found %d of the row's 6 columns", len(cols))
			}
			for i, a := range cols {
				if a.pos.X < row.pos.X || a.right() > row.right()+0.5 {
					t.Errorf("column %d (%T) at %v..%v is outside the row %v..%v", i, a.o, a.pos.X, a.right(), row.pos.X, row.right())
				}
				for _, b := range cols[i+1:] {
					if a.pos.X < b.right() && b.pos.X < a.right() {
						t.Errorf("%T (%v..%v) overlaps %T (%v..%v)", a.o, a.pos.X, a.right(), b.o, b.pos.X, b.right())
					}
				}
			}
			r := row.o.(*captureRow)
			if shown := r.path.Shown(); !strings.HasPrefix(shown, "/isahit/results?v=") {
				t.Errorf("the row shows the path %q, want at least /isahit/results?v=", shown)
			}
			for _, l := range []*widget.Label{r.age, r.size} {
				if got := renderedText(l); got != l.Text {
					t.Errorf("the row shows %q of %q", got, l.Text)
				}
			}
			// Every filter of the top bar is inside the window.
			for _, p := range visibleObjects(h.w.top.object()) {
				if _, ok := p.o.(*dropdown); ok && p.right() > h.w.win.Content().Size().Width+0.5 {
					t.Errorf("a filter ends at %v, past the window's %v", p.right(), h.w.win.Content().Size().Width)
				}
			}
		})
	}
}

// renderedText is the text a label draws, after any cut.
func renderedText(l *widget.Label) string {
	var b strings.Builder
	for _, p := range visibleObjects(l) {
		if tx, ok := p.o.(*canvas.Text); ok {
			b.WriteString(tx.Text)
		}
	}
	return b.String()
}

func TestSplitDividersDragAtEverySize(t *testing.T) {
	for _, size := range []fyne.Size{minContentSize, {Width: 1024, Height: 700}, {Width: 1600, Height: 1000}} {
		t.Run(fmt.Sprintf("%gx%g", size.Width, size.Height), func(t *testing.T) {
			h := sized(t, size)
			for _, s := range []*container.Split{h.w.layout.outer, h.w.layout.inner} {
				div := test.WidgetRenderer(s).Objects()[1].(fyne.Draggable)
				drag := func(dx float32) float64 {
					before := s.Offset
					div.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(2, 50)}, Dragged: fyne.NewDelta(dx, 0)})
					div.DragEnd()
					return s.Offset - before
				}
				if d := drag(40); d <= 0 {
					t.Errorf("dragging a divider 40 px right moved it by %v", d)
				}
				if d := drag(-40); d >= 0 {
					t.Errorf("dragging a divider 40 px left moved it by %v", d)
				}
			}
		})
	}
}

func TestWindowSizeDividersAndTabAreRemembered(t *testing.T) {
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1000, 650))
	h.w.layout.outer.SetOffset(0.2)
	h.w.layout.inner.SetOffset(0.62)
	h.w.detail.tabs.SelectIndex(1) // Headers
	h.w.saveLayout()

	w := newWindow(h.w.app, h.st, h.srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, h.q.do)
	t.Cleanup(func() {
		w.bridge.stop()
		w.notes.stop()
	})
	if got := w.win.Canvas().Size(); got != fyne.NewSize(1000, 650) {
		t.Errorf("the window reopened at %v, want 1000×650", got)
	}
	if w.layout.outer.Offset != 0.2 || w.layout.inner.Offset != 0.62 {
		t.Errorf("dividers reopened at %v and %v, want 0.2 and 0.62", w.layout.outer.Offset, w.layout.inner.Offset)
	}
	if got := w.detail.tabs.Selected().Text; got != "Headers" {
		t.Errorf("the detail reopened on %q, want Headers", got)
	}
}

func TestFirstRunWindowFitsALaptopScreen(t *testing.T) {
	h := newHarness(t)
	w := newWindow(h.w.app, h.st, h.srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, h.q.do)
	t.Cleanup(func() {
		w.bridge.stop()
		w.notes.stop()
	})
	if got := w.win.Canvas().Size(); got.Width > 1280 || got.Height > 800 {
		t.Errorf("a first run opens the window at %v, larger than a 1280×800 screen", got)
	}
}

func TestDetailActionsGoIntoAMenuWhenNarrow(t *testing.T) {
	h := sized(t, minContentSize)
	more := h.w.detail.actions.Objects[len(h.w.detail.actions.Objects)-1].(*moreButton)
	if !more.Visible() {
		t.Fatal("no More button in a narrow detail")
	}
	items := more.items()
	var names []string
	for _, it := range items {
		names = append(names, it.Label)
	}
	if len(items) == 0 || names[len(names)-1] != "Delete" {
		t.Fatalf("the More menu holds %q, want the actions that did not fit, Delete last", names)
	}
	detail := h.w.detail.object()
	for _, p := range visibleObjects(detail) {
		if b, ok := p.o.(*widget.Button); ok && p.right() > detail.Position().X+detail.Size().Width+0.5 {
			t.Errorf("the detail's button %q ends at %v, past the detail's %v", b.Text, p.right(), detail.Position().X+detail.Size().Width)
		}
	}
	for _, it := range items {
		if it.Label == "Copy as curl" {
			it.Action()
		}
	}
	if got := h.w.app.Clipboard().Content(); !strings.HasPrefix(got, "curl ") {
		t.Fatalf("Copy as curl from the More menu copied %q", got)
	}
	if h.w.toasts.text() != "Copied the capture as a curl command" {
		t.Errorf("copying from the menu toasts %q", h.w.toasts.text())
	}

	h.w.win.Resize(fyne.NewSize(2400, 900))
	h.w.layout.inner.SetOffset(0.3)
	if more.Visible() {
		t.Errorf("a wide detail still has a More menu holding %d actions", len(more.items()))
	}
}
