package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// replayDialog edits a capture's request and sends it.
type replayDialog struct {
	w       *Window
	c       *store.Capture
	p       *store.Project
	method  *dropdown
	url     *escSelectEntry
	targets []string // the URL's choices
	append  *dropdown
	headers *headerRows
	body    *escEntry
	// bodyEd is the body editor (bodyMode its Pretty/Raw choice); nil
	// with bodyFixed, set when the body is not editable here (binary or
	// large): it is sent as captured.
	bodyEd    *replayBody
	bodyMode  *dropdown
	bodyFixed bool
	jsonState *widget.Label
	resign    *escCheck
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
	w.withReplayProject(c, func(p *store.Project) { w.openReplayDialog(c, p) })
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
	d.append = newDropdown(w.win.Canvas, []string{replayAppendNothing, replayAppendQuery, replayAppendPath}, nil)
	if c.RawQuery != "" {
		d.append.SetSelected(replayAppendQuery)
	} else {
		d.append.SetSelected(replayAppendNothing)
	}

	d.headers = w.newHeaderRows(headerRowsOptions{suggestions: webhookHeaderSuggestions, scrollHeight: 160, onChanged: func() { d.checkBody() }})
	d.headers.set(draft.Header)

	d.jsonState = widget.NewLabel("")
	d.jsonState.Wrapping = fyne.TextWrapWord
	var bodyNote *widget.Label
	switch {
	case draft.Binary:
		d.bodyFixed = true
		bodyNote = noteLabel(fmt.Sprintf("The body is binary (%s); it is sent as captured.", humanSize(len(c.Body))), widget.MediumImportance)
	case len(c.Body) > maxReplayEditBody:
		d.bodyFixed = true
		bodyNote = noteLabel(fmt.Sprintf("The body (%s) is too large to edit here; it is sent as captured.", humanSize(len(c.Body))), widget.MediumImportance)
	default:
		d.bodyEd = newReplayBody(draft.Body, w.win.Canvas, w.escape, d.checkBody, func() {
			d.jsonState.Importance = widget.MediumImportance
			d.jsonState.SetText("The body is not JSON, so it has no pretty view.")
		})
		d.body, d.bodyMode = d.bodyEd.entry, d.bodyEd.mode
	}
	if draft.Truncated {
		bodyNote = noteLabel(fmt.Sprintf("The body was truncated by the receiver: only its first %s are stored, and sent.", humanSize(len(c.Body))), widget.WarningImportance)
	}
	d.checkBody()

	d.resign = newReplayResign(draft.Resign, w.resignWanted(c.Project), w.escape)

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
	var bodyArea fyne.CanvasObject = container.NewVBox()
	bodyTitle := fyne.CanvasObject(widget.NewLabelWithStyle("Body", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if d.bodyEd != nil {
		bodyArea = d.body
		bodyTitle = container.NewHBox(bodyTitle, d.bodyMode)
	}
	bodyHead := container.NewVBox(bodyTitle)
	if bodyNote != nil {
		bodyHead.Add(bodyNote)
	}
	request := container.NewBorder(
		container.NewVBox(form,
			widget.NewLabelWithStyle("Headers", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			d.headers),
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

// newReplayResign is the dialog's re-sign toggle: it says which scheme
// signs and what is fresh, and is off and disabled when nothing can sign.
func newReplayResign(rs delivery.Resign, wanted bool, onEscape func() bool) *escCheck {
	check := newEscCheck("Re-sign (needs a project with a secret and a scheme)", nil, onEscape)
	if rs.Scheme == "" {
		check.Disable()
		return check
	}
	what := "Re-sign (" + rs.Title + ")"
	switch {
	case rs.FreshID:
		what = "Re-sign (" + rs.Title + ", fresh timestamp and message id)"
	case rs.FreshTimestamp:
		what = "Re-sign (" + rs.Title + ", fresh timestamp)"
	}
	check.SetText(what)
	check.SetChecked(wanted)
	return check
}

func (d *replayDialog) show() {
	d.dlg = dialog.NewCustom("Replay "+d.c.Method+" "+d.c.URI(), "Close", d.content, d.w.win)
	d.dlg.Resize(fyne.NewSize(1100, 740))
	d.w.showDialog(dialogReplay, d.dlg, nil)
}

// checkBody validates a JSON body as it is typed and shows where it breaks.
func (d *replayDialog) checkBody() {
	if d.bodyEd == nil || d.jsonState == nil || d.headers == nil {
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
	// Unless it was edited, the body goes byte-exact: the editor may show
	// it pretty-printed, or have normalised its line ends.
	if d.bodyEd == nil {
		opt.Body = slices.Clone(d.c.Body)
	} else {
		opt.Body = d.bodyEd.body()
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
		if opt.Resign {
			d.showSentSignature(opt.Header, a.Request.Header)
		}
		// The answer's view heads with the outcome: the status line
		// saying it too showed it twice.
		d.status.Hide()
		d.response.Objects = []fyne.CanvasObject{d.w.replayAttemptView(a)}
		d.response.Refresh()
	})
}

// showSentSignature puts in the header rows the headers re-signing
// changed (the signature, its timestamp, a message id), as they were sent:
// the rows then say what the target got, and a send without re-signing
// sends that.
func (d *replayDialog) showSentSignature(before, sent http.Header) {
	names := make([]string, 0, len(sent))
	for name := range sent {
		names = append(names, http.CanonicalHeaderKey(name))
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		if vals := sent.Values(name); !slices.Equal(before.Values(name), vals) {
			d.headers.setValues(name, vals)
		}
	}
}

func (d *replayDialog) showStatus(text string, imp widget.Importance) {
	d.status.Importance = imp
	d.status.SetText(text)
	d.status.Show()
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
