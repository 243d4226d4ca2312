package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/projects"
	"hookscope/render"
	"hookscope/signature"
	"hookscope/store"
)

// editorSize is the project editor dialog's size over the main window.
var editorSize = fyne.NewSize(1000, 720)

// detectScheme is the scheme picker's entry for Project.Scheme "".
const detectScheme = "Detect from headers"

// Header names the editors suggest; any token may be typed.
var (
	webhookHeaderSuggestions  = []string{"Authorization", "X-Api-Key", "X-Auth-Token", "X-Webhook-Secret", "Content-Type", "User-Agent"}
	responseHeaderSuggestions = []string{"Content-Type", "Retry-After", "Location", "Cache-Control", "X-Request-Id"}
	actionSuggestions         = []string{"ingested", "modified", "excluded", "annotation", "review", "onSubmit", "onReview", store.DefaultWebhookAction}
)

// historySize is how many deliveries a webhook's History shows.
const historySize = 50

// projectEditors is the editor open over each window, so that store events
// can refresh the log it shows. The editor is a modal dialog, so there is at
// most one per window. Only the UI goroutine touches it.
var projectEditors = map[*Window]*projectEditor{}

// newProject opens the editor on a new project with the default actions.
func (w *Window) newProject() {
	p := store.Project{}
	for _, a := range store.DefaultActions {
		p.Webhooks = append(p.Webhooks, store.Webhook{Action: a})
	}
	w.showProjectEditor(p, true)
}

// editSelectedProject opens the editor on the project chosen in the sidebar,
// read afresh from the store.
func (w *Window) editSelectedProject() {
	sel, ok := w.side.selectedProject()
	if !ok {
		dialog.ShowInformation("No project selected", "Choose a project in the sidebar to edit it, or create one.", w.win)
		return
	}
	background(w, func() (store.Project, error) { return w.st.Project(sel.Slug) }, func(p store.Project, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.showProjectEditor(p, false)
	})
}

// deleteSelectedProject deletes the project chosen in the sidebar after the
// user confirms.
func (w *Window) deleteSelectedProject() {
	p, ok := w.side.selectedProject()
	if !ok {
		dialog.ShowInformation("No project selected", "Choose a project in the sidebar to delete it.", w.win)
		return
	}
	w.confirmDeleteProject(p, nil)
}

// confirmDeleteProject asks, then deletes the project in the background; its
// captures stay, moved to Unsorted. deleted runs after a successful delete.
func (w *Window) confirmDeleteProject(p store.Project, deleted func()) {
	name := projectTitle(p)
	msg := fmt.Sprintf("%s (/%s/…), its webhooks and their delivery history are deleted.\n"+
		"Its captures stay, moved to Unsorted.", name, p.Slug)
	d := dialog.NewConfirm("Delete project "+name+"?", msg, func(ok bool) {
		if !ok {
			return
		}
		background(w, func() (struct{}, error) { return struct{}{}, w.srv.Projects().Delete(p.Slug) }, func(_ struct{}, err error) {
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.flash("Deleted project " + name + "; its captures moved to Unsorted")
			w.side.reload()
			if deleted != nil {
				deleted()
			}
		})
	}, w.win)
	d.SetConfirmText("Delete")
	d.SetDismissText("Keep")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// onProjectsChanged refreshes the log of the open editor; the window calls
// it when a batch of store events holds store.ProjectsChanged or
// store.DeliveryRecorded (a delivery updated a lastCall, say).
func (w *Window) onProjectsChanged() {
	if e := projectEditors[w]; e != nil {
		e.reloadLog()
	}
}

// showProjectEditor opens the editor as a modal dialog over the main window.
// isNew says p is not stored yet (Save creates it).
func (w *Window) showProjectEditor(p store.Project, isNew bool) {
	if old := projectEditors[w]; old != nil {
		old.close()
	}
	e := newProjectEditor(w, p, isNew)
	projectEditors[w] = e
	e.popup = widget.NewModalPopUp(container.NewPadded(e.content), w.win.Canvas())
	e.popup.Resize(editorSize)
	e.popup.Show()
	w.trackOverlay(dialogProject, e.onCancel)
	if isNew {
		w.win.Canvas().Focus(e.name)
	}
}

func projectTitle(p store.Project) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Slug
}

// projectEditor is the form of one project: general settings, the answer its
// captures get, and its Webhooks page — a URL, switch and headers per action
// with the log of the last call and last error beside them, as the
// platforms' Integration/Webhooks sections show it.
type projectEditor struct {
	w *Window
	// orig is the project as stored when the editor opened or last saved:
	// Cancel returns to it, and it keeps what the form does not edit
	// (templates, previous secrets).
	orig     store.Project
	origSlug string
	isNew    bool
	blank    *store.Project // a new project's form as first built
	// all are the stored projects, for the duplicate-slug check.
	all  []store.Project
	errs map[string]string
	busy bool
	// quiet is set while the editor sets widgets itself, so their
	// OnChanged handlers do not take it for the user's input.
	quiet       bool
	loading     bool
	slugTouched bool
	popup       *widget.PopUp
	heading     *widget.Label

	// General
	slug, name, description, secret     *widget.Entry
	scheme                              *dropdown
	sigHeader, sigPrefix, publicBaseURL *widget.Entry
	sigAlgorithm, sigEncoding           *dropdown
	forward                             *widget.Check
	notify                              *dropdown
	schemeRows                          map[string][]fyne.CanvasObject
	// fieldErrs are the labels of the fields with a fixed path ("slug",
	// "signature.header", "response.status", …).
	fieldErrs    map[string]*widget.Label
	fieldEntries map[string]*widget.Entry

	// Response
	respStatus, respBody, respDelay *widget.Entry
	respHeaders                     *headerRows

	// Webhooks
	rows         []*webhookRow
	rowsBox      *fyne.Container
	noRows       *widget.Label
	applyURL     *widget.Entry
	applyURLErr  *widget.Label
	applyHeaders *headerRows
	applyAll     *widget.Button
	applyItem    *widget.Accordion
	hooksScroll  *container.Scroll
	addAction    *widget.SelectEntry
	addActionErr *widget.Label
	addButton    *widget.Button

	// Templates
	templates *templateEditor
	// receive shows the URLs senders use, public while a tunnel is online.
	receive *receiveURLs

	tabs                               *container.AppTabs
	general, response, hooks, templTab *container.TabItem
	summary                            *widget.Label
	save, cancel, del                  *widget.Button
	content                            fyne.CanvasObject
}

func newProjectEditor(w *Window, p store.Project, isNew bool) *projectEditor {
	e := &projectEditor{w: w, orig: p, origSlug: p.Slug, isNew: isNew, slugTouched: !isNew || p.Slug != ""}
	e.buildUI()
	e.loading = true
	e.load(p)
	e.loading = false
	e.validate()
	background(w, func() ([]store.Project, error) { return w.st.Projects() }, func(all []store.Project, err error) {
		if err == nil {
			e.all = all
			e.validate()
		}
	})
	return e
}

func (e *projectEditor) title() string {
	if e.isNew {
		return "New project"
	}
	return fmt.Sprintf("Project %s — captures on %s/%s/…", projectTitle(e.orig), e.w.receiveBase(), e.orig.Slug)
}

func (e *projectEditor) buildUI() {
	e.fieldErrs = map[string]*widget.Label{}
	e.fieldEntries = map[string]*widget.Entry{}
	field := func(path string, en *widget.Entry) fyne.CanvasObject {
		l := newFieldError()
		e.fieldErrs[path] = l
		if en != nil {
			e.fieldEntries[path] = en
			return container.NewVBox(en, l)
		}
		return l
	}

	// General.
	e.slug = newCheckedEntry()
	e.slug.SetPlaceHolder("my-shop — captures on /my-shop/… belong to the project")
	e.slug.OnChanged = func(string) {
		if !e.quiet {
			e.slugTouched = true
		}
		e.validate()
	}
	e.name = newCheckedEntry()
	e.name.SetPlaceHolder("My shop")
	e.name.OnChanged = func(s string) {
		if e.isNew && !e.slugTouched {
			e.setQuietly(func() { e.slug.SetText(slugify(s)) })
		}
		e.validate()
	}
	e.description = widget.NewMultiLineEntry()
	e.description.SetMinRowsVisible(2)
	e.description.Wrapping = fyne.TextWrapWord
	e.description.OnChanged = func(string) { e.validate() }
	e.secret = widget.NewPasswordEntry()
	e.secret.SetPlaceHolder("signs and verifies the project's webhooks")
	e.secret.OnChanged = func(string) { e.validate() }
	e.scheme = newDropdown(e.w.win.Canvas, schemeOptions(), func(string) { e.onSchemeChanged() })
	e.sigHeader = newCheckedEntry()
	e.sigHeader.OnChanged = func(string) { e.validate() }
	e.sigAlgorithm = newDropdown(e.w.win.Canvas, []string{"sha1", "sha256", "sha512"}, func(string) { e.validate() })
	e.sigAlgorithm.PlaceHolder = "sha256 (default)"
	e.sigEncoding = newDropdown(e.w.win.Canvas, []string{"hex", "base64"}, func(string) { e.validate() })
	e.sigEncoding.PlaceHolder = "hex (default)"
	e.sigPrefix = widget.NewEntry()
	e.sigPrefix.SetPlaceHolder("e.g. sha256=")
	e.sigPrefix.OnChanged = func(string) { e.validate() }
	e.publicBaseURL = newCheckedEntry()
	e.publicBaseURL.SetPlaceHolder("https://abc.tunnel.example — the URL Twilio signed")
	e.publicBaseURL.OnChanged = func(string) { e.validate() }
	e.forward = widget.NewCheck("Forward each capture on /slug/action/… to that action's webhook (or to \"default\")", func(bool) { e.validate() })
	e.notify = newProjectNotifyChoice(e.w, func(string) { e.validate() })

	label := func(s string) *widget.Label { return widget.NewLabel(s) }
	headerLabel, algLabel, encLabel, prefixLabel, baseLabel := label("Signature header"), label("Algorithm"), label("Encoding"), label("Prefix"), label("Public base URL")
	headerField, algField, encField, prefixField, baseField := field("signature.header", e.sigHeader), container.NewVBox(e.sigAlgorithm, field("signature.algorithm", nil)),
		container.NewVBox(e.sigEncoding, field("signature.encoding", nil)), e.sigPrefix, field("signature.publicBaseURL", e.publicBaseURL)
	e.schemeRows = map[string][]fyne.CanvasObject{
		signature.SchemeHMAC:        {headerLabel, headerField, algLabel, algField, encLabel, encField, prefixLabel, prefixField},
		signature.SchemeHeaderToken: {headerLabel, headerField},
		signature.SchemeTwilio:      {baseLabel, baseField},
	}
	e.receive = newReceiveURLs(e)
	generalForm := container.New(layout.NewFormLayout(),
		label("Slug"), field("slug", e.slug),
		label("Receive at"), e.receive.besideSlug(),
		label("Name"), field("name", e.name),
		label("Description"), e.description,
		label("Secret"), e.secret,
		label("Signature scheme"), e.scheme,
		headerLabel, headerField,
		algLabel, algField,
		encLabel, encField,
		prefixLabel, prefixField,
		baseLabel, baseField,
		label("Forwarding"), e.forward,
		label("Notifications"), e.notify,
	)
	generalNote := noteLabel("Renaming the slug moves the project's captures and delivery history with it; senders must then use the new path.", widget.LowImportance)

	// Response.
	e.respStatus = newCheckedEntry()
	e.respStatus.SetPlaceHolder("0 = the receiver's default answer")
	e.respStatus.OnChanged = func(string) { e.validate() }
	e.respDelay = newCheckedEntry()
	e.respDelay.SetPlaceHolder(fmt.Sprintf("seconds, up to %g", store.MaxResponseDelay.Seconds()))
	e.respDelay.OnChanged = func(string) { e.validate() }
	e.respBody = widget.NewMultiLineEntry()
	e.respBody.TextStyle = fyne.TextStyle{Monospace: true}
	e.respBody.SetMinRowsVisible(8)
	e.respBody.SetPlaceHolder("empty: the receiver's default body")
	e.respBody.OnChanged = func(string) { e.validate() }
	e.respHeaders = e.w.newHeaderRows(headerRowsOptions{suggestions: responseHeaderSuggestions, onChanged: e.validate})
	responseForm := container.New(layout.NewFormLayout(),
		label("Status"), field("response.status", e.respStatus),
		label("Headers"), e.respHeaders,
		label("Body"), e.respBody,
		label("Delay"), field("response.delaySeconds", e.respDelay),
	)
	responseNote := noteLabel("What the receiver answers this project's captures with — to test a sender's retries (a 500) and timeouts (a delay).", widget.LowImportance)

	// Webhooks.
	e.applyURL = newCheckedEntry()
	e.applyURL.SetPlaceHolder("e.g. http://127.0.0.1:3000/webhooks")
	e.applyURLErr = newFieldError()
	e.applyHeaders = e.w.newHeaderRows(headerRowsOptions{suggestions: webhookHeaderSuggestions, masked: true, onChanged: e.validateApply})
	e.applyURL.OnChanged = func(string) { e.validateApply() }
	e.applyAll = widget.NewButtonWithIcon("Apply to all actions", theme.ContentCopyIcon(), e.onApplyAll)
	applyForm := container.NewVBox(
		container.New(layout.NewFormLayout(),
			label("URL"), container.NewVBox(e.applyURL, e.applyURLErr),
			label("Headers"), e.applyHeaders,
		),
		container.NewBorder(nil, nil, e.applyAll, nil, noteLabel("sets this URL and these headers on every webhook below; each keeps its log. Save to keep it.", widget.LowImportance)),
	)
	e.applyItem = widget.NewAccordion(widget.NewAccordionItem("One URL and header set for all actions", applyForm))
	if e.isNew {
		e.applyItem.Open(0)
	}
	e.rowsBox = container.NewVBox()
	e.noRows = noteLabel("No webhooks yet: add an action below.", widget.MediumImportance)
	e.addAction = e.w.suggestEntry(actionSuggestions)
	e.addAction.SetPlaceHolder("action, e.g. annotation")
	e.addAction.OnChanged = func(string) { showFieldError(e.addActionErr, nil, "") }
	e.addAction.OnSubmitted = func(string) { e.onAddAction() }
	e.addActionErr = newFieldError()
	e.addButton = widget.NewButtonWithIcon("Add action", theme.ContentAddIcon(), e.onAddAction)
	addRow := container.NewVBox(container.NewBorder(nil, nil, nil, e.addButton, e.addAction), e.addActionErr)
	hooksIntro := noteLabel("Where each action's webhook goes, with the headers it sends (an Authorization token, say) and the log of its last call and last error.", widget.LowImportance)

	e.general = container.NewTabItem("General", container.NewVScroll(container.NewVBox(generalForm, generalNote)))
	e.response = container.NewTabItem("Response", container.NewVScroll(container.NewVBox(responseNote, responseForm)))
	e.hooksScroll = container.NewVScroll(container.NewVBox(e.receive.object(), hooksIntro, e.applyItem, e.rowsBox, e.noRows, addRow))
	e.hooks = container.NewTabItem("Webhooks", e.hooksScroll)
	e.templates = newTemplateEditor(e.w.suggestEntry, e.collectOnly, e.validate)
	e.templTab = container.NewTabItem("Templates", container.NewVScroll(e.templates))
	e.tabs = container.NewAppTabs(e.general, e.response, e.hooks, e.templTab)
	if !e.isNew {
		e.tabs.Select(e.hooks)
	}

	e.summary = widget.NewLabel("")
	e.summary.Importance = widget.DangerImportance
	e.summary.Truncation = fyne.TextTruncateEllipsis
	e.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	e.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), e.onCancel)
	e.del = widget.NewButtonWithIcon("Delete project…", theme.DeleteIcon(), e.onDelete)
	e.del.Importance = widget.DangerImportance
	if e.isNew {
		e.del.Hide()
	}
	bottom := container.NewBorder(nil, nil, e.del, container.NewHBox(e.cancel, e.save), e.summary)
	e.heading = widget.NewLabelWithStyle(e.title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.content = container.NewBorder(e.heading, container.NewVBox(widget.NewSeparator(), bottom), nil, nil, e.tabs)
}

// setQuietly runs f, which sets widgets, without counting it as user input.
func (e *projectEditor) setQuietly(f func()) {
	was := e.quiet
	e.quiet = true
	f()
	e.quiet = was
}

func schemeOptions() []string {
	out := []string{detectScheme}
	for _, s := range signature.Schemes() {
		out = append(out, s.Title)
	}
	return out
}

func schemeName(title string) string {
	for _, s := range signature.Schemes() {
		if s.Title == title {
			return s.Name
		}
	}
	return ""
}

// load puts p in the form.
func (e *projectEditor) load(p store.Project) {
	e.setQuietly(func() {
		e.slug.SetText(p.Slug)
		e.name.SetText(p.Name)
		e.description.SetText(p.Description)
		e.secret.SetText(p.Secret)
		sel := detectScheme
		if p.Scheme != "" {
			sel = schemeTitle(p.Scheme)
		}
		e.scheme.SetSelected(sel)
		e.sigHeader.SetText(p.Signature.Header)
		e.sigAlgorithm.SetSelected(strings.ToLower(p.Signature.Algorithm))
		e.sigEncoding.SetSelected(strings.ToLower(p.Signature.Encoding))
		e.sigPrefix.SetText(p.Signature.Prefix)
		e.publicBaseURL.SetText(p.Signature.PublicBaseURL)
		e.forward.SetChecked(p.Forward)
		e.notify.SetSelected(projectNotifyLabel(p.Notify))

		if p.Response.Status != 0 {
			e.respStatus.SetText(strconv.Itoa(p.Response.Status))
		} else {
			e.respStatus.SetText("")
		}
		if p.Response.DelaySeconds != 0 {
			e.respDelay.SetText(strconv.FormatFloat(p.Response.DelaySeconds, 'f', -1, 64))
		} else {
			e.respDelay.SetText("")
		}
		e.respBody.SetText(p.Response.Body)
		names := make([]string, 0, len(p.Response.Headers))
		for n := range p.Response.Headers {
			names = append(names, n)
		}
		sort.Strings(names)
		fields := make([]store.HeaderField, len(names))
		for i, n := range names {
			fields[i] = store.HeaderField{Name: n, Value: p.Response.Headers[n]}
		}
		e.respHeaders.set(fields)

		e.rows = nil
		e.rowsBox.RemoveAll()
		for _, wh := range p.Webhooks {
			e.addRow(wh, !e.isNew)
		}
		e.templates.set(p.Templates)
	})
	e.onSchemeChanged()
}

func (e *projectEditor) onSchemeChanged() {
	name := schemeName(e.scheme.Selected)
	shown := map[fyne.CanvasObject]bool{}
	for _, o := range e.schemeRows[name] {
		shown[o] = true
	}
	for _, objs := range e.schemeRows {
		for _, o := range objs {
			if shown[o] {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	if name == signature.SchemeHeaderToken {
		e.sigHeader.SetPlaceHolder("Authorization (default)")
	} else {
		e.sigHeader.SetPlaceHolder("X-Signature (default)")
	}
	e.validate()
}

// addRow appends a webhook's row; stored rows keep their action, whose log
// the store carries over.
func (e *projectEditor) addRow(wh store.Webhook, stored bool) *webhookRow {
	r := newWebhookRow(e, wh, stored)
	e.rows = append(e.rows, r)
	e.rowsBox.Add(r.card)
	return r
}

func (e *projectEditor) removeRow(r *webhookRow) {
	e.rows = without(e.rows, r)
	e.rowsBox.Remove(r.card)
	e.validate()
}

// collect reads the form into a project. Besides the project it returns the
// errors of fields that do not even parse (a status that is not a number),
// keyed like projects.Validate's.
func (e *projectEditor) collect() (store.Project, map[string]string) {
	local := map[string]string{}
	p := e.orig
	p.Slug = e.slug.Text
	p.Name = e.name.Text
	p.Description = e.description.Text
	p.Secret = e.secret.Text
	p.Scheme = schemeName(e.scheme.Selected)
	p.Signature = store.SignatureOptions{
		Header:        strings.TrimSpace(e.sigHeader.Text),
		Algorithm:     e.sigAlgorithm.Selected,
		Encoding:      e.sigEncoding.Selected,
		Prefix:        e.sigPrefix.Text,
		PublicBaseURL: strings.TrimSpace(e.publicBaseURL.Text),
	}
	p.Forward = e.forward.Checked
	p.Notify = projectNotifyValue(e.notify.Selected)

	p.Response = store.ProjectResponse{Body: e.respBody.Text}
	if s := strings.TrimSpace(e.respStatus.Text); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			local["response.status"] = "status must be a whole number from 200 to 599 (or 0 for the default answer)"
		}
		p.Response.Status = n
	}
	if s := strings.TrimSpace(e.respDelay.Text); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			local["response.delaySeconds"] = "delay must be a number of seconds"
		}
		p.Response.DelaySeconds = v
	}
	fields, _ := e.respHeaders.fields()
	if len(fields) > 0 {
		p.Response.Headers = map[string]string{}
		for _, f := range fields {
			if _, dup := p.Response.Headers[f.Name]; dup {
				local["response.headers."+f.Name] = "header " + f.Name + " is given twice"
			}
			p.Response.Headers[f.Name] = f.Value
		}
	}

	p.Webhooks = make([]store.Webhook, len(e.rows))
	for i, r := range e.rows {
		p.Webhooks[i] = r.webhook()
	}
	var tlocal map[string]string
	p.Templates, tlocal = e.templates.templates()
	for k, v := range tlocal {
		local[k] = v
	}
	return p, local
}

// others are the stored projects other than the one edited.
func (e *projectEditor) others() []store.Project {
	out := make([]store.Project, 0, len(e.all))
	for _, o := range e.all {
		if e.isNew || o.Slug != e.origSlug {
			out = append(out, o)
		}
	}
	return out
}

// validate checks the form as it stands and shows each error beside its
// field; Save is enabled only when there is none. projects.Validate is
// pure and fast, so this runs on every change.
func (e *projectEditor) validate() {
	if e.save == nil || e.loading {
		return // still building
	}
	p, local := e.collect()
	errs := projects.Validate(p, e.others(), e.w.listenAddr())
	if errs == nil {
		errs = projects.FieldErrors{}
	}
	for k, v := range local {
		errs[k] = v
	}
	e.errs = errs
	e.receive.refresh()
	// A new, untouched form is not yet wrong: keep Save off but show no
	// errors until the user has changed something.
	if e.isNew {
		if e.blank == nil {
			e.blank = &p
		}
		if reflect.DeepEqual(p, *e.blank) && len(errs) > 0 {
			e.save.Disable()
			return
		}
	}
	shown := map[string]bool{}

	for path, l := range e.fieldErrs {
		showFieldError(l, e.fieldEntries[path], errs[path])
		if errs[path] != "" && e.fieldVisible(path) {
			shown[path] = true
		}
	}
	e.respHeaders.showErrors(func(j int, f store.HeaderField) string {
		path := "response.headers." + f.Name
		if errs[path] != "" {
			shown[path] = true
		}
		return errs[path]
	})
	for i, r := range e.rows {
		r.showErrors(i, errs, shown)
	}
	e.templates.showErrors(errs, shown)

	var unshown []string
	for path, msg := range errs {
		if !shown[path] {
			unshown = append(unshown, path+": "+msg)
		}
	}
	sort.Strings(unshown)
	switch {
	case len(errs) == 0:
		e.summary.SetText("")
	case len(unshown) > 0:
		e.summary.SetText(strings.Join(unshown, "; "))
	case len(errs) == 1:
		e.summary.SetText("1 field to fix before saving")
	default:
		e.summary.SetText(fmt.Sprintf("%d fields to fix before saving", len(errs)))
	}
	e.setTabTitle(e.general, "General", errs.In(projects.General))
	e.setTabTitle(e.templTab, "Templates", errs.In(projects.Templates))
	e.setTabTitle(e.response, "Response", errs.In(projects.Response))
	e.setTabTitle(e.hooks, "Webhooks", errs.In(projects.Webhooks))

	if len(errs) > 0 || e.busy {
		e.save.Disable()
	} else {
		e.save.Enable()
	}
	if len(e.rows) == 0 {
		e.noRows.Show()
	} else {
		e.noRows.Hide()
	}
	dirty := e.dirty(p)
	for _, r := range e.rows {
		r.refreshSend(len(errs) == 0 && !e.busy, dirty)
		// The project's own templates as typed; one removed or renamed
		// under the row's choice gives way to the action's default.
		if choices := templateChoices(p, r.action); !slices.Equal(r.template.Options, choices) {
			r.template.Options = choices
			if !slices.Contains(choices, r.template.Selected) {
				r.template.SetSelected(delivery.DefaultTemplate(r.action))
			}
			r.template.Refresh()
		}
	}
	e.validateApply()
}

// fieldVisible reports whether the field of a fixed path is on screen: the
// scheme options are hidden for other schemes.
func (e *projectEditor) fieldVisible(path string) bool {
	if !strings.HasPrefix(path, "signature.") {
		return true
	}
	l := e.fieldErrs[path]
	for _, objs := range e.schemeRows {
		for _, o := range objs {
			if c, ok := o.(*fyne.Container); ok && o.Visible() && containsObject(c, l) {
				return true
			}
		}
	}
	return false
}

func containsObject(c *fyne.Container, target fyne.CanvasObject) bool {
	for _, o := range c.Objects {
		if o == target {
			return true
		}
		if sub, ok := o.(*fyne.Container); ok && containsObject(sub, target) {
			return true
		}
	}
	return false
}

// setTabTitle shows on a tab how many of its fields are to fix.
func (e *projectEditor) setTabTitle(item *container.TabItem, name string, n int) {
	text := name
	if n > 0 {
		text = fmt.Sprintf("%s (%d to fix)", name, n)
	}
	if item.Text != text {
		item.Text = text
		e.tabs.Refresh()
	}
}

// dirty reports whether the form differs from the stored project.
func (e *projectEditor) dirty(p store.Project) bool {
	if e.isNew {
		return true
	}
	return editableJSON(p) != editableJSON(e.orig)
}

// editableJSON is the part of a project the form edits, for comparison.
func editableJSON(p store.Project) string {
	p.PreviousSecrets = nil
	if len(p.Response.Headers) == 0 {
		p.Response.Headers = nil
	}
	hooks := make([]store.Webhook, len(p.Webhooks))
	for i, w := range p.Webhooks {
		w.UpdatedAt, w.LastCall, w.LastError = time.Time{}, nil, nil
		if len(w.Headers) == 0 {
			w.Headers = nil
		}
		hooks[i] = w
	}
	p.Webhooks = hooks
	if len(p.Webhooks) == 0 {
		p.Webhooks = nil
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// validateApply checks the "all actions" URL and headers with the rules of a
// webhook, and enables Apply when they pass.
func (e *projectEditor) validateApply() {
	if e.applyAll == nil {
		return
	}
	url := strings.TrimSpace(e.applyURL.Text)
	fields, _ := e.applyHeaders.fields()
	errs := projects.ValidateWebhook(store.Webhook{URL: url, Headers: fields}, e.w.listenAddr())
	showFieldError(e.applyURLErr, e.applyURL, errs["url"])
	e.applyHeaders.showErrors(func(j int, _ store.HeaderField) string { return headerError(errs, "", j) })
	if len(errs) > 0 || (url == "" && len(fields) == 0) || len(e.rows) == 0 {
		e.applyAll.Disable()
	} else {
		e.applyAll.Enable()
	}
}

func headerError(errs map[string]string, at string, j int) string {
	var msgs []string
	for _, part := range []string{"name", "value"} {
		if m := errs[fmt.Sprintf("%sheaders[%d].%s", at, j, part)]; m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "; ")
}

// onApplyAll sets one URL and header set on every webhook, keeping each
// log, as Isahit Lab's setup_webhook does when given only a project.
func (e *projectEditor) onApplyAll() {
	url := strings.TrimSpace(e.applyURL.Text)
	fields, _ := e.applyHeaders.fields()
	for _, r := range e.rows {
		if url != "" {
			r.url.SetText(url)
		}
		r.headers.set(fields)
	}
	e.validate()
	e.w.flash(fmt.Sprintf("Applied to %d actions; Save to keep it", len(e.rows)))
}

func (e *projectEditor) onAddAction() {
	action := strings.TrimSpace(e.addAction.Text)
	p, _ := e.collect()
	p.Webhooks = append(p.Webhooks, store.Webhook{Action: action})
	errs := projects.Validate(p, nil, "")
	if msg := errs[fmt.Sprintf("webhooks[%d].action", len(p.Webhooks)-1)]; msg != "" {
		showFieldError(e.addActionErr, nil, msg)
		return
	}
	e.addRow(store.Webhook{Action: action}, false)
	e.addAction.SetText("")
	e.validate()
}

// onSave stores the project (renaming it first when its slug changed) and
// closes the editor.
func (e *projectEditor) onSave() {
	e.persist(func(saved store.Project) {
		e.w.flash("Saved project " + projectTitle(saved))
		e.close()
	})
}

// onCancel closes the editor, asking first when the form holds edits.
func (e *projectEditor) onCancel() {
	p := e.collectOnly()
	untouched := e.isNew && (e.blank == nil || reflect.DeepEqual(p, *e.blank))
	if untouched || (!e.isNew && !e.dirty(p)) {
		e.close()
		return
	}
	d := dialog.NewConfirm("Discard your changes?", "The edits to "+e.title()+" are not saved.", func(discard bool) {
		if discard {
			e.close()
		}
	}, e.w.win)
	d.SetConfirmText("Discard")
	d.SetDismissText("Keep editing")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (e *projectEditor) onDelete() {
	e.w.confirmDeleteProject(e.orig, e.close)
}

func (e *projectEditor) setBusy(b bool) {
	e.busy = b
	e.validate()
}

// persist saves the form through the projects book in the background (a
// changed slug renames the project in the same transaction); then runs with
// the project as stored.
func (e *projectEditor) persist(then func(store.Project)) {
	p, _ := e.collect()
	if len(e.errs) > 0 || e.busy {
		return
	}
	from := e.origSlug
	if e.isNew {
		from = ""
	}
	book, addr := e.w.srv.Projects(), e.w.listenAddr()
	e.setBusy(true)
	background(e.w, func() (store.Project, error) {
		return book.Save(from, p, addr)
	}, func(saved store.Project, err error) {
		e.setBusy(false)
		if err != nil {
			e.showStoreError(err)
			return
		}
		e.orig, e.origSlug, e.isNew = saved, saved.Slug, false
		e.del.Show()
		e.heading.SetText(e.title())
		for _, r := range e.rows {
			r.stored = true
			r.refreshAction()
		}
		e.applyLog(saved)
		e.validate()
		e.w.side.reload()
		then(saved)
	})
}

// showStoreError shows why the save was refused; field errors are listed
// by field, as projects.Validate names them.
func (e *projectEditor) showStoreError(err error) {
	var invalid projects.FieldErrors
	if errors.As(err, &invalid) {
		paths := make([]string, 0, len(invalid))
		for p := range invalid {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		lines := make([]string, len(paths))
		for i, p := range paths {
			lines[i] = "• " + p + ": " + invalid[p]
		}
		dialog.ShowError(errors.New("The project was not saved:\n"+strings.Join(lines, "\n")), e.w.win)
		return
	}
	dialog.ShowError(err, e.w.win)
}

// reloadLog reads the stored project and shows each webhook's log, leaving
// the form's edits alone.
func (e *projectEditor) reloadLog() {
	if e.isNew {
		return
	}
	slug := e.origSlug
	background(e.w, func() (store.Project, error) { return e.w.st.Project(slug) }, func(p store.Project, err error) {
		if err != nil || slug != e.origSlug {
			return
		}
		e.applyLog(p)
	})
}

// applyLog shows the log of p's webhooks on the rows of the same action.
func (e *projectEditor) applyLog(p store.Project) {
	for _, r := range e.rows {
		wh, _ := p.Webhook(r.action)
		r.setLog(wh)
	}
}

func (e *projectEditor) close() {
	if e.popup != nil {
		e.popup.Hide()
	}
	e.onClosed()
}

func (e *projectEditor) onClosed() {
	if projectEditors[e.w] == e {
		delete(projectEditors, e.w)
	}
}

// slugify proposes a slug for a project name.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > store.MaxSlugLen {
		s = strings.TrimRight(s[:store.MaxSlugLen], "-")
	}
	return s
}

// webhookRow is one action's webhook: its settings on the left, its log and
// test sending on the right.
type webhookRow struct {
	e      *projectEditor
	action string
	// stored says the action is in the stored project: its log is kept by
	// action, so the action is fixed; remove the row to drop it.
	stored bool

	actionLabel    *widget.Label
	actionErr      *widget.Label
	url            *widget.Entry
	urlErr         *widget.Label
	lastURL        string
	enabled        *widget.Check
	enabledTouched bool
	headers        *headerRows
	remove         *widget.Button

	log        store.Webhook
	lastCall   *widget.Label
	lastError  *widget.Label
	updated    *widget.Label
	errBody    *fyne.Container
	bodyShown  string
	template   *dropdown
	records    *widget.Entry
	send       *widget.Button
	sending    bool
	historyBtn *widget.Button
	buttons    *fyne.Container
	status     *widget.Label
	history    []store.Attempt
	card       *widget.Card
}

func newWebhookRow(e *projectEditor, wh store.Webhook, stored bool) *webhookRow {
	r := &webhookRow{e: e, action: wh.Action, stored: stored, lastURL: wh.URL}
	r.actionLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.actionErr = newFieldError()
	r.url = newCheckedEntry()
	r.url.SetPlaceHolder("e.g. http://127.0.0.1:3000/" + wh.Action)
	r.url.SetText(wh.URL)
	r.url.OnChanged = r.onURLChanged
	r.urlErr = newFieldError()
	r.enabled = widget.NewCheck("Enabled", func(bool) {
		if !e.quiet {
			r.enabledTouched = true
		}
		e.validate()
	})
	e.setQuietly(func() { r.enabled.SetChecked(wh.Enabled) })
	r.headers = e.w.newHeaderRows(headerRowsOptions{suggestions: webhookHeaderSuggestions, masked: true, onChanged: e.validate})
	r.headers.set(wh.Headers)
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { e.removeRow(r) })
	r.remove.Importance = widget.LowImportance

	r.lastCall = widget.NewLabel("")
	r.lastCall.Wrapping = fyne.TextWrapWord
	r.lastError = widget.NewLabel("")
	r.lastError.Wrapping = fyne.TextWrapWord
	r.updated = widget.NewLabel("")
	r.updated.Importance = widget.LowImportance
	r.errBody = container.NewStack()
	r.errBody.Hide()

	names := templateChoices(e.orig, wh.Action)
	r.template = newDropdown(e.w.win.Canvas, names, nil)
	r.template.SetSelected(delivery.DefaultTemplate(wh.Action))
	r.records = newCheckedEntry()
	r.records.SetText("1")
	r.records.OnChanged = func(string) { e.validate() }
	r.send = widget.NewButtonWithIcon("Send test event", theme.MailSendIcon(), r.onSend)
	r.historyBtn = widget.NewButtonWithIcon("History", theme.HistoryIcon(), r.onHistory)
	r.status = widget.NewLabel("")
	r.status.Wrapping = fyne.TextWrapWord

	left := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("URL"), nil, r.url),
		r.urlErr,
		widget.NewLabel("Headers"),
		r.headers,
	)
	logForm := container.New(layout.NewFormLayout(),
		widget.NewLabelWithStyle("Last call", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), r.lastCall,
		widget.NewLabelWithStyle("Last error", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), r.lastError,
	)
	r.buttons = container.NewHBox(r.send, r.historyBtn)
	templateRow := container.NewBorder(nil, nil, widget.NewLabel("Template"), container.NewHBox(widget.NewLabel("records"), fixedWidth(r.records, 72)), r.template)
	right := container.NewVBox(logForm, r.errBody, r.updated, templateRow, r.buttons, r.status)
	head := container.NewBorder(nil, nil, container.NewHBox(r.actionLabel, r.enabled), r.remove)
	r.card = widget.NewCard("", "", container.NewVBox(head, r.actionErr, container.NewGridWithColumns(2, left, right)))
	r.refreshAction()
	r.setLog(wh)
	return r
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

func (e *projectEditor) collectOnly() store.Project {
	p, _ := e.collect()
	return p
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

// onHistory shows the webhook's last deliveries.
func (r *webhookRow) onHistory() {
	r.loadHistory(func() {
		w := r.e.w
		list := widget.NewList(
			func() int { return len(r.history) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("2006-01-02 15:04:05  200 OK in 12 ms")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				if i < len(r.history) {
					o.(*widget.Label).SetText(deliveryLine(r.history[i]))
				}
			})
		var content fyne.CanvasObject = list
		if len(r.history) == 0 {
			content = widget.NewLabel("No deliveries yet.")
		}
		d := dialog.NewCustom("Deliveries to "+r.action, "Close", content, w.win)
		d.Resize(fyne.NewSize(760, 420))
		d.Show()
	})
}

// loadHistory reads the webhook's last deliveries in the background.
func (r *webhookRow) loadHistory(then func()) {
	w := r.e.w
	slug, action := r.e.origSlug, r.action
	background(w, func() ([]store.Attempt, error) { return w.st.Deliveries(slug, action, historySize) }, func(as []store.Attempt, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		r.history = as
		if then != nil {
			then()
		}
	})
}

func deliveryLine(a store.Attempt) string {
	what := "test event"
	if a.CaptureID != 0 {
		what = "capture " + a.CaptureID.String()
	}
	return fmt.Sprintf("%s  %s  (%s → %s)", a.At.Local().Format(logTimeFormat), a.Outcome(), what, a.Request.URL)
}
