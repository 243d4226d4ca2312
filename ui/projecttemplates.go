package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// customTemplateJSON starts a template that overrides no built-in one.
const customTemplateJSON = `{
  "event": "{{action}}",
  "id": "{{id}}",
  "project": "{{project}}",
  "sentAt": "{{now}}"
}`

// templateEditor is the Templates tab of the project editor: the project's
// own sample events for "Send test event". A template named like a built-in
// one ("integration") replaces it for every action, "name/action" for one
// action only; any other name is a template of its own.
type templateEditor struct {
	widget.BaseWidget
	// project is the form as it stands: a new template starts from what
	// that project would send.
	project   func() store.Project
	onChanged func()
	onEscape  func() bool

	rowList[*templateRow]
	none    *widget.Label
	add     *escSelectEntry
	addErr  *widget.Label
	content fyne.CanvasObject
}

type templateRow struct {
	name   *escEntry
	text   *escEntry
	err    *widget.Label
	remove *widget.Button
	box    *fyne.Container
}

func newTemplateEditor(newEntry func([]string) *escSelectEntry, onEscape func() bool, project func() store.Project, onChanged func()) *templateEditor {
	t := &templateEditor{project: project, onChanged: onChanged, onEscape: onEscape}
	t.rowsBox = container.NewVBox()
	t.none = noteLabel("No templates of this project's own: Send test event uses the built-in ones.", widget.MediumImportance)
	var suggestions []string
	for _, b := range delivery.Templates() {
		suggestions = append(suggestions, b.Name)
		for _, a := range b.Actions {
			suggestions = append(suggestions, b.Name+"/"+a)
		}
	}
	t.add = newEntry(suggestions)
	t.add.SetPlaceHolder("name, e.g. integration or integration/modified")
	t.add.OnChanged = func(string) { showFieldError(t.addErr, nil, "") }
	t.add.OnSubmitted = func(string) { t.onAdd() }
	t.addErr = newFieldError()
	addButton := widget.NewButtonWithIcon("Add template", theme.ContentAddIcon(), t.onAdd)

	var ph strings.Builder
	for _, p := range delivery.Placeholders {
		fmt.Fprintf(&ph, "{{%s}} %s\n", p.Name, p.Meaning)
	}
	placeholders := widget.NewLabel(strings.TrimSpace(ph.String()))
	placeholders.Wrapping = fyne.TextWrapWord
	placeholders.Importance = widget.LowImportance
	intro := noteLabel("Sample events Send test event uses. Name one like a built-in template to replace it (\"integration\" for every action, \"integration/modified\" for one), or give it a name of its own. Strings may hold placeholders.", widget.LowImportance)
	t.content = container.NewVBox(intro, widget.NewAccordion(widget.NewAccordionItem("Placeholders", placeholders)), t.rowsBox, t.none,
		container.NewVBox(container.NewBorder(nil, nil, nil, addButton, t.add), t.addErr))
	t.ExtendBaseWidget(t)
	return t
}

func (t *templateEditor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.content)
}

// set shows templates, by name.
func (t *templateEditor) set(templates map[string]string) {
	t.clearRows()
	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.addRow(n, templates[n])
	}
	t.refreshNone()
}

func (t *templateEditor) addRow(name, text string) *templateRow {
	r := &templateRow{name: newEscEntry(t.onEscape), text: newEscMultiLineEntry(t.onEscape), err: newFieldError()}
	r.text.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	r.name.SetText(name)
	r.name.OnChanged = func(string) { t.onChanged() }
	r.text.TextStyle = fyne.TextStyle{Monospace: true}
	r.text.SetText(text)
	growWithText(r.text, 10, func(string) { t.onChanged() })
	r.remove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { t.removeRow(r) })
	r.box = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Name"), r.remove, r.name),
		r.text, r.err, widget.NewSeparator())
	t.appendRow(r, r.box)
	return r
}

func (t *templateEditor) removeRow(r *templateRow) {
	t.dropRow(r, r.box)
	t.refreshNone()
	t.onChanged()
}

func (t *templateEditor) refreshNone() { setVisible(t.none, len(t.rows) == 0) }

// onAdd adds a template named as typed, starting from the JSON the project
// sends for that name now (the built-in one for a built-in name).
func (t *templateEditor) onAdd() {
	name := strings.TrimSpace(t.add.Text)
	if name == "" {
		showFieldError(t.addErr, nil, "name the template first: a built-in name replaces that template")
		return
	}
	for _, r := range t.rows {
		if strings.TrimSpace(r.name.Text) == name {
			showFieldError(t.addErr, nil, "the project already has a template "+name)
			return
		}
	}
	base, action, _ := strings.Cut(name, "/")
	text, err := delivery.TemplateJSON(t.project(), base, action)
	if err != nil {
		text = customTemplateJSON
	}
	t.addRow(name, text)
	t.add.SetText("")
	t.refreshNone()
	t.onChanged()
}

// templates are the rows as a project's Templates, with the errors only
// the form can see (a name given twice).
func (t *templateEditor) templates() (map[string]string, map[string]string) {
	local := map[string]string{}
	if len(t.rows) == 0 {
		return nil, local
	}
	out := make(map[string]string, len(t.rows))
	for _, r := range t.rows {
		name := strings.TrimSpace(r.name.Text)
		if _, dup := out[name]; dup && name != "" {
			local["templates."+name] = "the template " + name + " is given twice"
		}
		out[name] = r.text.Text
	}
	return out, local
}

// showErrors puts each template's error under it and marks it shown.
func (t *templateEditor) showErrors(errs map[string]string, shown map[string]bool) {
	for _, r := range t.rows {
		path := "templates." + strings.TrimSpace(r.name.Text)
		if strings.TrimSpace(r.name.Text) == "" {
			path = "templates"
		}
		showFieldError(r.err, nil, errs[path])
		if errs[path] != "" {
			shown[path] = true
		}
	}
}
