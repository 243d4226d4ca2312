package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hookscope/store"
)

// storedProject stores p and opens the editor on it, on its Webhooks tab.
func (h *harness) storedProject(p store.Project) *projectEditor {
	h.t.Helper()
	if err := h.st.PutProject(p); err != nil {
		h.t.Fatal(err)
	}
	p, err := h.st.Project(p.Slug)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.openEditor(p, false)
}

// threeHooks is a project whose Webhooks page is taller than the editor.
func threeHooks() store.Project {
	return store.Project{Slug: "docs", Webhooks: []store.Webhook{
		{Action: "ingested", URL: "http://127.0.0.1:9/a", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer a"}}},
		{Action: "modified", URL: "http://127.0.0.1:9/b", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer b"}}},
		{Action: "excluded", URL: "http://127.0.0.1:9/c", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer c"}}},
	}}
}

// onCanvas is where o is on the window's canvas, a few points in.
func (h *harness) onCanvas(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(8, 8))
}

// The wheel over a field scrolls the editor's page by the wheel's step, as
// it does between fields: every Entry holds a scroll of its own, which took
// the wheel and left the page where it was.
func TestProjectEditorWheelScrollsThePageOverFields(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(threeHooks())
	page := e.hooksScroll.scroll
	page.Refresh()
	if page.Content.Size().Height <= page.Size().Height {
		t.Fatalf("the page (%v) fits the editor (%v): nothing to scroll", page.Content.Size(), page.Size())
	}
	c := h.w.win.Canvas()
	for _, over := range []struct {
		what string
		o    fyne.CanvasObject
	}{
		{"a webhook's URL", e.row(t, "ingested").url},
		{"a header's value", e.row(t, "ingested").headers.rows[0].value},
		{"a header's name", e.row(t, "ingested").headers.rows[0].name},
	} {
		before := page.Offset.Y
		test.Scroll(c, h.onCanvas(over.o), 0, -25)
		if got := page.Offset.Y - before; got != 25 {
			t.Fatalf("the wheel over %s moved the page by %v, want 25 (content %v, view %v)", over.what, got, page.Content.Size(), page.Size())
		}
	}
	test.Scroll(c, h.onCanvas(e.row(t, "ingested").url), 0, 50)
	if page.Offset.Y != 25 {
		t.Fatalf("scrolling back up left the page at %v, want 25", page.Offset.Y)
	}
}

// A webhook added at the bottom of a long page comes into view with the
// cursor in its URL, so the user sees what they added and types on.
func TestAddedWebhookScrollsIntoViewAndTakesFocus(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(threeHooks())
	page := e.hooksScroll.scroll

	test.Type(e.addAction, "review")
	test.Tap(e.addButton)
	r := e.row(t, "review")
	top, ok := offsetIn(page.Content, r.card)
	if !ok {
		t.Fatal("the new row is not on the page")
	}
	bottom := top + r.card.Size().Height
	if top < page.Offset.Y || bottom > page.Offset.Y+page.Size().Height {
		t.Fatalf("the new row spans %v–%v, the page shows %v–%v", top, bottom, page.Offset.Y, page.Offset.Y+page.Size().Height)
	}
	if got := h.w.win.Canvas().Focused(); got != r.url {
		t.Fatalf("focus on %T, want the new row's URL", got)
	}
	test.Type(r.url, "http://127.0.0.1:9/review")
	if r.url.Text != "http://127.0.0.1:9/review" {
		t.Fatalf("typing went elsewhere: URL %q", r.url.Text)
	}
}

// A new project starts with no webhooks: the page says so and offers each
// default action as a button, which adds its webhook and then goes away.
func TestNewProjectStartsWithoutWebhooksAndOffersTheDefaultActions(t *testing.T) {
	h := newHarness(t)
	e := h.newProjectEditor()
	if len(e.rows) != 0 || !e.noRows.Visible() {
		t.Fatalf("a new project shows %d webhooks (empty note shown: %v)", len(e.rows), e.noRows.Visible())
	}
	for _, a := range store.DefaultActions {
		if b := e.addChoices[a]; b == nil || !b.Visible() || b.Text != a {
			t.Fatalf("no Add webhook button for %q", a)
		}
	}
	findButton(t, e.hooksScroll.scroll.Content, "Add webhook") // for any other action

	r := e.addChoice(t, "modified")
	if len(e.rows) != 1 || r.stored || e.noRows.Visible() || e.addChoices["modified"].Visible() || !e.addChoices["ingested"].Visible() {
		t.Fatalf("after adding modified: %d rows, modified offered %v", len(e.rows), e.addChoices["modified"].Visible())
	}
	if got := h.w.win.Canvas().Focused(); got != r.url {
		t.Fatalf("focus on %T, want the new row's URL", got)
	}
	test.Tap(r.remove)
	if len(e.rows) != 0 || !e.addChoices["modified"].Visible() || !e.noRows.Visible() {
		t.Fatal("removing the webhook did not offer its action again")
	}
}

// A multi-line field shows all its lines, so the wheel, which scrolls the
// page, never leaves some of them out of reach.
func TestMultiLineFieldsGrowWithTheirText(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(store.Project{Slug: "shop", Response: store.ProjectResponse{Body: "{\n}"}})
	e.tabs.Select(e.response)
	eight := e.respBody.MinSize().Height
	e.respBody.SetText(strings.Repeat("line\n", 29) + "line")
	if got := e.respBody.MinSize().Height; got < eight*3 {
		t.Fatalf("a 30-line body is %v high, 8 lines were %v", got, eight)
	}
	page := e.response.Content.(*pageScroll).scroll
	page.Refresh()
	test.Scroll(h.w.win.Canvas(), h.onCanvas(e.respBody), 0, -25)
	if page.Offset.Y != 25 {
		t.Fatalf("the wheel over the body moved the page to %v, want 25", page.Offset.Y)
	}
}

// A save the editor's own checks passed but the store refused (another
// project took the slug since the editor opened) says why, one field a
// line, as projects.FieldErrors names them.
func TestProjectEditorListsWhyTheStoreRefusedASave(t *testing.T) {
	h := newHarness(t)
	e := h.newProjectEditor()
	test.Type(e.name, "Shop")
	if err := h.st.PutProject(store.Project{Slug: "shop", Name: "Other shop"}); err != nil {
		t.Fatal(err)
	}
	if e.save.Disabled() {
		t.Fatalf("Save disabled: %v", e.errs)
	}
	test.Tap(e.save)
	want := "The project was not saved:\n• slug: slug \"shop\" is already used by another project"
	h.q.until(t, "the refusal", func() bool { return strings.Contains(h.overlayText(), want) })
	if h.w.editor == nil {
		t.Fatal("the editor closed on a refused save")
	}
}
