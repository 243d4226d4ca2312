package ui

import (
	"fmt"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects"
	"hookscope/store"
)

// editorSize is the project editor dialog's size over the main window.
var editorSize = fyne.NewSize(1000, 720)

// projectEditor is the form of one project: general settings, the answer its
// captures get, its Webhooks page — a URL, switch and headers per action
// with the log of the last call and last error beside them, as the
// platforms' Integration/Webhooks sections show it — and its templates.
// Each page's widgets are a struct of their own, embedded so the form reads
// and checks them as one.
type projectEditor struct {
	w *Window
	editorState
	generalPage
	responsePage
	webhooksPage
	// templates is the Templates tab: the project's own sample events.
	templates *templateEditor
	rules     *rulesEditor
	editorFrame
}

// editorState is what the editor knows besides its widgets, and the flags
// that tell the form's own changes from the user's.
type editorState struct {
	// orig is the project as stored when the editor opened or last saved:
	// Cancel returns to it, and it keeps what the form does not edit
	// (previous secrets).
	orig     store.Project
	origSlug string
	// isNew says orig is not stored yet: Save creates it.
	isNew bool
	// blank is a new project's form as first built: until it changes, the
	// form shows no errors.
	blank *store.Project
	// all are the stored projects, for the duplicate-slug check; nil until
	// they are read.
	all []store.Project
	// errs are the form's errors as last checked, by field path.
	errs map[string]string
	// busy is set while a save runs: Save and Send wait for it.
	busy bool
	// loading is set while the form is first filled: a half-filled form is
	// not checked.
	loading bool
	// quiet is set while the editor sets widgets itself, so their
	// OnChanged handlers do not take it for the user's input.
	quiet bool
	// slugTouched says the slug is the user's (typed, or stored): the name
	// no longer proposes one.
	slugTouched bool
}

// editorFrame is what surrounds the pages: the heading, the tabs, the
// buttons and the summary of errors, and the error label of every field
// with a fixed path.
type editorFrame struct {
	popup                              *widget.PopUp
	heading                            *widget.Label
	tabs                               *container.AppTabs
	general, response, hooks, templTab *container.TabItem
	rulesTab                           *container.TabItem
	summary                            *widget.Label
	save, cancel, del                  *widget.Button
	content                            fyne.CanvasObject
	// fieldErrs are the labels of the fields with a fixed path ("slug",
	// "signature.header", "response.status", …); fieldEntries their entries.
	fieldErrs    map[string]*widget.Label
	fieldEntries map[string]*escEntry
}

func newProjectEditor(w *Window, p store.Project, isNew bool) *projectEditor {
	e := &projectEditor{w: w, editorState: editorState{orig: p, origSlug: p.Slug, isNew: isNew, slugTouched: !isNew || p.Slug != ""}}
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

// showProjectEditor opens the editor as a modal dialog over the main window.
// isNew says p is not stored yet (Save creates it).
func (w *Window) showProjectEditor(p store.Project, isNew bool) {
	if old := w.editor; old != nil {
		old.close()
	}
	e := newProjectEditor(w, p, isNew)
	w.editor = e
	e.popup = widget.NewModalPopUp(container.NewPadded(e.content), w.win.Canvas())
	e.popup.Resize(editorSize)
	e.popup.Show()
	w.trackOverlay(dialogProject, e.onCancel)
	if isNew {
		w.win.Canvas().Focus(e.name)
	}
}

// buildUI builds the pages, the tabs that hold them and the buttons below.
func (e *projectEditor) buildUI() {
	e.fieldErrs = map[string]*widget.Label{}
	e.fieldEntries = map[string]*escEntry{}
	e.general = container.NewTabItem("General", e.buildGeneral())
	e.response = container.NewTabItem("Response", e.buildResponse())
	e.hooks = container.NewTabItem("Webhooks", e.buildWebhooks())
	e.templates = newTemplateEditor(e.w.suggestEntry, e.w.escape, e.collectOnly, e.validate)
	e.templTab = container.NewTabItem("Templates", newPageScroll(e.templates))
	e.rules = newRulesEditor(e.w, e.validate)
	e.rulesTab = container.NewTabItem("Rules", e.rules.page)
	e.tabs = container.NewAppTabs(e.general, e.response, e.rulesTab, e.hooks, e.templTab)
	if !e.isNew {
		e.tabs.Select(e.hooks)
	}
	e.heading = widget.NewLabelWithStyle(e.title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.content = container.NewBorder(e.heading, container.NewVBox(widget.NewSeparator(), e.buildFooter()), nil, nil, e.tabs)
}

// buildFooter is the row under the tabs: Delete, the errors left to fix,
// Cancel and Save.
func (e *projectEditor) buildFooter() fyne.CanvasObject {
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
	return container.NewBorder(nil, nil, e.del, container.NewHBox(e.cancel, e.save), e.summary)
}

// field registers the error label of the field at path (and its entry, when
// it has one) and returns the entry with its label below.
func (e *projectEditor) field(path string, en *escEntry) fyne.CanvasObject {
	l := newFieldError()
	e.fieldErrs[path] = l
	if en == nil {
		return l
	}
	e.fieldEntries[path] = en
	return container.NewVBox(en, l)
}

// steadyField is field with a line kept for the error even while there is
// none: for a field checked as each letter is typed (the slug), whose
// error comes and goes under the user's cursor and moved the form below.
func (e *projectEditor) steadyField(path string, en *escEntry) fyne.CanvasObject {
	l := newFieldError()
	e.fieldErrs[path], e.fieldEntries[path] = l, en
	return container.NewVBox(en, minHeight(l, widget.NewLabel("x").MinSize().Height))
}

// checkedEntry is an entry that marks its error and checks the form on
// every change.
func (e *projectEditor) checkedEntry(placeholder string) *escEntry {
	en := newCheckedEntry(e.w.escape)
	en.SetPlaceHolder(placeholder)
	en.OnChanged = func(string) { e.validate() }
	return en
}

// load puts p in the form.
func (e *projectEditor) load(p store.Project) {
	e.setQuietly(func() {
		e.loadGeneral(p)
		e.loadResponse(p.Response)
		e.loadWebhooks(p.Webhooks)
		e.templates.set(p.Templates)
		rs, _ := projects.RulesOf(p) // stored rules passed projects.Validate
		e.rules.load(p.Slug, !e.isNew, rs)
	})
	e.onSchemeChanged()
}

// setQuietly runs f, which sets widgets, without counting it as user input.
func (e *projectEditor) setQuietly(f func()) {
	was := e.quiet
	e.quiet = true
	f()
	e.quiet = was
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
	if e.w.editor == e {
		e.w.editor = nil
	}
}
