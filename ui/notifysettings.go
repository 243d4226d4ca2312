package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hookscope/notify"
)

// Choice labels, as the dropdowns show them.
const (
	choiceAllLabel      = "Every capture"
	choiceProblemsLabel = "Only problems"
	choiceOffLabel      = "Off"
	choiceDefaultLabel  = "Default (from Settings)"
)

func notifyChoiceLabel(c notify.Choice) string {
	switch c {
	case notify.All:
		return choiceAllLabel
	case notify.Problems:
		return choiceProblemsLabel
	case notify.Off:
		return choiceOffLabel
	}
	return choiceDefaultLabel
}

func notifyChoiceOf(label string) notify.Choice {
	switch label {
	case choiceAllLabel:
		return notify.All
	case choiceProblemsLabel:
		return notify.Problems
	case choiceOffLabel:
		return notify.Off
	}
	return notify.Default
}

// notifySettings is the notifications part of the Settings dialog.
type notifySettings struct {
	def, unsorted *dropdown
	closeToTray   *escCheck
	// noTray says why closing cannot hide the window (hidden when it can).
	noTray *widget.Label
	test   *widget.Button
	// status says whether notifications work: "notifications unavailable:
	// …" once the bus said no daemon answers.
	status *widget.Label
}

func (w *Window) newNotifySettings() *notifySettings {
	opts := []string{choiceAllLabel, choiceProblemsLabel, choiceOffLabel}
	p := w.app.Preferences()
	f := &notifySettings{
		def:         newDropdown(w.win.Canvas, opts, nil),
		unsorted:    newDropdown(w.win.Canvas, opts, nil),
		closeToTray: newEscCheck("Closing the window keeps the receiver running in the tray", nil, w.escape),
		noTray:      widget.NewLabel(""),
		status:      widget.NewLabel(""),
	}
	f.def.SetSelected(notifyChoiceLabel(notify.Choice(p.StringWithFallback(prefNotifyDefault, string(defaultNotifyChoice)))))
	f.unsorted.SetSelected(notifyChoiceLabel(notify.Choice(p.StringWithFallback(prefNotifyUnsorted, string(defaultUnsortedChoice)))))
	f.closeToTray.SetChecked(p.BoolWithFallback(prefCloseToTray, true))
	// Without a tray host closing quits whatever the setting: say so
	// rather than offer a choice that does nothing.
	if why := w.tray.noCloseToTray(); why != "" {
		f.closeToTray.Disable()
		f.noTray.SetText(why)
	} else {
		f.noTray.Hide()
	}
	f.status.Wrapping = fyne.TextWrapWord
	f.status.SetText(w.notes.sender.status())
	f.test = widget.NewButton("Send a test notification", func() {
		f.status.SetText("Sending…")
		w.notes.sender.whenSent(func() { w.do(func() { f.status.SetText(orWorks(w.notes.sender.status())) }) })
		w.sendTestNotification()
	})
	return f
}

func orWorks(status string) string {
	if status == "" {
		return "the notification went to the desktop"
	}
	return status
}

// items are the dialog's rows for notifications and the tray.
func (f *notifySettings) items() []*widget.FormItem {
	def := widget.NewFormItem("Notify (projects)", f.def)
	def.HintText = "A project's own choice, in its editor, wins"
	return []*widget.FormItem{
		def,
		widget.NewFormItem("Notify (Unsorted)", f.unsorted),
		widget.NewFormItem("", container.NewVBox(f.closeToTray, f.noTray, container.NewHBox(f.test), f.status)),
	}
}

func (w *Window) saveNotifySettings(f *notifySettings) {
	p := w.app.Preferences()
	p.SetString(prefNotifyDefault, string(notifyChoiceOf(f.def.Selected)))
	p.SetString(prefNotifyUnsorted, string(notifyChoiceOf(f.unsorted.Selected)))
	p.SetBool(prefCloseToTray, f.closeToTray.Checked)
}

// newProjectNotifyChoice is the project editor's dropdown of its
// notification choice; projectNotify reads a project's value into it and
// back.
func newProjectNotifyChoice(w *Window, changed func(string)) *dropdown {
	return newDropdown(w.win.Canvas, []string{choiceDefaultLabel, choiceAllLabel, choiceProblemsLabel, choiceOffLabel}, changed)
}

func projectNotifyLabel(v string) string { return notifyChoiceLabel(notify.Choice(v)) }

func projectNotifyValue(label string) string { return string(notifyChoiceOf(label)) }
