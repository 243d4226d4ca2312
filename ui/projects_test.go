package ui

import (
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// openEditor opens the project editor and waits until it knows the stored
// projects (for the duplicate-slug check).
func (h *harness) openEditor(p store.Project, isNew bool) *projectEditor {
	h.t.Helper()
	h.w.showProjectEditor(p, isNew)
	e := h.w.editor
	if e == nil {
		h.t.Fatal("no editor open")
	}
	h.q.until(h.t, "the stored projects", func() bool { return e.all != nil })
	return e
}

func (h *harness) newProjectEditor() *projectEditor {
	h.t.Helper()
	h.w.newProject()
	e := h.w.editor
	if e == nil {
		h.t.Fatal("no editor open")
	}
	h.q.until(h.t, "the stored projects", func() bool { return e.all != nil })
	return e
}

func (e *projectEditor) row(t *testing.T, action string) *webhookRow {
	t.Helper()
	for _, r := range e.rows {
		if r.action == action {
			return r
		}
	}
	t.Fatalf("no row for action %q", action)
	return nil
}

// addChoice taps the Add webhook button of a default action.
func (e *projectEditor) addChoice(t *testing.T, action string) *webhookRow {
	t.Helper()
	b := e.addChoices[action]
	if b == nil || !b.Visible() {
		t.Fatalf("no Add webhook button for %q", action)
	}
	e.tabs.Select(e.hooks) // where the button is
	test.Tap(b)
	return e.row(t, action)
}

// addHeader taps "Add header" and types the header in.
func addHeader(h *headerRows, name, value string) *headerRow {
	test.Tap(h.addButton)
	r := h.rows[len(h.rows)-1]
	test.Type(r.name, name)
	test.Type(r.value, value)
	return r
}

func shownError(l *widget.Label) string {
	if !l.Visible() {
		return ""
	}
	return l.Text
}

func TestProjectEditorShowsURLErrorAndSaves(t *testing.T) {
	h := newHarness(t)
	e := h.newProjectEditor()
	if !e.save.Disabled() {
		t.Fatal("Save enabled on an empty new project")
	}
	// An untouched new form shows no errors yet.
	if got := shownError(e.fieldErrs["slug"]); got != "" {
		t.Fatalf("slug error %q on an untouched form", got)
	}
	test.Type(e.description, "x")
	if got := shownError(e.fieldErrs["slug"]); got != "slug is required" {
		t.Fatalf("slug error %q once the form is touched", got)
	}

	test.Type(e.name, "Shop Hooks")
	if e.slug.Text != "shop-hooks" {
		t.Fatalf("slug proposed from the name: %q", e.slug.Text)
	}
	if shownError(e.fieldErrs["slug"]) != "" || e.save.Disabled() {
		t.Fatalf("slug error %q, save disabled %v", shownError(e.fieldErrs["slug"]), e.save.Disabled())
	}
	r := e.addChoice(t, "ingested")
	test.Type(r.url, "localhost:3000/in")
	if got := shownError(r.urlErr); !strings.Contains(got, "must start with http") {
		t.Fatalf("URL error %q", got)
	}
	if !e.save.Disabled() {
		t.Fatal("Save enabled with an invalid URL")
	}
	if !strings.Contains(e.hooks.Text, "1 to fix") {
		t.Fatalf("Webhooks tab title %q does not say there is an error", e.hooks.Text)
	}
	if !r.enabled.Checked {
		t.Fatal("a new webhook was not switched on by its first URL")
	}

	hr := addHeader(r.headers, "Bad Name", "x")
	if got := shownError(hr.err); !strings.Contains(got, "not a valid header name") {
		t.Fatalf("header error %q", got)
	}
	hr.name.SetText("Authorization")
	hr.value.SetText("Bearer s3cret")
	if hr.value.Password != true {
		t.Fatal("header values are not masked")
	}
	if shownError(hr.err) != "" {
		t.Fatalf("header error after the fix: %q", shownError(hr.err))
	}

	r.url.SetText("http://localhost:3000/in")
	if shownError(r.urlErr) != "" {
		t.Fatalf("URL error after the fix: %q", shownError(r.urlErr))
	}
	p := h.saveEditor(t, e, "shop-hooks")
	wh, ok := p.Webhook("ingested")
	if p.Name != "Shop Hooks" || !ok || wh.URL != "http://localhost:3000/in" || !wh.Enabled || wh.Header("Authorization") != "Bearer s3cret" {
		t.Fatalf("stored %+v", p)
	}
	if len(p.Webhooks) != 1 {
		t.Fatalf("stored %d webhooks, want the one added", len(p.Webhooks))
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
}

func TestProjectEditorResponseAndCancel(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(store.Project{Slug: "shop", Name: "Shop"})
	test.Type(e.respStatus, "abc")
	if got := shownError(e.fieldErrs["response.status"]); !strings.Contains(got, "whole number") || !e.save.Disabled() {
		t.Fatalf("status error %q, save disabled %v", got, e.save.Disabled())
	}
	e.respStatus.SetText("700")
	if got := shownError(e.fieldErrs["response.status"]); !strings.Contains(got, "200 to 599") {
		t.Fatalf("status error %q", got)
	}
	if e.response.Text != "Response (1 to fix)" {
		t.Fatalf("Response tab title %q", e.response.Text)
	}
	e.respStatus.SetText("503")
	test.Type(e.respDelay, "31")
	if got := shownError(e.fieldErrs["response.delaySeconds"]); !strings.Contains(got, "from 0 to 30") {
		t.Fatalf("delay error %q", got)
	}
	e.respDelay.SetText("2.5")
	e.name.SetText("Renamed, then cancelled")
	if e.save.Disabled() {
		t.Fatalf("Save disabled: %v", e.errs)
	}
	test.Tap(e.cancel)
	top := h.w.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(gridText(top), "not saved") {
		t.Fatal("Cancel with edits did not ask before discarding them")
	}
	test.Tap(findButton(t, top, "Keep editing"))
	if h.w.editor == nil || e.name.Text != "Renamed, then cancelled" {
		t.Fatal("Keep editing closed the editor or lost the edits")
	}
	test.Tap(e.cancel)
	test.Tap(findButton(t, h.w.win.Canvas().Overlays().Top(), "Discard"))
	if h.w.editor != nil {
		t.Fatal("Cancel left the editor open")
	}
	got, _ := h.st.Project("shop")
	if got.Name != "Shop" || got.Response.Status != 0 {
		t.Fatalf("Cancel stored edits: %+v", got)
	}
	// Opening again shows what is stored.
	e = h.openEditor(got, false)
	if e.name.Text != "Shop" || e.respStatus.Text != "" {
		t.Fatalf("reopened with %q / %q", e.name.Text, e.respStatus.Text)
	}
}

func TestProjectEditorEditingURLKeepsLog(t *testing.T) {
	h := newHarness(t)
	p := store.Project{Slug: "lab", Webhooks: []store.Webhook{{Action: "review", URL: "http://127.0.0.1:9/old", Enabled: true}}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.Attempt{
		{Project: "lab", Action: "review", StatusCode: 200, Status: "200 OK"},
		{Project: "lab", Action: "review", StatusCode: 400, Status: "400 Bad Request", ResponseBody: []byte(`{"error":"missing taskId"}`)},
	} {
		if err := h.st.RecordDelivery(&a); err != nil {
			t.Fatal(err)
		}
	}
	p, _ = h.st.Project("lab")
	e := h.openEditor(p, false)
	r := e.row(t, "review")
	if !strings.HasPrefix(r.lastCall.Text, "400 Bad Request") || !strings.HasPrefix(r.lastError.Text, "400 Bad Request") {
		t.Fatalf("log shows %q / %q", r.lastCall.Text, r.lastError.Text)
	}
	h.q.until(t, "the error body", func() bool { return strings.Contains(gridText(r.errBody), `"missing taskId"`) })

	r.url.SetText("http://127.0.0.1:9/new")
	got := h.saveEditor(t, e, "lab")
	wh, _ := got.Webhook("review")
	if wh.URL != "http://127.0.0.1:9/new" {
		t.Fatalf("URL %q", wh.URL)
	}
	if wh.LastCall == nil || wh.LastCall.StatusCode != 400 || wh.LastError == nil || wh.LastError.Body != `{"error":"missing taskId"}` {
		t.Fatalf("log lost: %+v %+v", wh.LastCall, wh.LastError)
	}
}

// TestProjectEditorSendTestEvent is the "done when" from the window:
// create a project, give a webhook a local URL and an Authorization header,
// send a test event and see lastCall; stop the target, send again and see
// lastError with the reason.
func TestProjectEditorSendTestEvent(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var auth, body string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		auth, body = r.Header.Get("Authorization"), string(b)
		mu.Unlock()
		w.Header().Set("Connection", "close")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer target.Close()

	e := h.newProjectEditor()
	test.Type(e.name, "Acme")
	r := e.addChoice(t, "ingested")
	test.Type(r.url, target.URL+"/hooks/ingested")
	addHeader(r.headers, "Authorization", "Bearer t0k3n")
	if r.lastCall.Text != "none yet" {
		t.Fatalf("last call before any: %q", r.lastCall.Text)
	}
	if r.send.Text != "Save & send test event" || r.send.Disabled() {
		t.Fatalf("send button %q disabled=%v", r.send.Text, r.send.Disabled())
	}
	if r.template.Selected != "integration" {
		t.Fatalf("template %q", r.template.Selected)
	}
	test.Tap(r.send)
	h.q.until(t, "lastCall 200", func() bool { return strings.HasPrefix(r.lastCall.Text, "200 OK") })
	if h.w.editor != e {
		t.Fatal("sending closed the editor")
	}
	mu.Lock()
	gotAuth, gotBody := auth, body
	mu.Unlock()
	if gotAuth != "Bearer t0k3n" || !strings.Contains(gotBody, `"docs"`) {
		t.Fatalf("target got Authorization %q, body %q", gotAuth, gotBody)
	}
	if _, err := h.st.Project("acme"); err != nil {
		t.Fatalf("the project was not saved before sending: %v", err)
	}
	h.q.until(t, "the status", func() bool { return strings.HasPrefix(r.status.Text, "Sent: 200 OK") })
	if r.send.Text != "Send test event" || r.lastError.Text != "none" {
		t.Fatalf("after saving: button %q, last error %q", r.send.Text, r.lastError.Text)
	}

	target.Close()
	test.Tap(r.send)
	h.q.until(t, "lastError", func() bool { return strings.Contains(r.lastError.Text, "connection refused") })
	if !strings.HasPrefix(r.lastError.Text, "no answer: connection refused by 127.0.0.1:") {
		t.Fatalf("last error %q", r.lastError.Text)
	}
	if !strings.HasPrefix(r.lastCall.Text, "200 OK") {
		t.Fatalf("last call lost: %q", r.lastCall.Text)
	}
	h.q.until(t, "the status", func() bool { return strings.Contains(r.status.Text, "connection refused") })

	test.Tap(r.historyBtn)
	h.q.until(t, "the history", func() bool {
		top := h.w.win.Canvas().Overlays().Top()
		return top != nil && strings.Contains(gridText(top), "Deliveries to ingested")
	})
	if len(r.history) != 2 || !strings.Contains(r.history[0].Outcome(), "connection refused") || r.history[1].StatusCode != 200 {
		t.Fatalf("history %+v", r.history)
	}
	text := gridText(h.w.win.Canvas().Overlays().Top())
	if !strings.Contains(text, "connection refused") || !strings.Contains(text, "200 OK in") {
		t.Fatalf("history dialog:\n%s", text)
	}
}

func TestProjectEditorApplyToAllActions(t *testing.T) {
	h := newHarness(t)
	p := store.Project{Slug: "docs", Webhooks: []store.Webhook{
		{Action: "ingested", URL: "http://127.0.0.1:9/a", Enabled: true},
		{Action: "modified"},
		{Action: "excluded", URL: "http://127.0.0.1:9/c", Headers: []store.HeaderField{{Name: "X-Old", Value: "1"}}},
	}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	if err := h.st.RecordDelivery(&store.Attempt{Project: "docs", Action: "ingested", StatusCode: 204, Status: "204 No Content"}); err != nil {
		t.Fatal(err)
	}
	p, _ = h.st.Project("docs")
	e := h.openEditor(p, false)

	test.Type(e.addAction, "review")
	test.Tap(e.addButton)
	test.Type(e.addAction, "Review")
	test.Tap(e.addButton)
	if got := shownError(e.addActionErr); !strings.Contains(got, "already used") {
		t.Fatalf("duplicate action error %q", got)
	}
	if len(e.rows) != 4 {
		t.Fatalf("%d rows after adding review", len(e.rows))
	}

	if !e.applyAll.Disabled() {
		t.Fatal("Apply enabled with nothing to apply")
	}
	test.Type(e.applyURL, "hooks.example.com")
	if !strings.Contains(shownError(e.applyURLErr), "must start with http") || !e.applyAll.Disabled() {
		t.Fatalf("apply URL error %q", shownError(e.applyURLErr))
	}
	e.applyURL.SetText("https://hooks.example.com/all")
	addHeader(e.applyHeaders, "Authorization", "Token abc")
	if e.applyAll.Disabled() {
		t.Fatal("Apply disabled")
	}
	test.Tap(e.applyAll)
	for _, r := range e.rows {
		fields, _ := r.headers.fields()
		if r.url.Text != "https://hooks.example.com/all" || len(fields) != 1 || fields[0] != (store.HeaderField{Name: "Authorization", Value: "Token abc"}) {
			t.Fatalf("row %s: %q %+v", r.action, r.url.Text, fields)
		}
	}
	if !strings.HasPrefix(e.row(t, "ingested").lastCall.Text, "204 No Content") {
		t.Fatal("the log left the row")
	}
	got := h.saveEditor(t, e, "docs")
	if len(got.Webhooks) != 4 {
		t.Fatalf("%d webhooks stored", len(got.Webhooks))
	}
	for _, wh := range got.Webhooks {
		if wh.URL != "https://hooks.example.com/all" || len(wh.Headers) != 1 || wh.Header("Authorization") != "Token abc" {
			t.Fatalf("webhook %s: %+v", wh.Action, wh)
		}
		if !wh.Enabled && wh.Action != "excluded" {
			// excluded had a URL and was off: applying keeps the switch.
			t.Fatalf("webhook %s not enabled", wh.Action)
		}
	}
	if wh, _ := got.Webhook("excluded"); wh.Enabled {
		t.Fatal("Apply switched on a webhook the user had off")
	}
	if wh, _ := got.Webhook("ingested"); wh.LastCall == nil || wh.LastCall.StatusCode != 204 {
		t.Fatalf("ingested lost its log: %+v", wh.LastCall)
	}
}

func TestProjectEditorRenameMovesCaptures(t *testing.T) {
	h := newHarness(t)
	id := h.shopWithACapture(t)
	if err := h.st.PutProject(store.Project{Slug: "taken"}); err != nil {
		t.Fatal(err)
	}
	p, _ := h.st.Project("shop")
	e := h.openEditor(p, false)
	e.slug.SetText("taken")
	if got := shownError(e.fieldErrs["slug"]); !strings.Contains(got, "already used") || !e.save.Disabled() {
		t.Fatalf("duplicate slug error %q", got)
	}
	e.slug.SetText("Bad Slug")
	if got := shownError(e.fieldErrs["slug"]); !strings.Contains(got, "lowercase") {
		t.Fatalf("slug error %q", got)
	}
	e.slug.SetText("store")
	test.Tap(e.save)
	h.q.until(t, "the editor to close", func() bool { return h.w.editor == nil })
	if _, err := h.st.Project("shop"); err == nil {
		t.Fatal("the old slug is still stored")
	}
	c, err := h.st.Get(id)
	if err != nil || c.Project != "store" {
		t.Fatalf("capture in project %q (%v)", c.Project, err)
	}
}

func TestDeleteProjectAsksAndMovesCapturesToUnsorted(t *testing.T) {
	h := newHarness(t)
	id := h.shopWithACapture(t)
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	h.w.side.list.Select(2)

	h.w.deleteSelectedProject()
	top := h.w.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(gridText(top), "Its captures stay, moved to Unsorted.") {
		t.Fatal("no confirmation that says the captures stay")
	}
	if _, err := h.st.Project("shop"); err != nil {
		t.Fatal("deleted before the user confirmed")
	}
	test.Tap(findButton(t, top, "Delete"))
	h.q.until(t, "the project to go", func() bool {
		_, err := h.st.Project("shop")
		return err != nil && h.w.side.list.Length() == 2
	})
	c, err := h.st.Get(id)
	if err != nil || c.Project != "" {
		t.Fatalf("capture in project %q (%v), want Unsorted", c.Project, err)
	}
	h.q.until(t, "the Unsorted count", func() bool {
		label, _, n := h.w.side.entry(1)
		return label == "Unsorted" && n == 1
	})
}

func TestDeleteProjectKeepsItWhenTheUserSaysNo(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutProject(store.Project{Slug: "shop"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	h.w.side.list.Select(2)
	h.w.deleteSelectedProject()
	test.Tap(findButton(t, h.w.win.Canvas().Overlays().Top(), "Keep"))
	time.Sleep(200 * time.Millisecond) // a delete would run in the background
	h.q.until(t, "settling", func() bool { return len(h.q) == 0 })
	if _, err := h.st.Project("shop"); err != nil {
		t.Fatal("deleted although the user said no")
	}
}

// findButton finds a button by its text anywhere under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	eachObject(o, func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text && found == nil {
			found = b
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func TestSlugify(t *testing.T) {
	for give, want := range map[string]string{
		"Shop Hooks":       "shop-hooks",
		"  Acme, Inc.  ":   "acme-inc",
		"Ünïcode 42":       "n-code-42",
		"---":              "",
		"isahit lab (dev)": "isahit-lab-dev",
	} {
		if got := slugify(give); got != want {
			t.Errorf("slugify(%q) = %q, want %q", give, got, want)
		}
	}
}

// TestProjectEditorSnapshot writes pictures of the editor with the real
// theme to /tmp, to look at: HOOKSCOPE_SNAPSHOT=1 go test -run Snapshot ./ui/
func TestProjectEditorSnapshot(t *testing.T) {
	if os.Getenv("HOOKSCOPE_SNAPSHOT") == "" {
		t.Skip("set HOOKSCOPE_SNAPSHOT=1 to write /tmp/project-editor*.png")
	}
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1040, 760))
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid payload","details":{"field":"docs[0].key","reason":"required"}}`))
	}))
	defer bad.Close()
	p := store.Project{Slug: "acme", Name: "Acme integration", Secret: "s3cret", Scheme: "hmac", Webhooks: []store.Webhook{
		{Action: "ingested", URL: ok.URL + "/hooks/ingested", Enabled: true, Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t0k3n"}}},
		{Action: "modified", URL: bad.URL + "/hooks/modified", Enabled: true, Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t0k3n"}}},
		{Action: "excluded"},
	}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	p, _ = h.st.Project("acme")
	e := h.openEditor(p, false)
	test.Tap(e.row(t, "ingested").send)
	h.q.until(t, "lastCall", func() bool { return strings.HasPrefix(e.row(t, "ingested").lastCall.Text, "200") })
	test.Tap(e.row(t, "modified").send)
	h.q.until(t, "the error body", func() bool { return strings.Contains(gridText(e.row(t, "modified").errBody), "invalid payload") })
	e.row(t, "excluded").url.SetText("localhost:3000")
	capture := func(name string) {
		img := h.w.win.Canvas().Capture()
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", name)
	}
	capture("/tmp/project-editor-invalid.png")
	e.row(t, "excluded").url.SetText("")
	e.row(t, "excluded").enabled.SetChecked(false)
	e.applyItem.Open(0)
	e.hooksScroll.scroll.Content.Refresh() // the test canvas does not lay out again by itself
	capture("/tmp/project-editor.png")
	e.applyItem.Close(0)
	e.hooksScroll.scroll.Content.Refresh()
	e.hooksScroll.scroll.ScrollToOffset(fyne.NewPos(0, 260))
	capture("/tmp/project-editor-log.png")
	e.tabs.Select(e.general)
	capture("/tmp/project-editor-general.png")
	e.tabs.Select(e.response)
	capture("/tmp/project-editor-response.png")
}

// The Templates tab adds a template starting from the built-in it replaces,
// refuses JSON that is not an object beside it, offers the project's own
// template to the webhooks, and saves and removes templates.
func TestProjectEditorTemplates(t *testing.T) {
	h := newHarness(t)
	p := store.Project{Slug: "acme", Webhooks: []store.Webhook{{Action: "modified", URL: "http://127.0.0.1:9/m"}, {Action: "ingested", URL: "http://127.0.0.1:9/i"}}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	e := h.openEditor(p, false)
	tm := e.templates
	if !tm.none.Visible() {
		t.Fatal("no note that the built-in templates are used")
	}

	test.Tap(findButton(t, tm.content, "Add template"))
	if got := shownError(tm.addErr); !strings.Contains(got, "name the template") {
		t.Fatalf("adding without a name: %q", got)
	}
	tm.add.SetText("integration/modified")
	test.Tap(findButton(t, tm.content, "Add template"))
	if len(tm.rows) != 1 || tm.rows[0].name.Text != "integration/modified" {
		t.Fatalf("rows after adding: %d", len(tm.rows))
	}
	builtin, err := delivery.TemplateJSON(store.Project{}, "integration", "modified")
	if err != nil || tm.rows[0].text.Text != builtin {
		t.Fatalf("the new template does not start from the built-in one (%v):\n%s", err, tm.rows[0].text.Text)
	}
	tm.add.SetText("integration/modified")
	test.Tap(findButton(t, tm.content, "Add template"))
	if got := shownError(tm.addErr); !strings.Contains(got, "already has") || len(tm.rows) != 1 {
		t.Fatalf("adding a name twice: %q, %d rows", got, len(tm.rows))
	}

	tm.rows[0].text.SetText(`[1, 2]`)
	if got := shownError(tm.rows[0].err); !strings.Contains(got, "JSON object") || !e.save.Disabled() {
		t.Fatalf("an array template: error %q, save disabled %v", got, e.save.Disabled())
	}
	if !strings.Contains(e.templTab.Text, "1 to fix") {
		t.Fatalf("Templates tab title %q", e.templTab.Text)
	}
	tm.rows[0].text.SetText(`{"docs": [{"id": "{{id}}", "state": "modified"}]}`)

	tm.add.SetText("my-event")
	test.Tap(findButton(t, tm.content, "Add template"))
	if tm.rows[1].text.Text != customTemplateJSON {
		t.Fatalf("a template of its own starts from:\n%s", tm.rows[1].text.Text)
	}
	if !slices.Contains(e.row(t, "modified").template.Options, "my-event") {
		t.Fatalf("the webhook's templates %v lack the project's own", e.row(t, "modified").template.Options)
	}
	// A template for one action is offered on that action's row only.
	tm.add.SetText("fresh/modified")
	test.Tap(findButton(t, tm.content, "Add template"))
	tm.rows[2].text.SetText(`{"fresh": true}`)
	if !slices.Contains(e.row(t, "modified").template.Options, "fresh") || slices.Contains(e.row(t, "ingested").template.Options, "fresh") {
		t.Fatalf("fresh/modified offered as: modified %v, ingested %v", e.row(t, "modified").template.Options, e.row(t, "ingested").template.Options)
	}
	// Removing the template a row has chosen puts the row back on its default.
	e.row(t, "ingested").template.SetSelected("my-event")
	test.Tap(tm.rows[1].remove) // my-event
	if got := e.row(t, "ingested").template.Selected; got != delivery.DefaultTemplate("ingested") {
		t.Fatalf("the row still offers the removed template: %q", got)
	}
	tm.add.SetText("my-event")
	test.Tap(findButton(t, tm.content, "Add template"))
	for _, r := range tm.rows {
		if r.name.Text == "fresh/modified" {
			test.Tap(r.remove)
			break
		}
	}

	got := h.saveEditor(t, e, "acme")
	if len(got.Templates) != 2 || got.Templates["integration/modified"] != `{"docs": [{"id": "{{id}}", "state": "modified"}]}` || got.Templates["my-event"] != customTemplateJSON {
		t.Fatalf("stored templates %v", got.Templates)
	}

	e = h.openEditor(got, false)
	if len(e.templates.rows) != 2 {
		t.Fatalf("the reopened editor shows %d templates", len(e.templates.rows))
	}
	test.Tap(e.templates.rows[0].remove)
	test.Tap(e.templates.rows[0].remove)
	test.Tap(e.save)
	h.q.until(t, "the editor to close", func() bool { return h.w.editor == nil })
	if got, _ := h.st.Project("acme"); len(got.Templates) != 0 {
		t.Fatalf("templates left after removing both: %v", got.Templates)
	}
}
