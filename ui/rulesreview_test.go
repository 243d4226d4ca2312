package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hookscope/projects/rules"
	"hookscope/store"
)

// rulesProject is a stored project with rules, opened on its Rules tab.
func (h *harness) rulesProject(rs []rules.Rule) *projectEditor {
	h.t.Helper()
	e := h.storedProject(withRules(store.Project{Slug: "rp"}, rs...))
	e.tabs.Select(e.rulesTab)
	return e
}

func answers(status int) []rules.Step {
	return []rules.Step{{Action: rules.ActionRespond, Status: status}}
}

// A preset added behind a rule that answers every request would never
// answer: it goes before that rule, comes into view and says where it is.
func TestPresetLandsBeforeACatchAllRuleInView(t *testing.T) {
	h := newHarness(t)
	e := h.rulesProject([]rules.Rule{
		{Name: "reviews", Enabled: true, Match: rules.Match{Path: "/rp/review"}, Steps: answers(202)},
		{Name: "orders", Enabled: true, Match: rules.Match{Path: "/rp/orders"}, Steps: answers(201)},
		{Name: "everything", Enabled: true, Steps: answers(200)},
	})
	ed := e.rules
	ed.presets.SetSelected("always 500")
	var names []string
	for _, c := range ed.cards {
		names = append(names, c.name.Text)
	}
	if got := strings.Join(names, ", "); got != "reviews, orders, always 500, everything" {
		t.Fatalf("rules after the preset: %s", got)
	}
	c := ed.cards[2]
	if !c.placed.Visible() || !strings.Contains(c.placed.Text, `before "everything"`) {
		t.Fatalf("the card says %q (shown %v)", c.placed.Text, c.placed.Visible())
	}
	page := ed.page.scroll
	top, ok := offsetIn(page.Content, c.object)
	if !ok {
		t.Fatal("the new card is not on the page")
	}
	if top < page.Offset.Y || top >= page.Offset.Y+page.Size().Height {
		t.Fatalf("the new card starts at %v, the page shows %v–%v", top, page.Offset.Y, page.Offset.Y+page.Size().Height)
	}

	// Without a catch-all it goes last, and says the rules above answer
	// first.
	e = h.rulesProject([]rules.Rule{{Name: "reviews", Enabled: true, Match: rules.Match{Path: "/rp/review"}, Steps: answers(202)}})
	e.rules.presets.SetSelected("drop connection")
	last := e.rules.cards[len(e.rules.cards)-1]
	if last.name.Text != "drop connection" || !strings.Contains(last.placed.Text, "the rule above answers first") {
		t.Fatalf("last card %q says %q", last.name.Text, last.placed.Text)
	}
}

// The rule forms' placeholders read as examples, so an empty field does
// not look filled in.
func TestRuleFormPlaceholdersReadAsExamples(t *testing.T) {
	h := newHarness(t)
	e := h.rulesProject(nil)
	test.Tap(e.rules.addRule)
	c := e.rules.cards[0]
	c.addStepRow(rules.Step{Action: rules.ActionHang})
	eachObject(e.rules.object, func(o fyne.CanvasObject) bool {
		if en, ok := o.(*escEntry); ok && en.Text == "" && !strings.HasPrefix(en.PlaceHolder, "e.g. ") {
			t.Errorf("an empty field shows %q, which reads like a value", en.PlaceHolder)
		}
		return true
	})
}

// The new-project form keeps its height while the slug is typed — a
// first letter, a wrong one and its error, the fix — so the fields below
// do not move under the user's eyes.
func TestNewProjectFormStaysStillAsTheSlugIsTyped(t *testing.T) {
	h := newHarness(t)
	e := h.newProjectEditor()
	form := e.general.Content.(*pageScroll).scroll.Content
	h.w.win.Canvas().Focus(e.slug)
	want := form.MinSize().Height
	for _, key := range []string{"m", "y", " ", "BackSpace", "-", "s"} {
		if key == "BackSpace" {
			e.slug.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		} else {
			test.Type(e.slug, key)
		}
		if got := form.MinSize().Height; got != want {
			t.Fatalf("after %q (slug %q, error %q) the form is %v high, was %v", key, e.slug.Text, shownError(e.fieldErrs["slug"]), got, want)
		}
	}
	if e.slug.Text != "my-s" {
		t.Fatalf("slug %q", e.slug.Text)
	}
}

// The pencil with All chosen offers the projects instead of saying there
// is none; picking one opens its editor.
func TestPencilWithAllChosenOffersTheProjects(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutProject(store.Project{Slug: "shop", Name: "Shop"}); err != nil {
		t.Fatal(err)
	}
	h.w.side.reload()
	h.q.until(t, "the project in the sidebar", func() bool { return len(h.w.side.projects) == 1 })
	h.w.side.list.Select(0) // All
	test.Tap(h.w.side.edit)
	if h.topOverlay() == nil || h.w.side.choices == nil || strings.Contains(shownText(h.topOverlay()), "No project selected") {
		t.Fatal("the pencil offered no projects")
	}
	var labels []string
	for _, it := range h.w.side.choices.Items {
		labels = append(labels, it.Label)
	}
	if got := strings.Join(labels, "|"); got != "Shop||New project…" {
		t.Fatalf("the pencil offers %q", got)
	}
	h.w.side.choices.Items[0].Action()
	h.q.until(t, "the editor", func() bool { return h.w.editor != nil })
	if h.w.editor.orig.Slug != "shop" {
		t.Fatalf("the editor opened on %q", h.w.editor.orig.Slug)
	}
}

// A Test rule result goes once the rules or the request it answered for
// are edited.
func TestRuleTestResultGoesWhenEdited(t *testing.T) {
	h := newHarness(t)
	e := h.rulesProject([]rules.Rule{{Name: "flaky", Enabled: true, Steps: answers(503)}})
	ed := e.rules
	for _, edit := range []struct {
		what string
		do   func()
	}{
		{"the rule's path", func() { test.Type(ed.cards[0].path, "/rp/*") }},
		{"the step's status", func() { ed.cards[0].steps[0].status.SetText("500") }},
		{"the request's target", func() { test.Type(ed.testTarget, "/rp/x") }},
		{"the request's body", func() { ed.testBody.SetText(`{"a":1}`) }},
	} {
		test.Tap(ed.testButton)
		if ed.testResult.Text == "" {
			t.Fatal("Test rule showed nothing")
		}
		edit.do()
		if ed.testResult.Text != "" {
			t.Fatalf("after editing %s the result still says %q", edit.what, ed.testResult.Text)
		}
	}
}

// A rule stored without "after" (the API's default) opens unedited: Cancel
// closes at once, with no question about changes nobody made.
func TestRuleWithoutAfterOpensUnedited(t *testing.T) {
	h := newHarness(t)
	e := h.rulesProject([]rules.Rule{{Name: "flaky", Enabled: true, Steps: answers(503)}})
	test.Tap(e.cancel)
	if h.w.editor != nil {
		t.Fatalf("Cancel over an unedited rule asked: %q", shownText(h.topOverlay()))
	}
}
