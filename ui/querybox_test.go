package ui

import (
	"bytes"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/export"
	"hookscope/store"
)

// isahitEvents posts two review events and an annotation to the isahit
// project, and a review elsewhere.
func isahitEvents(t *testing.T, h *harness) {
	t.Helper()
	if err := h.st.PutProject(store.Project{Slug: "isahit", Name: "Isahit"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	h.post("/isahit/events/1", "application/json", `{"type":"review","taskId":"t-1"}`)
	h.post("/isahit/events/2", "application/json", `{"type":"annotation","taskId":"t-2"}`)
	h.post("/isahit/events/3", "application/json", `{"type":"review","taskId":"t-3"}`)
	h.post("/other/events/4", "application/json", `{"type":"review","taskId":"t-4"}`)
	h.q.until(t, "four rows", func() bool { return h.rows() == 4 })
}

func (h *harness) listed() []string {
	var out []string
	for i := range h.rows() {
		out = append(out, h.rowText(i))
	}
	return out
}

func TestFieldQueryNarrowsTheListToTheReviewEvents(t *testing.T) {
	h := newHarness(t)
	isahitEvents(t, h)
	test.Type(h.w.top.search, "body.type:review project:isahit")
	h.q.until(t, "the two reviews", func() bool { return h.rows() == 2 && h.w.list.ids.Loaded() })
	if got := h.listed(); !slices.Equal(got, []string{"POST /isahit/events/3", "POST /isahit/events/1"}) {
		t.Fatalf("listed %q", got)
	}
	h.q.until(t, "the count", func() bool { return h.w.top.count.Text == "2 of 4 captures" })

	// A new review joins live; an annotation stays out.
	h.post("/isahit/events/5", "application/json", `{"type":"annotation"}`)
	h.post("/isahit/events/6", "application/json", `{"type":"review"}`)
	h.q.until(t, "the live review", func() bool { return h.rows() == 3 && h.rowText(0) == "POST /isahit/events/6" })

	// The window's export of the current filter exports the query's captures.
	var buf bytes.Buffer
	if n, err := export.ExportJSONL(&buf, h.st, h.w.list.filter); err != nil || n != 3 {
		t.Errorf("export of the filter: %d, %v; want the 3 reviews", n, err)
	}
}

func TestQueryTypoIsSaidUnderTheFieldAndTheListStays(t *testing.T) {
	h := newHarness(t)
	isahitEvents(t, h)
	test.Type(h.w.top.search, "bdy.type:review")
	msg := h.w.top.query.message
	h.q.until(t, "the message", func() bool { return msg.Visible() })
	if msg.Text != `Unknown field "bdy.type" (did you mean body?) (column 1)` {
		t.Errorf("message %q", msg.Text)
	}
	if h.rows() != 4 {
		t.Errorf("a typo left %d rows, want the 4 shown before", h.rows())
	}
	// Fixed, the message goes and the query applies.
	h.w.top.search.SetText("body.type:annotation")
	h.q.until(t, "the annotation", func() bool { return h.rows() == 1 && !msg.Visible() })
}

func TestRecentQueriesAndSavedViews(t *testing.T) {
	h := newHarness(t)
	isahitEvents(t, h)
	box := h.w.top.query
	test.Type(h.w.top.search, "body.type:annotation")
	h.w.top.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(h.w.top.search, " -path:/x")
	h.w.top.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := box.recentQueries(); !slices.Equal(got, []string{"body.type:annotation -path:/x", "body.type:annotation"}) {
		t.Errorf("recent = %q", got)
	}

	// A view saved with Isahit chosen lists under Isahit only.
	h.w.side.list.Select(2)
	box.storeView(store.View{Name: "Reviews", Project: "isahit", Query: "body.type:review"})
	views := h.w.side.views
	h.q.until(t, "the view in the sidebar", func() bool { return len(views.views) == 1 })
	var open *widget.Button
	for _, o := range test.LaidOutObjects(views.object()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Reviews" {
			open = b
		}
	}
	if open == nil {
		t.Fatal("no Reviews button in the sidebar")
	}
	test.Tap(open)
	h.q.until(t, "the view's captures", func() bool { return h.rows() == 2 && h.w.top.search.Text == "body.type:review" })
	h.w.side.list.Select(0)
	h.q.until(t, "All's views", func() bool { return views.project == "" && len(views.views) == 0 })
}
