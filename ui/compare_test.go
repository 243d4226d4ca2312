package ui

import (
	"image/color"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// Two Isahit task events as Isahit Lab posts them (workflowId, type,
// taskId, batchId, projectId): the second a review of another task.
const (
	isahitAnnotation = `{"workflowId":"wf-5f2a","type":"annotation","taskId":"task-001","batchId":"batch-7","projectId":"proj-42"}`
	isahitReview     = `{"workflowId":"wf-5f2a","type":"review","taskId":"task-002","batchId":"batch-7","projectId":"proj-42"}`
)

// clickRow clicks a row of the capture list as the desktop driver delivers
// a click: MouseDown with the modifiers held, MouseUp, then Tapped.
func (h *harness) clickRow(row int, mod fyne.KeyModifier) *captureRow {
	r := h.w.list.newRow().(*captureRow)
	h.w.list.updateRow(row, r)
	ev := &desktop.MouseEvent{Button: desktop.MouseButtonPrimary, Modifier: mod}
	r.MouseDown(ev)
	r.MouseUp(ev)
	r.Tapped(&ev.PointEvent)
	return r
}

// rowMarked reports whether row is drawn marked for Compare.
func (h *harness) rowMarked(row int) bool {
	r := h.w.list.newRow().(*captureRow)
	h.w.list.updateRow(row, r)
	return r.marked.FillColor != color.Transparent
}

// twoIsahitEvents posts the two events, the annotation first, and waits for
// both rows with the newest (the review) selected.
func (h *harness) twoIsahitEvents() (annotation, review store.ID) {
	h.t.Helper()
	if err := h.st.PutProject(store.Project{Slug: "isahit", Name: "Isahit"}); err != nil {
		h.t.Fatal(err)
	}
	annotation = h.post("/isahit/results", "application/json", isahitAnnotation)
	review = h.post("/isahit/results", "application/json", isahitReview)
	h.q.until(h.t, "two rows", func() bool { return h.rows() == 2 && !strings.HasPrefix(h.rowText(1), "…") })
	h.clickRow(0, 0)
	h.q.until(h.t, "the review in the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == review })
	return annotation, review
}

// compareIsahitEvents compares the two Isahit events as a user does:
// the review selected, the annotation Ctrl+clicked, then Ctrl+D.
func (h *harness) compareIsahitEvents() *comparePane {
	h.t.Helper()
	h.twoIsahitEvents()
	h.clickRow(1, fyne.KeyModifierControl)
	h.w.compareMarked()
	return h.openCompare()[0]
}

// openCompare waits for a compare view and returns its panes.
func (h *harness) openCompare() []*comparePane {
	h.t.Helper()
	var panes []*comparePane
	h.q.until(h.t, "the compare view", func() bool {
		o := h.w.dialogOf(dialogCompare)
		if o == nil {
			return false
		}
		panes = o.value.([]*comparePane)
		return true
	})
	return panes
}

// replay sends c to url once, as Replay does, and returns the attempt.
func (h *harness) replay(c *store.Capture, opt delivery.ReplayOptions) store.Attempt {
	h.t.Helper()
	a, err := h.srv.Delivery().Replay(h.t.Context(), c, nil, opt)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// compareAttempts ticks two of c's attempts in its Replays tab, taps
// Compare as a user does and returns the compare view's panes (answers,
// then requests sent).
func (h *harness) compareAttempts(c *store.Capture, a, b store.ID) (*replaysPane, []*comparePane) {
	h.t.Helper()
	h.w.replaysView(c)
	rp := h.w.replaysPane
	h.q.until(h.t, "the attempts", func() bool { return len(rp.attempts) >= 2 })
	rp.pick(a, true)
	rp.pick(b, true)
	test.Tap(rp.compare)
	return rp, h.openCompare()
}

// lineText is a table row of the compare view as read: its labels joined
// by " | " (change, name, left, right).
func lineText(o fyne.CanvasObject) string {
	var parts []string
	eachObject(o, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			parts = append(parts, l.Text)
			return false
		}
		return true
	})
	return strings.Join(parts, " | ")
}

// bodyRows are the rows the body's list of JSON changes shows.
func bodyRows(p *comparePane) []string {
	list := bodyList(p)
	if list == nil {
		return nil
	}
	var out []string
	for i := range list.Length() {
		o := list.CreateItem()
		list.UpdateItem(i, o)
		out = append(out, lineText(o))
	}
	return out
}

// bodyList is the body's list of JSON changes, nil when the body shows
// something else.
func bodyList(p *comparePane) *escList {
	var list *escList
	eachObject(p.body, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*escList); ok {
			list = l
			return false
		}
		return true
	})
	return list
}

// containerRows are the rows of one of the view's tables.
func containerRows(c *fyne.Container) []string {
	var out []string
	for _, o := range c.Objects {
		out = append(out, lineText(o))
	}
	return out
}

// Ctrl+click marks a second capture beside the selected one; Compare
// shows them, the older on the left, and lists exactly the two keys that
// differ. Escape closes the view, and then drops the mark.
func TestCtrlClickTwoCapturesComparesThem(t *testing.T) {
	h := newHarness(t)
	_, _ = h.twoIsahitEvents()
	if slices.Contains(h.w.detail.actions.Objects, fyne.CanvasObject(h.w.detail.compare)) {
		t.Fatal("Compare is offered before a second capture is marked")
	}
	h.clickRow(1, fyne.KeyModifierControl)
	if !h.rowMarked(1) || h.rowMarked(0) {
		t.Fatalf("marked rows: 0 %v, 1 %v; want row 1 only", h.rowMarked(0), h.rowMarked(1))
	}
	if h.w.list.selected != h.w.list.idAt(0) {
		t.Fatal("Ctrl+click moved the selection")
	}
	if !slices.Contains(h.w.detail.actions.Objects, fyne.CanvasObject(h.w.detail.compare)) {
		t.Fatal("no Compare action with a capture marked")
	}
	test.Tap(h.w.detail.compare)
	p := h.openCompare()[0]
	if !strings.Contains(p.titles[0].Text, "/isahit/results") || p.cmp.left.at.After(p.cmp.right.at) {
		t.Errorf("left %q is not the older capture", p.titles[0].Text)
	}
	want := []string{
		`changed | taskId | "task-001" | "task-002"`,
		`changed | type | "annotation" | "review"`,
	}
	if got := bodyRows(p); !slices.Equal(got, want) {
		t.Errorf("body changes\n%q\nwant\n%q", got, want)
	}
	if got := p.lineTitle.Text; got != "Request line — the same" {
		t.Errorf("the request line's heading reads %q", got)
	}
	test.Tap(findCheck(t, p.content, "Show equal fields and headers"))
	if got := containerRows(p.request); !slices.Contains(got, "same | path | /isahit/results | /isahit/results") {
		t.Errorf("request rows %q lack the path once equal fields are shown", got)
	}
	if top := h.topOverlay(); top.Size().Width < 0.9*h.w.win.Canvas().Size().Width {
		t.Errorf("the view is %.0f wide in a %.0f window", top.Size().Width, h.w.win.Canvas().Size().Width)
	}
	if !h.escapeIn(p.keys) {
		t.Fatal("Escape in the ignore keys field left the view open")
	}
}

// The mark has done its work once the two are compared: the status line
// stops offering Compare when the view opens, and closing the view unmarks
// the row (a reviewer saw both stay for minutes). Without a view, Escape
// drops a mark.
func TestCompareDropsTheMarkWhenDone(t *testing.T) {
	h := newHarness(t)
	h.twoIsahitEvents()
	h.clickRow(1, fyne.KeyModifierControl)
	if got := h.w.top.message.Text; got != markedMessage {
		t.Fatalf("the status line says %q with a capture marked", got)
	}
	h.w.compareMarked()
	h.openCompare()
	if got := h.w.top.message.Text; got == markedMessage {
		t.Error("the status line still offers Compare with the view open")
	}
	h.pressEscape()
	if h.w.dialogOf(dialogCompare) != nil {
		t.Fatal("Escape left the view open")
	}
	if h.w.list.marked != 0 || h.rowMarked(1) {
		t.Error("closing the view left the second capture marked")
	}
	if slices.Contains(h.w.detail.actions.Objects, fyne.CanvasObject(h.w.detail.compare)) {
		t.Error("Compare is still offered after the comparison")
	}
	h.clickRow(1, fyne.KeyModifierControl)
	h.pressEscape()
	if h.w.list.marked != 0 || h.rowMarked(1) || h.w.top.message.Text == markedMessage {
		t.Fatalf("Escape with no dialog kept the mark (status %q)", h.w.top.message.Text)
	}
}

// A plain click selects, as before; Ctrl+click on the marked row unmarks
// it, and on the selected row does nothing.
func TestCtrlClickAgainUnmarks(t *testing.T) {
	h := newHarness(t)
	annotation, review := h.twoIsahitEvents()
	h.clickRow(0, fyne.KeyModifierControl)
	if h.w.list.marked != 0 {
		t.Fatal("the selected capture was marked as its own partner")
	}
	h.clickRow(1, fyne.KeyModifierSuper) // Cmd on macOS
	if h.w.list.marked != annotation {
		t.Fatal("Cmd+click did not mark")
	}
	h.clickRow(1, fyne.KeyModifierControl)
	if h.w.list.marked != 0 || slices.Contains(h.w.detail.actions.Objects, fyne.CanvasObject(h.w.detail.compare)) {
		t.Fatal("Ctrl+click on the marked row left it marked")
	}
	h.clickRow(1, 0)
	h.q.until(t, "the annotation in the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == annotation })
	if h.w.list.marked != 0 || review == 0 {
		t.Fatal("a plain click marked")
	}
}

// Compare with… lists recent captures, the shown capture's project first,
// narrowed by a query; picking one compares.
func TestCompareWithPicksACapture(t *testing.T) {
	h := newHarness(t)
	annotation, _ := h.twoIsahitEvents()
	h.post("/elsewhere", "application/json", `{"type":"annotation"}`) // newer, another project
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	p := h.openPicker(2)
	if p.found[0].ID != annotation || p.found[1].Path != "/elsewhere" {
		t.Fatalf("picker lists %v, %v; want the Isahit annotation first", p.found[0].Path, p.found[1].Path)
	}
	p.entry.SetText("path:/elsewhere")
	h.q.until(t, "the narrowed list", func() bool { return len(p.found) == 1 && p.found[0].Path == "/elsewhere" })
	p.entry.SetText("bdy.type:x")
	h.q.until(t, "the query's error", func() bool { return strings.Contains(p.message.Text, "column") })
	p.entry.SetText("")
	h.q.until(t, "the whole list", func() bool { return len(p.found) == 2 })
	p.list.Select(0)
	pane := h.openCompare()[0]
	if h.w.dialogOf(dialogComparePick) != nil {
		t.Error("the picker stayed open")
	}
	if got := bodyRows(pane); len(got) != 2 {
		t.Errorf("body changes %q, want taskId and type", got)
	}
}

// pickerOf finds the open picker through its list's data.
func pickerOf(h *harness) *comparePicker {
	return h.w.dialogOf(dialogComparePick).value.(*comparePicker)
}

// openPicker opens Compare with… for the shown capture and waits for its
// n rows.
func (h *harness) openPicker(n int) *comparePicker {
	h.t.Helper()
	h.w.compareWithShown()
	var p *comparePicker
	h.q.until(h.t, "the picker", func() bool {
		if h.w.dialogOf(dialogComparePick) == nil {
			return false
		}
		p = pickerOf(h)
		return p != nil && len(p.found) == n
	})
	return p
}

// Ignoring taskId leaves type alone; Remember keeps the list for the
// project, and the next comparison starts with it.
func TestCompareIgnoresKeysAndRemembersThem(t *testing.T) {
	h := newHarness(t)
	p := h.compareIsahitEvents()
	p.keys.SetText("taskId")
	p.headers.SetText("Content-Length, User-Agent")
	h.q.until(t, "taskId left out", func() bool { return len(bodyRows(p)) == 1 })
	if got := bodyRows(p)[0]; got != `changed | type | "annotation" | "review"` {
		t.Errorf("with taskId ignored the body shows %q", got)
	}
	for _, row := range containerRows(p.headerRows) {
		if strings.Contains(row, "Content-Length") {
			t.Errorf("an ignored header is listed: %q", row)
		}
	}
	test.Tap(p.remember)
	h.q.until(t, "Remember's answer", func() bool { return p.saved.Visible() && p.remember.Disabled() == false })
	if p.saved.Importance == widget.DangerImportance {
		t.Fatalf("Remember failed: %s", p.saved.Text)
	}
	ig, err := h.srv.Projects().CompareIgnore("isahit")
	if err != nil || !slices.Equal(ig.Keys, []string{"taskId"}) || !slices.Equal(ig.Headers, []string{"Content-Length", "User-Agent"}) {
		t.Fatalf("the project keeps %+v, %v", ig, err)
	}
	h.pressEscape()
	h.clickRow(1, fyne.KeyModifierControl) // closing the view dropped the mark
	h.w.compareMarked()
	again := h.openCompare()[0]
	if again.keys.Text != "taskId" || !strings.Contains(again.headers.Text, "User-Agent") {
		t.Errorf("reopened with keys %q, headers %q", again.keys.Text, again.headers.Text)
	}
	if got := bodyRows(again); len(got) != 1 {
		t.Errorf("reopened, the body shows %q", got)
	}
}

// What is wrong with a list to remember is said in the view; nothing is
// saved.
func TestCompareRememberShowsAnError(t *testing.T) {
	h := newHarness(t)
	p := h.compareIsahitEvents()
	p.headers.SetText("Bad Header:")
	test.Tap(p.remember)
	h.q.until(t, "Remember's answer", func() bool { return p.saved.Visible() && !p.remember.Disabled() })
	if p.saved.Importance != widget.DangerImportance || p.saved.Text != `Not remembered: Ignore headers: "Bad Header:" not a valid header name` {
		t.Errorf("Remember says %q", p.saved.Text)
	}
	if ig, _ := h.srv.Projects().CompareIgnore("isahit"); len(ig.Headers) != 0 {
		t.Errorf("saved %+v", ig)
	}
}

// Copy diff puts the whole diff as text on the clipboard; Swap puts the
// newer capture on the left.
func TestCompareCopiesTheDiffAndSwaps(t *testing.T) {
	h := newHarness(t)
	p := h.compareIsahitEvents()
	test.Tap(p.copy)
	text := h.w.app.Clipboard().Content()
	head := "--- " + strings.TrimPrefix(p.titles[0].Text, "Left: ") + "\n+++ " + strings.TrimPrefix(p.titles[1].Text, "Right: ") + "\n"
	if text != head+p.cmp.report.Text() || !strings.Contains(text, "taskId") || !strings.Contains(text, "annotation") {
		t.Errorf("clipboard holds %q", text)
	}
	if !p.copy.copied() {
		t.Error("Copy diff does not say Copied")
	}
	left := p.titles[0].Text
	test.Tap(findButton(t, p.content, "Swap"))
	h.q.until(t, "the swap", func() bool {
		return strings.TrimPrefix(p.titles[1].Text, "Right: ") == strings.TrimPrefix(left, "Left: ")
	})
	if got := bodyRows(p); len(got) != 2 || got[1] != `changed | type | "review" | "annotation"` {
		t.Errorf("after Swap the body shows %q", got)
	}
}

// The Replays tab compares the capture with a replay's answer, and with
// what the replay sent.
func TestReplaysCompareTheCaptureWithAReplay(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(202, `{"workflowId":"wf-5f2a","type":"review","accepted":true}`))
	h := newHarness(t)
	c := h.capture("/isahit/results", http.Header{"Content-Type": {"application/json"}}, isahitReview)
	a, err := h.srv.Delivery().Replay(t.Context(), c, nil, delivery.ReplayOptions{URL: tg.URL + "/hook", Body: []byte(isahitAnnotation)})
	if err != nil {
		t.Fatal(err)
	}
	h.w.replaysView(c)
	rp := h.w.replaysPane
	h.q.until(t, "the attempt", func() bool { return len(rp.attempts) == 1 })
	if !rp.withCapture.Disabled() {
		t.Error("Compare with capture is offered with no attempt chosen")
	}
	rp.list.Select(0)
	if rp.withCapture.Disabled() {
		t.Fatal("Compare with capture is off with an attempt selected")
	}
	rp.compareWithCapture(a, true)
	p := h.openCompare()[0]
	if !strings.Contains(p.titles[0].Text, "/isahit/results") || !strings.Contains(p.titles[1].Text, "answer") {
		t.Errorf("titles %q / %q", p.titles[0].Text, p.titles[1].Text)
	}
	if got := containerRows(p.request); !slices.Contains(got, "added | status |  | 202") {
		t.Errorf("request rows %q lack the answer's status", got)
	}
	want := []string{
		`added | accepted | — | true`,
		`removed | batchId | "batch-7" | —`,
	}
	if got := bodyRows(p); len(got) < 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("body changes %q, want them to start with %q", got, want)
	}
	h.pressEscape()
	rp.compareWithCapture(a, false)
	p = h.openCompare()[0]
	if got := bodyRows(p); !slices.Equal(got, []string{`changed | taskId | "task-002" | "task-001"`, `changed | type | "review" | "annotation"`}) {
		t.Errorf("capture against what the replay sent: %q", got)
	}
}

// A body that is not JSON is compared line by line, side by side, with the
// engine's note when one side only looked like JSON; binary bodies by their
// first differing byte and sizes.
func TestCompareShowsTextAndBinaryBodies(t *testing.T) {
	h := newHarness(t)
	a := h.capture("/t", http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
	b := h.capture("/t", http.Header{"Content-Type": {"application/json"}}, "{\"a\":\nbroken")
	h.w.compareCaptures(a.ID, b.ID)
	p := h.openCompare()[0]
	text := shownText(p.body)
	for _, want := range []string{"not valid JSON", `! {"a":1}`, `! {"a":`, "+ broken"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text comparison lacks %q:\n%s", want, text)
		}
	}
	h.pressEscape()
	x := h.capture("/bin", http.Header{"Content-Type": {"application/octet-stream"}}, "\x00\x01\x02\x03")
	y := h.capture("/bin", http.Header{"Content-Type": {"application/octet-stream"}}, "\x00\x01\x09\x03\x04")
	h.w.compareCaptures(x.ID, y.ID)
	p = h.openCompare()[0]
	if text := shownText(p.body); !strings.Contains(text, "The binary bodies differ from byte 2 (0x2) on: left 4 B, right 5 B.") {
		t.Errorf("the binary comparison says:\n%s", text)
	}
}

// At a laptop's 1280×720 the request line and every differing header show
// without scrolling while the body has room to spare: a reviewer saw
// "Differences: 2 headers" over one visible row and a strip to scroll.
func TestCompareShowsEveryDifferingHeaderAtLaptopSize(t *testing.T) {
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1280, 720))
	h.postSigned("/isahit/results", isahitAnnotation, "sha256=aaaa")
	h.postSigned("/isahit/results", isahitReview, "sha256=bbbb")
	h.q.until(h.t, "two rows", func() bool { return h.rows() == 2 })
	h.clickRow(0, 0)
	h.q.until(h.t, "a capture in the detail", func() bool { return h.w.detail.capture != nil })
	h.clickRow(1, fyne.KeyModifierControl)
	h.w.compareMarked()
	p := h.openCompare()[0]
	h.q.until(t, "two differing headers", func() bool { return len(containerRows(p.headerRows)) == 2 })
	var scroll *container.Scroll
	eachObject(p.content, func(o fyne.CanvasObject) bool {
		if s, ok := o.(*container.Scroll); ok && scroll == nil {
			scroll = s
			return false
		}
		return true
	})
	if scroll == nil {
		t.Fatal("no scroll around the request and headers")
	}
	if got, need := scroll.Size().Height, scroll.Content.MinSize().Height; got < need {
		t.Errorf("the request and headers get %.0f px of the %.0f their rows need: %q hidden behind a scroll",
			got, need, containerRows(p.headerRows))
	}
}
