package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// sidebarLabel is a sidebar row's name as the user reads it.
func (h *harness) sidebarLabel(row int) string {
	o := h.w.side.list.CreateItem()
	h.w.side.updateRow(row, o)
	return o.(*fyne.Container).Objects[0].(*widget.Label).Text
}

// Captures that land while the window is unfocused are counted in the title
// and marked on their projects until the user looks at them.
func TestUnreadWhileUnfocused(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutProject(store.Project{Slug: "isahit", Name: "Isahit"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	// title and row check what the window's title and a sidebar row read.
	title := func(want, when string) {
		t.Helper()
		if got := h.w.win.Title(); got != want {
			t.Fatalf("title %q %s, want %q", got, when, want)
		}
	}
	row := func(i int, want string) {
		t.Helper()
		if got := h.sidebarLabel(i); got != want {
			t.Errorf("sidebar row %d reads %q, want %q", i, got, want)
		}
	}
	h.post("/seen", "text/plain", "while focused")
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	title("Hookscope", "after a capture seen arriving")

	h.w.unread.setFocused(false)
	h.post("/isahit/a", "text/plain", "1")
	h.post("/isahit/b", "text/plain", "2")
	h.post("/elsewhere", "text/plain", "3")
	h.q.until(t, "the title", func() bool { return h.w.win.Title() == "Hookscope (3 new)" })
	row(2, "Isahit • 2 new")
	row(1, "Unsorted • 1 new")

	// Choosing isahit while still away does not count as seeing it; coming
	// back to the window with isahit chosen does.
	h.w.side.list.Select(2)
	title("Hookscope (3 new)", "while unfocused")
	h.w.unread.setFocused(true)
	title("Hookscope (1 new)", "after viewing isahit")
	row(2, "Isahit")
	h.w.side.list.Select(0)
	title("Hookscope", "after viewing All")
}

// Hidden to the tray counts too, even if focus never left.
func TestUnreadWhileHidden(t *testing.T) {
	h := newHarness(t)
	h.w.unread.setHidden(true)
	h.post("/a", "text/plain", "1")
	h.q.until(t, "the title", func() bool { return h.w.win.Title() == "Hookscope (1 new)" })
	h.w.showFromTray()
	if got := h.w.win.Title(); got != "Hookscope" {
		t.Fatalf("title %q once shown", got)
	}
}
