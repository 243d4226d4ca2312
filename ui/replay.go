package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/diff"
	"hookscope/render"
	"hookscope/store"
)

// Replay: send a capture again — as captured, or edited in a dialog — to
// its project's webhook or any URL, keep every attempt with the capture (the
// Replays tab), compare two answers, and replay many captures at once.

const (
	// prefReplayTargets are the recent replay targets, most recent first.
	prefReplayTargets = "replay.targets"
	// prefReplayAppend is what the last replay to the first target appended
	// to it (one of the replayAppend choices); a quick replay does the same.
	prefReplayAppend = "replay.append"
	maxReplayTargets = 10
	// maxReplayEditBody is the largest body the dialog's editor takes; a
	// larger one (or a binary one) is sent as captured.
	maxReplayEditBody = 256 << 10
)

// Choices of what the replay URL gets from the capture.
const (
	replayAppendNothing = "Nothing"
	replayAppendQuery   = "Query"
	replayAppendPath    = "Path and query"
)

var replayMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// recentTargets are the URLs replays were last sent to, most recent first.
func (w *Window) recentTargets() []string {
	return w.app.Preferences().StringList(prefReplayTargets)
}

// rememberTarget puts u first in the recent targets, with what was
// appended to it (an Append choice).
func (w *Window) rememberTarget(u, appended string) {
	u = strings.TrimSpace(u)
	if u == "" {
		return
	}
	w.app.Preferences().SetString(prefReplayAppend, appended)
	list := []string{u}
	for _, t := range w.recentTargets() {
		if t != u && len(list) < maxReplayTargets {
			list = append(list, t)
		}
	}
	w.app.Preferences().SetStringList(prefReplayTargets, list)
}

// replayProjectOf reads the capture's project; nil for Unsorted or a project
// deleted since. It reads the store: call it in the background.
func (w *Window) replayProjectOf(c *store.Capture) (*store.Project, error) {
	if c.Project == "" {
		return nil, nil
	}
	p, err := w.st.Project(c.Project)
	if errors.Is(err, store.ErrProjectNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// replayShown replays the capture the detail shows (Ctrl+R).
func (w *Window) replayShown() { w.replayCapture(w.detail.capture) }

// editAndReplayShown opens the edit-and-replay dialog on the capture the
// detail shows (Ctrl+Shift+R).
func (w *Window) editAndReplayShown() { w.showReplayDialog(w.detail.capture) }

// bulkReplayFiltered replays every capture the list shows.
func (w *Window) bulkReplayFiltered() { w.showBulkReplay(w.list.ids.IDs()) }

// replayCapture sends the capture again: to its project's webhook for its
// action, else to the last target used, else it asks for a URL in the
// replay dialog. It goes as captured, original signature included, unless
// the project's re-sign toggle is on.
func (w *Window) replayCapture(c *store.Capture) {
	if c == nil {
		dialog.ShowInformation("Nothing selected", "Select a capture to replay it.", w.win)
		return
	}
	background(w, func() (*store.Project, error) { return w.replayProjectOf(c) }, func(p *store.Project, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		opt := delivery.ReplayOptions{KeepQuery: true, Resign: w.resignWanted(c.Project)}
		var to string
		if hook := delivery.NewReplayDraft(c, p).Webhook; hook != "" {
			to = "webhook " + hook
		} else if recent := w.recentTargets(); len(recent) > 0 {
			opt.URL, to = recent[0], recent[0]
			// As the last replay there did: the path too, or nothing.
			switch w.app.Preferences().StringWithFallback(prefReplayAppend, replayAppendQuery) {
			case replayAppendPath:
				opt.KeepPath = true
			case replayAppendNothing:
				opt.KeepQuery = false
			}
		} else {
			w.openReplayDialog(c, p)
			return
		}
		how := "as captured"
		if opt.Resign {
			how = "re-signed"
		}
		w.flash("Replaying to " + to + ", " + how + "…")
		w.sendReplay(c, p, opt, func(a store.Attempt, err error) {
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.flash("Replayed to " + to + ", " + how + " → " + a.Outcome())
			w.selectReplaysTab()
		})
	})
}

// sendReplay replays in the background and refreshes the Replays tab.
func (w *Window) sendReplay(c *store.Capture, p *store.Project, opt delivery.ReplayOptions, done func(store.Attempt, error)) {
	dc := w.srv.Delivery()
	background(w, func() (store.Attempt, error) {
		return dc.Replay(context.Background(), c, p, opt)
	}, func(a store.Attempt, err error) {
		if err == nil {
			w.refreshReplays(c.ID)
		}
		done(a, err)
	})
}

// selectReplaysTab brings the detail's Replays tab forward, when there is one.
func (w *Window) selectReplaysTab() {
	for _, item := range w.detail.tabs.Items {
		if item.Text == "Replays" {
			w.detail.tabs.Select(item)
			return
		}
	}
}

// --- the edit-and-replay dialog ---

// replayDialog edits a capture's request and sends it.
type replayDialog struct {
	w       *Window
	c       *store.Capture
	p       *store.Project
	method  *dropdown
	url     *widget.SelectEntry
	targets []string // the URL's choices
	append  *widget.RadioGroup
	headers *replayHeaderTable
	body    *widget.Entry
	// bodyFixed is set when the body is not editable here (binary or
	// large): it is sent as captured.
	bodyFixed bool
	origBody  string // the editor's text before any edit
	jsonState *widget.Label
	resign    *widget.Check
	send      *widget.Button
	status    *widget.Label // what the last send gave, in one line
	response  *fyne.Container
	content   fyne.CanvasObject
	dlg       dialog.Dialog
	// last is the attempt of the last send.
	last *store.Attempt
}

// showReplayDialog opens the edit-and-replay dialog on c.
func (w *Window) showReplayDialog(c *store.Capture) {
	if c == nil {
		dialog.ShowInformation("Nothing selected", "Select a capture to replay it.", w.win)
		return
	}
	background(w, func() (*store.Project, error) { return w.replayProjectOf(c) }, func(p *store.Project, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.openReplayDialog(c, p)
	})
}

func (w *Window) openReplayDialog(c *store.Capture, p *store.Project) {
	w.newReplayDialog(c, p).show()
}

func (w *Window) newReplayDialog(c *store.Capture, p *store.Project) *replayDialog {
	d := &replayDialog{w: w, c: c, p: p}
	draft := delivery.NewReplayDraft(c, p)

	methods := replayMethods
	if !slices.Contains(methods, draft.Method) {
		methods = append(slices.Clone(methods), draft.Method)
	}
	d.method = newDropdown(w.win.Canvas, methods, nil)
	d.method.SetSelected(draft.Method)

	// The URL: the project's webhook, else the last target.
	var options []string
	if draft.Target != "" {
		options = append(options, draft.Target)
	}
	for _, t := range w.recentTargets() {
		if !slices.Contains(options, t) {
			options = append(options, t)
		}
	}
	d.targets = options
	d.url = w.suggestEntry(options)
	d.url.SetPlaceHolder("URL to send to, e.g. http://localhost:8000/webhook")
	if len(options) > 0 {
		d.url.SetText(options[0])
	}
	d.append = widget.NewRadioGroup([]string{replayAppendNothing, replayAppendQuery, replayAppendPath}, nil)
	d.append.Horizontal = true
	d.append.Required = true
	if c.RawQuery != "" {
		d.append.SetSelected(replayAppendQuery)
	} else {
		d.append.SetSelected(replayAppendNothing)
	}

	d.headers = newReplayHeaderTable(func() { d.checkBody() })
	for _, f := range draft.Header {
		d.headers.add(f.Name, f.Value)
	}

	d.jsonState = widget.NewLabel("")
	d.jsonState.Wrapping = fyne.TextWrapWord
	d.body = widget.NewMultiLineEntry()
	d.body.TextStyle = fyne.TextStyle{Monospace: true}
	d.body.Wrapping = fyne.TextWrapOff
	d.body.SetMinRowsVisible(10)
	var bodyNote *widget.Label
	switch {
	case draft.Binary:
		d.bodyFixed = true
		bodyNote = noteLabel(fmt.Sprintf("The body is binary (%s); it is sent as captured.", humanSize(len(c.Body))), widget.MediumImportance)
	case len(c.Body) > maxReplayEditBody:
		d.bodyFixed = true
		bodyNote = noteLabel(fmt.Sprintf("The body (%s) is too large to edit here; it is sent as captured.", humanSize(len(c.Body))), widget.MediumImportance)
	default:
		d.body.SetText(string(draft.Body))
	}
	if draft.Truncated {
		bodyNote = noteLabel(fmt.Sprintf("The body was truncated by the receiver: only its first %s are stored, and sent.", humanSize(len(c.Body))), widget.WarningImportance)
	}
	d.origBody = d.body.Text
	d.body.OnChanged = func(string) { d.checkBody() }
	d.checkBody()

	d.resign = widget.NewCheck("Re-sign", nil)
	if rs := draft.Resign; rs.Scheme != "" {
		what := "Re-sign (" + rs.Title + ")"
		switch {
		case rs.FreshID:
			what = "Re-sign (" + rs.Title + ", fresh timestamp and message id)"
		case rs.FreshTimestamp:
			what = "Re-sign (" + rs.Title + ", fresh timestamp)"
		}
		d.resign.SetText(what)
		d.resign.SetChecked(w.resignWanted(c.Project))
	} else {
		d.resign.SetText("Re-sign (needs a project with a secret and a scheme)")
		d.resign.Disable()
	}

	d.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), d.sendNow)
	d.send.Importance = widget.HighImportance
	d.status = widget.NewLabel("Not sent yet.")
	d.status.Wrapping = fyne.TextWrapWord
	d.response = container.NewStack()

	form := widget.NewForm(
		widget.NewFormItem("Method", d.method),
		widget.NewFormItem("URL", d.url),
		widget.NewFormItem("Append", d.append),
	)
	var bodyArea fyne.CanvasObject = d.body
	if d.bodyFixed {
		bodyArea = container.NewVBox()
	}
	bodyHead := container.NewVBox(widget.NewLabelWithStyle("Body", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if bodyNote != nil {
		bodyHead.Add(bodyNote)
	}
	request := container.NewBorder(
		container.NewVBox(form,
			widget.NewLabelWithStyle("Headers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.headers.object()),
		container.NewVBox(d.jsonState, d.resign, container.NewHBox(d.send)),
		nil, nil,
		container.NewBorder(bodyHead, nil, nil, nil, bodyArea),
	)
	answer := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("Response", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), d.status),
		nil, nil, nil, d.response)
	split := container.NewHSplit(request, answer)
	split.Offset = 0.5
	d.content = split
	return d
}

func (d *replayDialog) show() {
	d.dlg = dialog.NewCustom("Replay "+d.c.Method+" "+d.c.URI(), "Close", d.content, d.w.win)
	d.dlg.Resize(fyne.NewSize(1100, 740))
	d.w.showDialog(dialogReplay, d.dlg, nil)
}

// checkBody validates a JSON body as it is typed and shows where it breaks.
func (d *replayDialog) checkBody() {
	if d.bodyFixed || d.jsonState == nil {
		return
	}
	text := d.body.Text
	if !replayLooksJSON(d.headers.header().Get("Content-Type"), text) {
		d.jsonState.SetText("")
		return
	}
	if msg := replayJSONProblem(text); msg != "" {
		d.jsonState.Importance = widget.DangerImportance
		d.jsonState.SetText("Invalid JSON: " + msg)
		return
	}
	d.jsonState.Importance = widget.SuccessImportance
	d.jsonState.SetText("Valid JSON")
}

// options are the replay the dialog describes.
func (d *replayDialog) options() delivery.ReplayOptions {
	opt := delivery.ReplayOptions{
		URL:    strings.TrimSpace(d.url.Text),
		Method: d.method.Selected,
		Header: d.headers.header(),
		Resign: d.resign.Checked && !d.resign.Disabled(),
		Edited: true,
	}
	switch d.append.Selected {
	case replayAppendQuery:
		opt.KeepQuery = true
	case replayAppendPath:
		opt.KeepPath = true
	}
	// Unless it was edited, the body goes byte-exact: the editor may have
	// normalised line ends.
	if d.bodyFixed || d.body.Text == d.origBody {
		opt.Body = slices.Clone(d.c.Body)
	} else {
		opt.Body = []byte(d.body.Text)
	}
	if opt.Body == nil {
		opt.Body = []byte{}
	}
	return opt
}

func (d *replayDialog) sendNow() {
	opt := d.options()
	if opt.URL == "" {
		d.showStatus("Type the URL to send to.", widget.DangerImportance)
		return
	}
	if err := delivery.CheckTarget(opt.URL); err != nil {
		d.showStatus(err.Error(), widget.DangerImportance)
		return
	}
	d.send.Disable()
	d.showStatus("Sending…", widget.MediumImportance)
	d.w.sendReplay(d.c, d.p, opt, func(a store.Attempt, err error) {
		d.send.Enable()
		if err != nil {
			d.showStatus(err.Error(), widget.DangerImportance)
			return
		}
		d.last = &a
		d.w.rememberTarget(opt.URL, d.append.Selected)
		d.targets = replayTargetOptions(opt.URL, d.targets)
		d.url.SetOptions(d.targets)
		imp := widget.SuccessImportance
		if !a.OK() {
			imp = widget.DangerImportance
		}
		d.showStatus(a.Outcome(), imp)
		d.response.Objects = []fyne.CanvasObject{d.w.replayAttemptView(a)}
		d.response.Refresh()
	})
}

func (d *replayDialog) showStatus(text string, imp widget.Importance) {
	d.status.Importance = imp
	d.status.SetText(text)
}

func replayTargetOptions(first string, rest []string) []string {
	out := []string{first}
	for _, o := range rest {
		if o != first {
			out = append(out, o)
		}
	}
	return out
}

// replayHeaderTable edits a list of headers, one row a name and a value.
type replayHeaderTable struct {
	rows     []*replayHeaderRow
	box      *fyne.Container
	onChange func()
	content  fyne.CanvasObject
}

type replayHeaderRow struct {
	name, value *widget.Entry
	obj         fyne.CanvasObject
}

func newReplayHeaderTable(onChange func()) *replayHeaderTable {
	t := &replayHeaderTable{box: container.NewVBox(), onChange: onChange}
	add := widget.NewButtonWithIcon("Add header", theme.ContentAddIcon(), func() { t.add("", "") })
	scroll := container.NewVScroll(t.box)
	scroll.SetMinSize(fyne.NewSize(0, 160))
	t.content = container.NewBorder(nil, container.NewHBox(add), nil, nil, scroll)
	return t
}

func (t *replayHeaderTable) object() fyne.CanvasObject { return t.content }

func (t *replayHeaderTable) add(name, value string) *replayHeaderRow {
	r := &replayHeaderRow{name: widget.NewEntry(), value: widget.NewEntry()}
	r.name.SetPlaceHolder("Name")
	r.value.SetPlaceHolder("Value")
	r.name.SetText(name)
	r.value.SetText(value)
	r.name.OnChanged = func(string) { t.changed() }
	r.value.OnChanged = func(string) { t.changed() }
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.remove(r) })
	r.obj = container.NewBorder(nil, nil, nil, remove, container.NewGridWithColumns(2, r.name, r.value))
	t.rows = append(t.rows, r)
	t.box.Add(r.obj)
	t.changed()
	return r
}

func (t *replayHeaderTable) remove(r *replayHeaderRow) {
	if i := slices.Index(t.rows, r); i >= 0 {
		t.rows = slices.Delete(t.rows, i, i+1)
	}
	t.box.Remove(r.obj)
	t.changed()
}

func (t *replayHeaderTable) changed() {
	if t.onChange != nil {
		t.onChange()
	}
}

// header is what the rows say, in their order; rows without a name are
// left out.
func (t *replayHeaderTable) header() http.Header {
	h := http.Header{}
	for _, r := range t.rows {
		if name := strings.TrimSpace(r.name.Text); name != "" {
			h.Add(name, r.value.Text)
		}
	}
	return h
}

// replayLooksJSON says whether a body should be checked as JSON as it is typed.
func replayLooksJSON(contentType, text string) bool {
	if strings.Contains(strings.ToLower(contentType), "json") {
		return true
	}
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

// replayJSONProblem is "" for valid JSON, else where it breaks: "line 2, column
// 5: invalid character…".
func replayJSONProblem(text string) string {
	var v any
	err := json.Unmarshal([]byte(text), &v)
	if err == nil {
		return ""
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	pos := int(se.Offset) - 1
	if strings.Contains(se.Error(), "unexpected end") || pos >= len(text) {
		pos = len(strings.TrimRight(text, " \t\r\n"))
	}
	pos = max(pos, 0)
	line, col := 1, 1
	for _, r := range text[:min(pos, len(text))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
}

// --- one attempt ---

// replayAttemptView shows what an attempt got — status, the answer's body
// (rendered as capture bodies are) and headers — and the request it sent.
func (w *Window) replayAttemptView(a store.Attempt) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(a.Outcome(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	head.Importance = widget.SuccessImportance
	if !a.OK() {
		head.Importance = widget.DangerImportance
	}
	meta := widget.NewLabel(fmt.Sprintf("%s %s · %s · sent %s · took %s", a.Request.Method, a.Request.URL, sentHow(a),
		a.At.Local().Format("2006-01-02 15:04:05"), a.Duration.Round(100*time.Microsecond)))
	meta.Wrapping = fyne.TextWrapWord // breaking anywhere split "3.1ms" into "3.1m" and "s"
	top := container.NewVBox(head, meta)

	body := container.NewStack(widget.NewLabel("Rendering…"))
	if a.StatusCode == 0 {
		body.Objects = []fyne.CanvasObject{widget.NewLabel("No answer.")}
	} else {
		opt := render.Options{Pretty: true, Dark: w.dark()}
		background(w, func() (renderedBody, error) { return renderBody(a.ResponseBody, a.ResponseHeader, opt), nil }, func(rb renderedBody, _ error) {
			obj := w.bodyObject(rb, nil)
			if a.ResponseTruncated {
				obj = container.NewBorder(noteLabel(fmt.Sprintf("The answer was longer; its first %s were kept.", humanSize(len(a.ResponseBody))), widget.WarningImportance), nil, nil, nil, obj)
			}
			body.Objects = []fyne.CanvasObject{obj}
			body.Refresh()
		})
	}
	tabs := container.NewAppTabs(
		container.NewTabItem("Response body", body),
		container.NewTabItem("Response headers", w.copyableFields(headerFields(a.ResponseHeader))),
		container.NewTabItem("Request sent", newTextGrid(textGridRows(plainLines(replaySentText(a.Request))))),
	)
	return container.NewBorder(top, nil, nil, nil, tabs)
}

// replaySentText writes a sent request as an HTTP/1.1 message.
func replaySentText(r store.SentRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL)
	writeHeaders(&b, r.Header)
	b.WriteString("\n")
	if !utf8.Valid(r.Body) || bytes.IndexByte(r.Body, 0) >= 0 {
		fmt.Fprintf(&b, "[%s of binary body]", humanSize(len(r.Body)))
	} else {
		b.Write(r.Body)
	}
	return b.String()
}

// --- the Replays tab ---

// replaysPane is the Replays tab of one capture: its attempts, newest
// first, the one selected, and two compared.
type replaysPane struct {
	w        *Window
	c        *store.Capture
	attempts []store.Attempt
	picked   []store.ID // at most two, for Compare
	selected store.ID
	list     *widget.List
	info     *widget.Label
	compare  *widget.Button
	detail   *fyne.Container
	content  fyne.CanvasObject
}

// refreshReplays reloads the Replays tab when it shows capture id.
func (w *Window) refreshReplays(id store.ID) {
	if p := w.replaysPane; p != nil && p.c.ID == id {
		p.reload()
	}
}

// replaysView is the Replays tab for c: the list of its attempts, newest
// first; selecting one shows the request sent and the answer; ticking two
// and Compare shows their answers side by side, differing lines marked.
func (w *Window) replaysView(c *store.Capture) fyne.CanvasObject {
	p := &replaysPane{w: w, c: c}
	p.info = widget.NewLabel("Loading…")
	p.info.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(
		func() int { return len(p.attempts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("00:00:00 replay → 200 OK in 10 ms")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), nil, l)
		},
		p.updateRow,
	)
	p.list.OnSelected = func(id widget.ListItemID) {
		if id < 0 || id >= len(p.attempts) {
			return
		}
		p.selected = p.attempts[id].ID
		p.showAttempt(p.attempts[id])
	}
	p.compare = widget.NewButtonWithIcon("Compare", theme.ViewFullScreenIcon(), p.compareNow)
	p.compare.Disable()
	buttons := container.NewHBox(
		widget.NewButtonWithIcon("Replay", theme.MediaReplayIcon(), func() { w.replayCapture(c) }),
		widget.NewButtonWithIcon("Edit and replay…", theme.DocumentCreateIcon(), func() { w.showReplayDialog(c) }),
		p.compare,
	)
	p.detail = container.NewStack(container.NewCenter(widget.NewLabel("Select an attempt to see what was sent and answered.")))
	left := container.NewBorder(container.NewVBox(buttons, p.info), nil, nil, nil, p.list)
	split := container.NewHSplit(left, p.detail)
	split.Offset = 0.38
	p.content = split
	w.replaysPane = p
	p.reload()
	return p.content
}

func (p *replaysPane) reload() {
	c := p.c
	background(p.w, func() ([]store.Attempt, error) { return delivery.Replays(p.w.st, c) }, func(as []store.Attempt, err error) {
		if err != nil {
			p.info.SetText("Could not read the attempts: " + err.Error())
			return
		}
		p.attempts = as
		p.picked = slices.DeleteFunc(p.picked, func(id store.ID) bool { return p.index(id) < 0 })
		p.refreshInfo()
		p.list.Refresh()
		if i := p.index(p.selected); i >= 0 {
			p.list.Select(i)
		}
	})
}

func (p *replaysPane) index(id store.ID) int {
	for i, a := range p.attempts {
		if a.ID == id {
			return i
		}
	}
	return -1
}

func (p *replaysPane) refreshInfo() {
	switch n := len(p.attempts); n {
	case 0:
		p.info.SetText("Not replayed yet. Replay (Ctrl+R) sends it again as captured, or re-signed when \"" + resignLabel + "\" is on; Edit and replay lets you change it first.")
	default:
		what := fmt.Sprintf("%d attempts, newest first. Tick two to compare their answers.", n)
		if n == 1 {
			what = "1 attempt."
		}
		p.info.SetText(what)
	}
	if len(p.picked) == 2 {
		p.compare.Enable()
	} else {
		p.compare.Disable()
	}
}

// rowText is one attempt in the list.
func (p *replaysPane) rowText(a store.Attempt) string {
	kind := "replay, " + sentHow(a)
	if a.Action != delivery.ReplayAction {
		kind = "forward to " + a.Action
	} else if a.Request.Method != p.c.Method || !bytes.Equal(a.Request.Body, p.c.Body) {
		kind = "replay, edited, " + sentHow(a)
	}
	return fmt.Sprintf("%s  %s → %s  %s", a.At.Local().Format("15:04:05"), kind, a.Outcome(), a.Request.URL)
}

func (p *replaysPane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(p.attempts) {
		return
	}
	a := p.attempts[id]
	box := o.(*fyne.Container)
	var label *widget.Label
	var check *widget.Check
	for _, obj := range box.Objects {
		switch v := obj.(type) {
		case *widget.Label:
			label = v
		case *widget.Check:
			check = v
		}
	}
	label.SetText(p.rowText(a))
	label.Importance = widget.MediumImportance
	if !a.OK() {
		label.Importance = widget.DangerImportance
	}
	label.Refresh()
	check.OnChanged = nil
	check.SetChecked(slices.Contains(p.picked, a.ID))
	check.OnChanged = func(on bool) { p.pick(a.ID, on) }
}

// pick ticks or unticks an attempt for Compare; a third tick drops the
// oldest pick.
func (p *replaysPane) pick(id store.ID, on bool) {
	p.picked = slices.DeleteFunc(p.picked, func(x store.ID) bool { return x == id })
	if on {
		p.picked = append(p.picked, id)
		if len(p.picked) > 2 {
			p.picked = p.picked[len(p.picked)-2:]
		}
	}
	p.refreshInfo()
	p.list.Refresh()
}

func (p *replaysPane) showAttempt(a store.Attempt) {
	p.detail.Objects = []fyne.CanvasObject{p.w.replayAttemptView(a)}
	p.detail.Refresh()
}

// compareNow shows the two ticked attempts' answers side by side, the
// older on the left.
func (p *replaysPane) compareNow() {
	if len(p.picked) != 2 {
		return
	}
	i, j := p.index(p.picked[0]), p.index(p.picked[1])
	if i < 0 || j < 0 {
		return
	}
	left, right := p.attempts[i], p.attempts[j]
	if left.ID > right.ID {
		left, right = right, left
	}
	p.detail.Objects = []fyne.CanvasObject{widget.NewLabel("Comparing…")}
	p.detail.Refresh()
	background(p.w, func() (diff.Text, error) {
		return diff.Lines(replayAnswerLines(left), replayAnswerLines(right)), nil
	}, func(sb diff.Text, _ error) {
		p.detail.Objects = []fyne.CanvasObject{replayCompareView(left, right, sb)}
		p.detail.Refresh()
	})
}

// replayAnswerLines is an attempt's answer as lines to compare: the status, the
// headers sorted, a blank line and the body pretty-printed.
func replayAnswerLines(a store.Attempt) []string {
	var lines []string
	if a.StatusCode == 0 {
		lines = append(lines, "No answer: "+a.Error)
	} else {
		lines = append(lines, fmt.Sprintf("HTTP %d %s", a.StatusCode, a.StatusMessage()))
	}
	for _, f := range headerFields(a.ResponseHeader) {
		lines = append(lines, f.Name+": "+f.Value)
	}
	lines = append(lines, "")
	doc := render.Body(a.ResponseBody, a.ResponseHeader, render.Options{Pretty: true, HighlightLimit: 1})
	if len(doc.Lines) == 0 && (len(doc.Fields) > 0 || len(doc.Parts) > 0) {
		doc = render.Body(a.ResponseBody, a.ResponseHeader, render.Options{HighlightLimit: 1})
	}
	for _, l := range doc.Lines {
		var s strings.Builder
		for _, seg := range l {
			s.WriteString(seg.Text)
		}
		lines = append(lines, s.String())
	}
	return lines
}

// replayCompareView lays two answers out side by side.
func replayCompareView(left, right store.Attempt, sb diff.Text) fyne.CanvasObject {
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	grid := func(side func(diff.Row) string) *widget.TextGrid {
		rows := make([]widget.TextGridRow, len(sb.Rows))
		for k, r := range sb.Rows {
			var style widget.TextGridStyle
			if r.Op != diff.Same {
				style = mark
			}
			var cells []widget.TextGridCell
			for _, c := range r.Op.Mark() + strings.ReplaceAll(side(r), "\t", "    ") {
				cells = append(cells, widget.TextGridCell{Rune: c, Style: style})
			}
			rows[k] = widget.TextGridRow{Cells: cells}
		}
		return newTextGrid(rows)
	}
	title := func(a store.Attempt) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(a.At.Local().Format("15:04:05")+" · "+a.Outcome(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	summary := "The answers are the same."
	if sb.Differ > 0 {
		summary = strconv.Itoa(sb.Differ) + " lines differ (marked)."
		if sb.Differ == 1 {
			summary = "1 line differs (marked)."
		}
	}
	heads := container.NewGridWithColumns(2, title(left), title(right))
	grids := container.NewGridWithColumns(2,
		grid(func(r diff.Row) string { return r.Left }),
		grid(func(r diff.Row) string { return r.Right }))
	return container.NewBorder(container.NewVBox(widget.NewLabel(summary), heads), nil, nil, nil, grids)
}

// --- bulk replay ---

// bulkReplay replays many captures with a progress bar.
type bulkReplay struct {
	w       *Window
	ids     []store.ID
	url     *widget.SelectEntry
	append  *widget.RadioGroup
	delay   *widget.Entry
	resign  *widget.Check
	start   *widget.Button
	cancel  *widget.Button
	bar     *widget.ProgressBar
	status  *widget.Label
	result  *fyne.Container
	content fyne.CanvasObject
	dlg     dialog.Dialog
	stop    context.CancelFunc
	summary *delivery.BulkSummary
}

// showBulkReplay offers to replay the captures ids (the selection or the
// filter's), oldest first.
func (w *Window) showBulkReplay(ids []store.ID) {
	if len(ids) == 0 {
		dialog.ShowInformation("Nothing to replay", "No capture is selected or matches the filter.", w.win)
		return
	}
	w.newBulkReplay(ids).show()
}

func (w *Window) newBulkReplay(ids []store.ID) *bulkReplay {
	b := &bulkReplay{w: w, ids: ids}
	b.url = w.suggestEntry(w.recentTargets())
	b.url.SetPlaceHolder("Empty: each capture's project webhook")
	if recent := w.recentTargets(); len(recent) > 0 {
		b.url.SetText(recent[0])
	}
	b.append = widget.NewRadioGroup([]string{replayAppendNothing, replayAppendQuery, replayAppendPath}, nil)
	b.append.Horizontal = true
	b.append.Required = true
	b.append.SetSelected(replayAppendQuery)
	b.delay = widget.NewEntry()
	b.delay.SetText("0")
	b.delay.Validator = func(s string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < 0 {
			return errors.New("a number of milliseconds, 0 or more")
		}
		return nil
	}
	b.resign = widget.NewCheck("Re-sign the captures whose project has a secret and a scheme", nil)
	b.resign.SetChecked(true)
	b.bar = widget.NewProgressBar()
	b.bar.Max = float64(len(ids))
	b.status = widget.NewLabel(fmt.Sprintf("%d captures, sent oldest first.", len(ids)))
	b.status.Wrapping = fyne.TextWrapWord
	b.result = container.NewStack()
	b.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), b.run)
	b.start.Importance = widget.HighImportance
	b.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), b.onCancel)
	form := widget.NewForm(
		widget.NewFormItem("Target URL", b.url),
		widget.NewFormItem("Append", b.append),
		widget.NewFormItem("Delay (ms)", b.delay),
	)
	b.content = container.NewBorder(
		container.NewVBox(form, b.resign, b.status, b.bar, container.NewHBox(b.start, b.cancel)),
		nil, nil, nil, b.result)
	return b
}

func (b *bulkReplay) show() {
	b.dlg = dialog.NewCustomWithoutButtons(fmt.Sprintf("Replay %d captures", len(b.ids)), b.content, b.w.win)
	b.dlg.Resize(fyne.NewSize(760, 560))
	b.w.showDialog(dialogBulkReplay, b.dlg, b.onCancel)
}

func (b *bulkReplay) options() (delivery.BulkOptions, error) {
	opt := delivery.BulkOptions{URL: strings.TrimSpace(b.url.Text), Resign: b.resign.Checked}
	if opt.URL != "" {
		if err := delivery.CheckTarget(opt.URL); err != nil {
			return opt, err
		}
	}
	if err := b.delay.Validator(b.delay.Text); err != nil {
		return opt, fmt.Errorf("delay: %w", err)
	}
	ms, _ := strconv.Atoi(strings.TrimSpace(b.delay.Text))
	opt.Delay = time.Duration(ms) * time.Millisecond
	switch b.append.Selected {
	case replayAppendQuery:
		opt.KeepQuery = true
	case replayAppendPath:
		opt.KeepPath = true
	}
	return opt, nil
}

func (b *bulkReplay) run() {
	opt, err := b.options()
	if err != nil {
		b.status.Importance = widget.DangerImportance
		b.status.SetText(err.Error())
		return
	}
	if opt.URL != "" {
		b.w.rememberTarget(opt.URL, b.append.Selected)
	}
	ctx, stop := context.WithCancel(context.Background())
	b.stop = stop
	b.start.Disable()
	b.url.Disable()
	b.delay.Disable()
	b.resign.Disable()
	b.append.Disable()
	b.status.Importance = widget.MediumImportance
	b.status.SetText(fmt.Sprintf("Sending 0 of %d…", len(b.ids)))
	b.result.Objects = nil
	b.result.Refresh()
	dc, w := b.w.srv.Delivery(), b.w
	background(w, func() (delivery.BulkSummary, error) {
		return dc.ReplayAll(ctx, b.ids, opt, func(done, total int, a store.Attempt) {
			text := fmt.Sprintf("Sent %d of %d — last: %s", done, total, a.Outcome())
			w.do(func() {
				b.bar.SetValue(float64(done))
				b.status.SetText(text)
			})
		}), nil
	}, func(sum delivery.BulkSummary, _ error) {
		stop()
		b.stop = nil
		b.summary = &sum
		b.showSummary(sum)
		b.cancel.SetText("Close")
		b.cancel.SetIcon(theme.ConfirmIcon())
		b.cancel.Enable()
		if c := w.detail.capture; c != nil {
			w.refreshReplays(c.ID)
		}
	})
}

func (b *bulkReplay) showSummary(sum delivery.BulkSummary) {
	text := fmt.Sprintf("%d succeeded, %d failed.", sum.Succeeded, sum.Failed)
	if sum.Canceled {
		text = fmt.Sprintf("Canceled after %d of %d: ", sum.Succeeded+sum.Failed, len(b.ids)) + text
	}
	b.status.Importance = widget.SuccessImportance
	if sum.Failed > 0 || sum.Canceled {
		b.status.Importance = widget.WarningImportance
	}
	b.status.SetText(text)
	if len(sum.Failures) == 0 {
		return
	}
	lines := make([]string, 0, len(sum.Failures))
	for _, f := range sum.Failures {
		lines = append(lines, f.CaptureID.String()+"  "+f.Error)
	}
	b.result.Objects = []fyne.CanvasObject{container.NewBorder(
		widget.NewLabelWithStyle("Failures", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		newTextGrid(textGridRows(plainLines(strings.Join(lines, "\n")))))}
	b.result.Refresh()
}

// onCancel stops a running replay, or closes the dialog.
func (b *bulkReplay) onCancel() {
	if b.stop != nil {
		b.stop()
		b.cancel.Disable()
		b.status.SetText("Canceling…")
		return
	}
	if b.dlg != nil {
		b.dlg.Hide()
	}
}
