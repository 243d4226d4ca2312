package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects/rules"
	"hookscope/signature"
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
		{"re-sign check", func(d *replayDialog) fyne.Focusable { return d.resign }},
		{"append choice", func(d *replayDialog) fyne.Focusable { return d.append }},
		{"body view choice", func(d *replayDialog) fyne.Focusable { return d.bodyMode }},
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
	for _, field := range []string{"URL", "delay", "re-sign check", "append choice"} {
		b := h.w.newBulkReplay(ids)
		b.show()
		if b.status.Text != "1 capture, sent oldest first." {
			t.Errorf("status %q", b.status.Text)
		}
		var f fyne.Focusable = b.url
		switch field {
		case "delay":
			f = b.delay
		case "re-sign check":
			f = b.resign
		case "append choice":
			f = b.append
		}
		if !h.escapeIn(f) {
			t.Errorf("Escape in the %s left bulk replay open", field)
		}
	}
}

// escProject is a stored project with one field of every kind the editor
// has: a response header, a webhook with a masked header, a template and a
// rule with a step.
func escProject() store.Project {
	return withRules(store.Project{Slug: "esc", Name: "Esc", Secret: "s3cret", Scheme: signature.SchemeHMAC,
		Response:  store.ProjectResponse{Body: "{}", Headers: map[string]string{"Retry-After": "3"}},
		Webhooks:  []store.Webhook{{Action: "review", URL: "http://127.0.0.1:9/review", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t"}}}},
		Templates: map[string]string{"mine": `{"a":1}`},
	}, rules.Rule{Name: "flaky", Enabled: true, Match: rules.Match{Path: "/esc/*"}, Steps: []rules.Step{{Action: rules.ActionRespond, Status: 500}}})
}

// Escape typed in any field of the project editor (an entry, a password,
// a multi-line entry, a suggestion entry, a dropdown, a header row, a
// webhook's, a template's, a rule's) closes the editor as its Cancel does.
func TestEscapeInAProjectEditorFieldClosesTheEditor(t *testing.T) {
	h := newHarness(t)
	p := escProject()
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	type field = func(*projectEditor) fyne.Focusable
	fields := []struct {
		name  string
		field field
	}{
		{"name", func(e *projectEditor) fyne.Focusable { return e.name }},
		{"slug", func(e *projectEditor) fyne.Focusable { return e.slug }},
		{"description (multi-line)", func(e *projectEditor) fyne.Focusable { return e.description }},
		{"secret (password)", func(e *projectEditor) fyne.Focusable { return e.secret }},
		{"signature scheme (dropdown)", func(e *projectEditor) fyne.Focusable { return e.scheme }},
		{"signature header", func(e *projectEditor) fyne.Focusable { return e.sigHeader }},
		{"signature prefix", func(e *projectEditor) fyne.Focusable { return e.sigPrefix }},
		{"response status", func(e *projectEditor) fyne.Focusable { return e.respStatus }},
		{"response body (multi-line)", func(e *projectEditor) fyne.Focusable { return e.respBody }},
		{"response header name", func(e *projectEditor) fyne.Focusable { return e.respHeaders.rows[0].name }},
		{"response header value", func(e *projectEditor) fyne.Focusable { return e.respHeaders.rows[0].value }},
		{"webhook URL", func(e *projectEditor) fyne.Focusable { return e.rows[0].url }},
		{"webhook header name", func(e *projectEditor) fyne.Focusable { return e.rows[0].headers.rows[0].name }},
		{"webhook header value (masked)", func(e *projectEditor) fyne.Focusable { return e.rows[0].headers.rows[0].value }},
		{"webhook records", func(e *projectEditor) fyne.Focusable { return e.rows[0].records }},
		{"all actions' URL", func(e *projectEditor) fyne.Focusable { return e.applyURL }},
		{"add webhook action", func(e *projectEditor) fyne.Focusable { return e.addAction }},
		{"template name", func(e *projectEditor) fyne.Focusable { return e.templates.rows[0].name }},
		{"template text (multi-line)", func(e *projectEditor) fyne.Focusable { return e.templates.rows[0].text }},
		{"rule name", func(e *projectEditor) fyne.Focusable { return e.rules.cards[0].name }},
		{"rule path", func(e *projectEditor) fyne.Focusable { return e.rules.cards[0].path }},
		{"rule headers (multi-line)", func(e *projectEditor) fyne.Focusable { return e.rules.cards[0].headers }},
		{"step status", func(e *projectEditor) fyne.Focusable { return e.rules.cards[0].steps[0].status }},
		{"step body", func(e *projectEditor) fyne.Focusable { return e.rules.cards[0].steps[0].body }},
		{"test rule target", func(e *projectEditor) fyne.Focusable { return e.rules.testTarget }},
		{"test rule body", func(e *projectEditor) fyne.Focusable { return e.rules.testBody }},
	}
	var open []string
	for _, f := range fields {
		e := h.openEditor(p, false)
		if !h.escapeIn(f.field(e)) || h.w.editor != nil {
			open = append(open, f.name)
			e.close()
		}
	}
	if len(open) > 0 {
		t.Fatalf("Escape left the project editor open in %d fields: %s", len(open), strings.Join(open, ", "))
	}

	// With edits, Escape asks first, as Cancel does.
	e := h.openEditor(p, false)
	test.Type(e.name, "X")
	e.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.w.editor != e || !strings.Contains(shownText(h.topOverlay()), "Discard your changes?") {
		t.Fatalf("Escape over unsaved edits: editor open %v, on top %q", h.w.editor == e, shownText(h.topOverlay()))
	}
}

// No entry of the editor is a plain Fyne one, deaf to Escape: every text
// field on every tab is an escEntry or escSelectEntry.
func TestProjectEditorHasNoFieldDeafToEscape(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(escProject())
	e.applyItem.Open(0)
	for _, tab := range e.tabs.Items {
		eachObject(tab.Content, func(o fyne.CanvasObject) bool {
			switch o.(type) {
			case *widget.Entry, *widget.SelectEntry, *widget.Select, *widget.List, *widget.Table, *widget.Check:
				t.Errorf("a plain %T on the %s tab swallows Escape", o, tab.Text)
			}
			return true
		})
	}
}

// The deliveries history closes on Escape whether its list or a field of
// the attempt (the headers table) has the keyboard, leaving the project
// editor under it open.
func TestEscapeInTheDeliveryHistoryClosesIt(t *testing.T) {
	h := newHarness(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer target.Close()
	p := store.Project{Slug: "lab", Webhooks: []store.Webhook{{Action: "review", URL: target.URL, Enabled: true,
		Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t0k3n"}}}}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.Delivery().SendTestEvent(context.Background(), p, "review", "isahit", 1); err != nil {
		t.Fatal(err)
	}
	e := h.storedProject(p)
	r := e.row(t, "review")
	fields := []struct {
		name  string
		field func(*historyDialog) fyne.Focusable
	}{
		{"the list", func(hd *historyDialog) fyne.Focusable { return hd.list }},
		{"the request's headers", func(hd *historyDialog) fyne.Focusable {
			hd.list.Select(0)
			var f fyne.Focusable
			eachObject(hd.shown.request.Content, func(o fyne.CanvasObject) bool {
				if t, ok := o.(fyne.Focusable); ok && f == nil {
					f = t
				}
				return f == nil
			})
			return f
		}},
	}
	for _, f := range fields {
		r.historyDialog = nil
		test.Tap(r.historyBtn)
		h.q.until(t, "the history", func() bool { return r.historyDialog != nil })
		hd := r.historyDialog
		under := len(h.w.win.Canvas().Overlays().List())
		field := f.field(hd)
		if field == nil {
			t.Fatalf("nothing focusable in %s", f.name)
		}
		h.w.win.Canvas().Focus(field)
		field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if n := len(h.w.win.Canvas().Overlays().List()); n != under-1 || h.w.editor != e {
			t.Errorf("Escape in %s: %d overlays (were %d), editor open %v", f.name, n, under, h.w.editor == e)
			hd.dialog.Hide()
		}
	}
}
