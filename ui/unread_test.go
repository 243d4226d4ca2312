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
	h.post("/seen", "text/plain", "while focused")
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	if got := h.w.win.Title(); got != "Hookscope" {
		t.Fatalf("title %q after a capture seen arriving", got)
	}

	h.w.unread.setFocused(false)
	h.post("/isahit/a", "text/plain", "1")
	h.post("/isahit/b", "text/plain", "2")
	h.post("/elsewhere", "text/plain", "3")
	h.q.until(t, "the title", func() bool { return h.w.win.Title() == "Hookscope (3 new)" })
	if got := h.sidebarLabel(2); got != "Isahit • 2 new" {
		t.Errorf("isahit's row reads %q", got)
	}
	if got := h.sidebarLabel(1); got != "Unsorted • 1 new" {
		t.Errorf("Unsorted's row reads %q", got)
	}

	// Choosing isahit while still away does not count as seeing it; coming
	// back to the window with isahit chosen does.
	h.w.side.list.Select(2)
	if got := h.w.win.Title(); got != "Hookscope (3 new)" {
		t.Fatalf("title %q while unfocused", got)
	}
	h.w.unread.setFocused(true)
	if got := h.w.win.Title(); got != "Hookscope (1 new)" {
		t.Fatalf("title %q after viewing isahit", got)
	}
	if got := h.sidebarLabel(2); got != "Isahit" {
		t.Errorf("isahit's row still reads %q", got)
	}
	h.w.side.list.Select(0)
	if got := h.w.win.Title(); got != "Hookscope" {
		t.Fatalf("title %q after viewing All", got)
	}
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
