package ui

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/render"
	"hookscope/store"
)

// webhookRow is one action's webhook: its settings on the left, its log and
// test sending on the right.
type webhookRow struct {
	e      *projectEditor
	action string
	// stored says the action is in the stored project: its log is kept by
	// action, so the action is fixed; remove the row to drop it.
	stored bool
	hookSettings
	hookLog
	hookSender
	card *widget.Card
}

// hookSettings are the webhook's fields the form saves.
type hookSettings struct {
	actionLabel, actionErr *widget.Label
	url                    *escEntry
	urlErr                 *widget.Label
	// lastURL is the URL as last typed: the first one switches a new
	// webhook on.
	lastURL string
	enabled *escCheck
	// enabledTouched says the user set the switch: a URL no longer does.
	enabledTouched bool
	headers        *headerRows
	remove         *widget.Button
}

// hookLog shows the webhook's last call and last error, as stored.
type hookLog struct {
	log                          store.Webhook
	lastCall, lastError, updated *widget.Label
	// errBody shows the last error's body, highlighted; bodyShown is that
	// body, so an unchanged one is not rendered again.
	errBody   *fyne.Container
	bodyShown string
}

// hookSender sends test events and opens the delivery history.
type hookSender struct {
	template   *dropdown
	records    *escEntry
	send       *widget.Button
	sending    bool
	historyBtn *widget.Button
	buttons    *fyne.Container
	status     *widget.Label
	history    []store.Attempt
	// historyDialog is the History last opened.
	historyDialog *historyDialog
}

func newWebhookRow(e *projectEditor, wh store.Webhook, stored bool) *webhookRow {
	r := &webhookRow{e: e, action: wh.Action, stored: stored}
	r.actionLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.actionErr = newFieldError()
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.removeRow(r) })
	r.remove.Importance = widget.LowImportance
	settings := r.buildSettings(wh)
	right := container.NewVBox(r.buildLog(), r.buildSender())
	head := container.NewBorder(nil, nil, container.NewHBox(r.actionLabel, r.enabled), r.remove)
	r.card = widget.NewCard("", "", container.NewVBox(head, r.actionErr, container.NewGridWithColumns(2, settings, right)))
	r.refreshAction()
	r.setLog(wh)
	return r
}

// buildSettings builds the URL, the switch and the headers, filled from wh.
func (r *webhookRow) buildSettings(wh store.Webhook) fyne.CanvasObject {
	e := r.e
	r.lastURL = wh.URL
	r.url = newCheckedEntry(e.w.escape)
	r.url.SetPlaceHolder("e.g. http://127.0.0.1:3000/" + wh.Action)
	r.url.SetText(wh.URL)
	r.url.OnChanged = r.onURLChanged
	r.urlErr = newFieldError()
	r.enabled = newEscCheck("Enabled", func(bool) {
		if !e.quiet {
			r.enabledTouched = true
		}
		e.validate()
	}, e.w.escape)
	e.setQuietly(func() { r.enabled.SetChecked(wh.Enabled) })
	r.headers = e.w.newHeaderRows(headerRowsOptions{suggestions: webhookHeaderSuggestions, masked: true, onChanged: e.validate})
	r.headers.set(wh.Headers)
	return container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("URL"), nil, r.url),
		r.urlErr,
		widget.NewLabel("Headers"),
		r.headers,
	)
}

// buildLog builds the last call and last error, filled by setLog.
func (r *webhookRow) buildLog() fyne.CanvasObject {
	r.lastCall = widget.NewLabel("")
	r.lastCall.Wrapping = fyne.TextWrapWord
	r.lastError = widget.NewLabel("")
	r.lastError.Wrapping = fyne.TextWrapWord
	r.updated = widget.NewLabel("")
	r.updated.Importance = widget.LowImportance
	r.errBody = container.NewStack()
	r.errBody.Hide()
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.New(layout.NewFormLayout(), bold("Last call"), r.lastCall, bold("Last error"), r.lastError)
	return container.NewVBox(form, r.errBody, r.updated)
}

// buildSender builds the template and record count of a test event, Send
// and History.
func (r *webhookRow) buildSender() fyne.CanvasObject {
	e := r.e
	r.template = newDropdown(e.w.win.Canvas, templateChoices(e.orig, r.action), nil)
	r.template.SetSelected(delivery.DefaultTemplate(r.action))
	r.records = newCheckedEntry(e.w.escape)
	r.records.SetText("1")
	r.records.OnChanged = func(string) { e.validate() }
	r.send = widget.NewButtonWithIcon("Send test event", theme.MailSendIcon(), r.onSend)
	r.historyBtn = widget.NewButtonWithIcon("History", theme.HistoryIcon(), r.onHistory)
	r.status = widget.NewLabel("")
	r.status.Wrapping = fyne.TextWrapWord
	r.buttons = container.NewHBox(r.send, r.historyBtn)
	templateRow := container.NewBorder(nil, nil, widget.NewLabel("Template"), container.NewHBox(widget.NewLabel("records"), fixedWidth(r.records, 72)), r.template)
	return container.NewVBox(templateRow, r.buttons, r.status)
}

// templateChoices are the templates a webhook for action can send: the
// built-in ones and the project's own, those named "name/action" only for
// their action.
func templateChoices(p store.Project, action string) []string {
	var names []string
	seen := map[string]bool{}
	for _, t := range delivery.Templates() {
		names = append(names, t.Name)
		seen[t.Name] = true
	}
	var custom []string
	for k := range p.Templates {
		name, forAction, scoped := strings.Cut(k, "/")
		if scoped && forAction != action {
			continue
		}
		if !seen[name] {
			seen[name] = true
			custom = append(custom, name)
		}
	}
	sort.Strings(custom)
	return append(names, custom...)
}

func (r *webhookRow) refreshAction() {
	text := r.action
	if !r.stored {
		text += " (new)"
	}
	r.actionLabel.SetText(text)
}

// onURLChanged turns a new webhook on when it gets its first URL, unless
// the user set the switch.
func (r *webhookRow) onURLChanged(s string) {
	if r.lastURL == "" && strings.TrimSpace(s) != "" && !r.enabled.Checked && !r.enabledTouched {
		r.e.setQuietly(func() { r.enabled.SetChecked(true) })
	}
	r.lastURL = strings.TrimSpace(s)
	r.e.validate()
}

// recordCount is how many records a test event carries.
func (r *webhookRow) recordCount() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(r.records.Text))
	return n, err == nil && n >= 1 && n <= delivery.MaxSampleRecords
}

func (r *webhookRow) webhook() store.Webhook {
	fields, _ := r.headers.fields()
	wh := r.log
	wh.Action = r.action
	wh.URL = strings.TrimSpace(r.url.Text)
	wh.Headers = fields
	wh.Enabled = r.enabled.Checked
	return wh
}

// showErrors shows the errors of webhooks[i] and notes which it showed.
func (r *webhookRow) showErrors(i int, errs map[string]string, shown map[string]bool) {
	at := fmt.Sprintf("webhooks[%d].", i)
	showFieldError(r.actionErr, nil, errs[at+"action"])
	showFieldError(r.urlErr, r.url, errs[at+"url"])
	shown[at+"action"], shown[at+"url"] = true, true
	r.headers.showErrors(func(j int, _ store.HeaderField) string {
		shown[fmt.Sprintf("%sheaders[%d].name", at, j)] = true
		shown[fmt.Sprintf("%sheaders[%d].value", at, j)] = true
		return headerError(errs, at, j)
	})
	if _, ok := r.recordCount(); ok {
		r.records.SetValidationError(nil)
	} else {
		r.records.SetValidationError(fmt.Errorf("records: 1 to %d", delivery.MaxSampleRecords))
	}
}

// refreshSend enables Send when the form can be saved and the webhook has a
// URL; when the form has unsaved edits, sending saves them first, and the
// button says so.
func (r *webhookRow) refreshSend(valid, dirty bool) {
	text := "Send test event"
	if dirty {
		text = "Save & send test event"
	}
	if r.send.Text != text {
		r.send.SetText(text)
		r.buttons.Refresh() // the button's width changed
	}
	_, recordsOK := r.recordCount()
	if valid && recordsOK && !r.sending && strings.TrimSpace(r.url.Text) != "" {
		r.send.Enable()
	} else {
		r.send.Disable()
	}
	if r.stored {
		r.historyBtn.Enable()
	} else {
		r.historyBtn.Disable()
	}
}

// setLog shows the webhook's last call and last error, the error's body
// highlighted.
func (r *webhookRow) setLog(wh store.Webhook) {
	r.log.UpdatedAt, r.log.LastCall, r.log.LastError = wh.UpdatedAt, wh.LastCall, wh.LastError
	now := time.Now()
	r.lastCall.SetText(lastCallText(wh.LastCall, now))
	r.lastCall.Importance = widget.MediumImportance
	if wh.LastCall != nil {
		if wh.LastCall.StatusCode >= 200 && wh.LastCall.StatusCode < 300 {
			r.lastCall.Importance = widget.SuccessImportance
		} else {
			r.lastCall.Importance = widget.WarningImportance
		}
	}
	r.lastCall.Refresh()
	r.lastError.SetText(lastErrorText(wh.LastError, now))
	r.lastError.Importance = widget.MediumImportance
	if wh.LastError != nil {
		r.lastError.Importance = widget.DangerImportance
	}
	r.lastError.Refresh()
	if wh.UpdatedAt.IsZero() {
		r.updated.SetText("")
		r.updated.Hide()
	} else {
		r.updated.SetText("Settings updated " + wh.UpdatedAt.Local().Format(logTimeFormat) + " (" + relativeTime(now.Sub(wh.UpdatedAt)) + ")")
		r.updated.Show()
	}
	body := ""
	if wh.LastError != nil {
		body = wh.LastError.Body
	}
	r.showErrorBody(body)
}

// showErrorBody renders the last error's body, in the background, unless
// it is the one on show.
func (r *webhookRow) showErrorBody(body string) {
	if body == r.bodyShown {
		return
	}
	r.bodyShown = body
	if body == "" {
		r.errBody.RemoveAll()
		r.errBody.Hide()
		return
	}
	w := r.e.w
	opt := render.Options{Pretty: true, Dark: w.dark(), Limit: 64 << 10}
	background(w, func() (renderedBody, error) { return renderBody([]byte(body), nil, opt), nil }, func(rb renderedBody, _ error) {
		if r.bodyShown != body {
			return
		}
		rb.doc.Notes = nil // "sniffed as JSON": the log keeps no Content-Type to sniff against
		r.errBody.Objects = []fyne.CanvasObject{minHeight(w.bodyObject(rb, nil), 120)}
		r.errBody.Show()
		r.errBody.Refresh()
	})
}

const logTimeFormat = "2006-01-02 15:04:05"

func lastCallText(c *store.LastCall, now time.Time) string {
	if c == nil {
		return "none yet"
	}
	return fmt.Sprintf("%d %s · %s (%s)", c.StatusCode, c.Message, c.Date.Local().Format(logTimeFormat), relativeTime(now.Sub(c.Date)))
}

func lastErrorText(le *store.LastError, now time.Time) string {
	if le == nil {
		return "none"
	}
	what := fmt.Sprintf("%d %s", le.StatusCode, le.Message)
	if le.StatusCode == 0 {
		what = "no answer: " + le.Message
	}
	return fmt.Sprintf("%s · %s (%s)", what, le.Date.Local().Format(logTimeFormat), relativeTime(now.Sub(le.Date)))
}

// testEventResult is what sending a test event brings back: the attempts and
// the project as stored after them, with its updated log.
type testEventResult struct {
	attempts []store.Attempt
	project  store.Project
	reloaded bool
}

// onSend sends a sample event to the webhook, saving the form first when it
// has unsaved edits (the event goes where the form says, and the log is kept
// with the stored webhook).
func (r *webhookRow) onSend() {
	e := r.e
	if e.dirty(e.collectOnly()) {
		e.persist(func(store.Project) { r.sendStored() })
		return
	}
	r.sendStored()
}

func (r *webhookRow) sendStored() {
	e := r.e
	w := e.w
	slug, action, template := e.origSlug, r.action, r.template.Selected
	records, _ := r.recordCount()
	r.sending = true
	r.status.Importance = widget.MediumImportance
	r.status.SetText("Sending…")
	e.validate()
	background(w, func() (testEventResult, error) {
		p, err := w.st.Project(slug)
		if err != nil {
			return testEventResult{}, err
		}
		// Not canceled when the editor closes: the attempt is recorded either
		// way, and the client's timeout bounds it.
		attempts, sendErr := w.srv.Delivery().SendTestEvent(context.Background(), p, action, template, records)
		fresh, err := w.st.Project(slug)
		return testEventResult{attempts: attempts, project: fresh, reloaded: err == nil}, sendErr
	}, func(res testEventResult, err error) {
		r.sending = false
		if res.reloaded && slug == e.origSlug {
			e.applyLog(res.project)
		}
		e.validate()
		if err != nil {
			r.status.Importance = widget.DangerImportance
			r.status.SetText("Not sent: " + err.Error())
			return
		}
		r.status.Importance = attemptsImportance(res.attempts)
		r.status.SetText(attemptsSummary(res.attempts))
		if r.history != nil {
			r.loadHistory(nil)
		}
	})
}

func attemptsImportance(as []store.Attempt) widget.Importance {
	for _, a := range as {
		if !a.OK() {
			return widget.DangerImportance
		}
	}
	return widget.SuccessImportance
}

// attemptsSummary says what a test event did: one call's outcome, or how
// many calls went out and how they fared.
func attemptsSummary(as []store.Attempt) string {
	switch len(as) {
	case 0:
		return "Nothing sent."
	case 1:
		return "Sent: " + as[0].Outcome()
	}
	ok := 0
	for _, a := range as {
		if a.OK() {
			ok++
		}
	}
	last := as[len(as)-1]
	return fmt.Sprintf("Sent %d calls, %d answered 2xx; last: %s", len(as), ok, last.Outcome())
}
