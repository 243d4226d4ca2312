package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects"
	"hookscope/projects/rules"
	"hookscope/store"
)

// eachObject calls visit for o and, when visit returns true, for the
// objects below o (see childrenOf).
func eachObject(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if !visit(o) {
		return
	}
	for _, c := range childrenOf(o) {
		eachObject(c, visit)
	}
}

// childrenOf are the objects o holds: a container's, and a widget's as the
// test driver renders it.
func childrenOf(o fyne.CanvasObject) []fyne.CanvasObject {
	switch v := o.(type) {
	case *fyne.Container:
		return v.Objects
	case fyne.Widget:
		return test.WidgetRenderer(v).Objects()
	}
	return nil
}

// shownText is every text an overlay shows: labels, form hints and errors
// (canvas.Text), text grids.
func shownText(o fyne.CanvasObject) string {
	var b strings.Builder
	eachObject(o, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		case *widget.TextGrid:
			b.WriteString(v.Text() + "\n")
			return false
		}
		return true
	})
	return b.String()
}

// visibleText is the text of the labels and grids a user can see in o,
// one a line: hidden objects and what they hold are left out.
func visibleText(o fyne.CanvasObject) string {
	var b strings.Builder
	eachObject(o, func(o fyne.CanvasObject) bool {
		if o == nil || !o.Visible() {
			return false
		}
		switch v := o.(type) {
		case *widget.TextGrid:
			b.WriteString(v.Text() + "\n")
			return false
		case *widget.Label:
			b.WriteString(v.Text + "\n")
			return false
		}
		return true
	})
	return b.String()
}

// scrollsIn are the scroll containers in o, outermost first (one inside
// another is not looked for).
func scrollsIn(o fyne.CanvasObject) []*container.Scroll {
	var found []*container.Scroll
	eachObject(o, func(o fyne.CanvasObject) bool {
		s, ok := o.(*container.Scroll)
		if ok {
			found = append(found, s)
		}
		return !ok
	})
	return found
}

// firstOf is the first object of type T in o, depth first (see eachObject);
// nil when there is none.
func firstOf[T fyne.CanvasObject](o fyne.CanvasObject) T {
	var found T
	var ok bool
	eachObject(o, func(o fyne.CanvasObject) bool {
		if !ok {
			found, ok = o.(T)
		}
		return !ok
	})
	return found
}

// deleteFromDetail stores two captures, shows the newer in the detail and
// deletes it with the detail's Delete button; it returns its ID.
func (h *harness) deleteFromDetail(t *testing.T) store.ID {
	t.Helper()
	h.post("/keep", "text/plain", "k")
	gone := h.post("/gone", "text/plain", "g")
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == gone })
	test.Tap(buttonNamed(t, h.w.detail.actions, "Delete"))
	h.q.until(t, "the row to go", func() bool { return h.rows() == 1 })
	return gone
}

// saveEditor saves the project editor e, which must be ready to save, and
// returns the project stored under slug once it closed.
func (h *harness) saveEditor(t *testing.T, e *projectEditor, slug string) store.Project {
	t.Helper()
	if e.save.Disabled() {
		t.Fatalf("Save disabled: %v", e.errs)
	}
	test.Tap(e.save)
	h.q.until(t, "the editor to close", func() bool { return h.w.editor == nil })
	p, err := h.st.Project(slug)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// postApart posts a capture to each path, a few milliseconds apart, and
// returns a time between them once both are listed.
func (h *harness) postApart(t *testing.T, first, second string) time.Time {
	t.Helper()
	h.post(first, "text/plain", "1")
	h.q.until(t, "the first capture", func() bool { return h.rows() == 1 })
	between := time.Now()
	time.Sleep(5 * time.Millisecond)
	h.post(second, "text/plain", "2")
	h.q.until(t, "both captures", func() bool { return h.rows() == 2 })
	return between
}

// withRules is p with the response rules rs, as package projects writes
// them.
func withRules(p store.Project, rs ...rules.Rule) store.Project {
	projects.SetRules(&p, rs)
	return p
}

// shopWithACapture stores the project shop, waits for the sidebar to list
// it and posts a capture to it, whose ID it returns.
func (h *harness) shopWithACapture(t *testing.T) store.ID {
	t.Helper()
	if err := h.st.PutProject(store.Project{Slug: "shop", Name: "Shop"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	return h.post("/shop/orders", "application/json", `{}`)
}
