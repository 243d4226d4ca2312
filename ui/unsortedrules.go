package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects/rules"
)

// unsortedRulesDialog edits the rules that answer captures of no project,
// with the same form as a project's Rules tab.
type unsortedRulesDialog struct {
	w       *Window
	ed      *rulesEditor
	summary *widget.Label
	save    *widget.Button
	popup   *widget.PopUp
}

// showUnsortedRules opens Unsorted's rules over the window.
func (w *Window) showUnsortedRules() {
	background(w, w.srv.Projects().UnsortedRules, func(rs []rules.Rule, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.openUnsortedRules(rs)
	})
}

func (w *Window) openUnsortedRules(rs []rules.Rule) *unsortedRulesDialog {
	d := &unsortedRulesDialog{w: w}
	d.ed = newRulesEditor(w, d.validate)
	d.summary = newFieldError()
	d.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), d.onSave)
	d.save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.popup.Hide() })
	heading := widget.NewLabelWithStyle("Rules for Unsorted — captures of no project", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bottom := container.NewVBox(widget.NewSeparator(), d.summary, container.NewHBox(layout.NewSpacer(), cancel, d.save))
	d.ed.load("", true, rs)
	d.popup = widget.NewModalPopUp(container.NewPadded(container.NewBorder(heading, bottom, nil, nil, d.ed.page)), w.win.Canvas())
	d.popup.Resize(editorSize)
	d.popup.Show()
	d.validate()
	return d
}

func (d *unsortedRulesDialog) validate() {
	rs, local := d.ed.rules()
	errs := rules.Validate(rs)
	if errs == nil {
		errs = map[string]string{}
	}
	for k, v := range local {
		errs[k] = v
	}
	shown := map[string]bool{}
	d.ed.showErrors(errs, shown)
	if len(errs) > 0 {
		d.summary.SetText("Fix the marked fields before saving.")
		d.summary.Show()
		d.save.Disable()
		return
	}
	d.summary.Hide()
	d.save.Enable()
}

func (d *unsortedRulesDialog) onSave() {
	rs, _ := d.ed.rules()
	d.save.Disable()
	background(d.w, func() (struct{}, error) { return struct{}{}, d.w.srv.Projects().SaveUnsortedRules(rs) }, func(_ struct{}, err error) {
		d.save.Enable()
		if err != nil {
			dialog.ShowError(err, d.w.win)
			return
		}
		d.popup.Hide()
		d.w.flash("Saved Unsorted's rules")
	})
}
