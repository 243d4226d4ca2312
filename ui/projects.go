package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"hookscope/delivery"
	"hookscope/projects"
	"hookscope/store"
)

// The project editor's checks and saving: reading the form into a project,
// checking it and showing the errors, and writing it to the store. The
// editor's dialog is in projecteditor.go, its pages in projectgeneral.go,
// projectresponse.go, projectwebhooks.go and projecttemplates.go.

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
	rs, rlocal := e.rules.rules()
	projects.SetRules(&p, rs)
	maps.Copy(local, tlocal)
	maps.Copy(local, rlocal)
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
	e.rules.showErrors(errs, shown)

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
	e.setTabTitle(e.rulesTab, "Rules", errs.In(projects.Rules))
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
		lines := invalid.Lines()
		for i, l := range lines {
			lines[i] = "• " + l
		}
		dialog.ShowError(errors.New("The project was not saved:\n"+strings.Join(lines, "\n")), e.w.win)
		return
	}
	dialog.ShowError(err, e.w.win)
}

func (e *projectEditor) collectOnly() store.Project {
	p, _ := e.collect()
	return p
}
