package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Kinds of dialog that open at most once at a time: their shortcut or menu
// item, used again while one is open, leaves it as it is.
const (
	dialogSettings   = "settings"
	dialogReplay     = "replay"
	dialogBulkReplay = "bulk-replay"
	dialogExport     = "export"
	dialogImport     = "import"
	dialogClear      = "clear"
	dialogProject    = "project"
)

// openDialog is a dialog on show over the window.
type openDialog struct {
	kind string
	// overlay is what the dialog put on the canvas's overlay stack; the
	// dialog is open while it is there.
	overlay fyne.CanvasObject
	// cancel is what Escape does: the dialog's Cancel (or Close) button.
	cancel func()
	// value is the dialog's own state, for the code that shows it again
	// (Settings' form).
	value any
}

// dialogs are the dialogs open over one window, oldest first.
type dialogs struct {
	open []*openDialog
}

// showDialog shows d over the window and tracks it as kind ("" for a dialog
// that may open more than once). Escape runs cancel, or d.Dismiss when
// cancel is nil: a confirmation's callback hears false, as from its Cancel
// button.
func (w *Window) showDialog(kind string, d dialog.Dialog, cancel func()) *openDialog {
	if cancel == nil {
		cancel = d.Dismiss
	}
	d.Show()
	return w.trackOverlay(kind, cancel)
}

// trackOverlay tracks the overlay just shown (a modal pop-up that is not a
// Fyne dialog, such as the project editor) as kind.
func (w *Window) trackOverlay(kind string, cancel func()) *openDialog {
	o := &openDialog{kind: kind, overlay: w.win.Canvas().Overlays().Top(), cancel: cancel}
	w.dialogs.open = append(w.dialogs.open, o)
	return o
}

// dialogOf returns the open dialog of kind, or nil.
func (w *Window) dialogOf(kind string) *openDialog {
	w.pruneDialogs()
	for _, o := range w.dialogs.open {
		if o.kind == kind {
			return o
		}
	}
	return nil
}

// once runs open unless a dialog of kind is open already: a shortcut
// pressed again over its own dialog opens no second copy.
func (w *Window) once(kind string, open func()) func() {
	return func() {
		if w.dialogOf(kind) == nil {
			open()
		}
	}
}

// pruneDialogs forgets dialogs whose overlay left the canvas, however they
// closed (a button, Escape, Hide from code).
func (w *Window) pruneDialogs() {
	shown := w.win.Canvas().Overlays().List()
	w.dialogs.open = slices.DeleteFunc(w.dialogs.open, func(o *openDialog) bool {
		return !slices.Contains(shown, o.overlay)
	})
}

// escape closes the topmost dialog as its Cancel button would, and reports
// whether there was one. An overlay shown without showDialog (an error
// message, a dropdown's menu) is hidden: it has no Cancel to run.
func (w *Window) escape() bool {
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	w.pruneDialogs()
	for _, o := range slices.Backward(w.dialogs.open) {
		if o.overlay == top {
			o.cancel()
			return true
		}
	}
	if p, ok := top.(*widget.PopUp); ok {
		p.Hide()
	} else {
		w.win.Canvas().Overlays().Remove(top)
	}
	return true
}

// escEntry is an entry that hands Escape to the window: Fyne gives every key
// to the focused widget, and an Entry ignores Escape, so a dialog whose
// field has the focus would never hear it.
type escEntry struct {
	widget.Entry
	onEscape func() bool
}

// newEscEntry is widget.NewEntry passing Escape to onEscape.
func newEscEntry(onEscape func() bool) *escEntry {
	e := &escEntry{onEscape: onEscape}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey passes Escape on, and every other key to the entry.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) { passKey(k, e.onEscape, e.Entry.TypedKey) }

// newEscMultiLineEntry is widget.NewMultiLineEntry passing Escape to
// onEscape: a multi-line entry has no use for Escape either.
func newEscMultiLineEntry(onEscape func() bool) *escEntry {
	e := &escEntry{onEscape: onEscape}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// escSelectEntry is a widget.SelectEntry handing Escape to the window, as
// escEntry does.
type escSelectEntry struct {
	widget.SelectEntry
	onEscape func() bool
	// options are set when the entry is first drawn, as NewSelectEntry
	// does: setting them builds the list button, which would keep an entry
	// never shown alive for the canvas keeper.
	options []string
}

// newEscSelectEntry is widget.NewSelectEntry passing Escape to onEscape.
func newEscSelectEntry(options []string, onEscape func() bool) *escSelectEntry {
	e := &escSelectEntry{onEscape: onEscape, options: options}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// CreateRenderer draws the entry with its options.
func (e *escSelectEntry) CreateRenderer() fyne.WidgetRenderer {
	r := e.SelectEntry.CreateRenderer()
	e.SelectEntry.SetOptions(e.options)
	return r
}

// SetOptions replaces the options offered.
func (e *escSelectEntry) SetOptions(options []string) {
	e.options = options
	e.SelectEntry.SetOptions(options)
}

// TypedKey passes Escape on, and every other key to the entry.
func (e *escSelectEntry) TypedKey(k *fyne.KeyEvent) { passKey(k, e.onEscape, e.SelectEntry.TypedKey) }
