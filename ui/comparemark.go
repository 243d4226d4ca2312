package ui

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// rowTap is what a click on a list row does. The row takes the click itself,
// rather than leaving it to the list's item around it, to know the modifier
// keys held: Fyne's Tapped event carries none, its desktop.MouseEvent does.
type rowTap struct {
	mod fyne.KeyModifier // held when the button went down
	on  func(row int, mod fyne.KeyModifier)
}

// MouseDown notes the modifiers held for the tap that follows.
func (r *captureRow) MouseDown(e *desktop.MouseEvent) { r.tap.mod = e.Modifier }

// MouseUp is part of desktop.Mouseable; the tap that follows acts.
func (r *captureRow) MouseUp(*desktop.MouseEvent) {}

// Tapped selects the row, or with Ctrl (Cmd on macOS) held marks it for
// Compare.
func (r *captureRow) Tapped(*fyne.PointEvent) {
	mod := r.tap.mod
	r.tap.mod = 0
	if r.tap.on != nil && r.row >= 0 {
		r.tap.on(r.row, mod)
	}
}

// setMarked tints the row when it is marked for Compare, in the colour of
// a selected row: the two captures compared then read as a selection of two.
func (r *captureRow) setMarked(on bool) {
	c := color.Color(color.Transparent)
	if on {
		c = theme.Color(theme.ColorNameSelection)
	}
	if r.marked.FillColor != c {
		r.marked.FillColor = c
		r.marked.Refresh()
	}
}

// compareModifiers are the keys that, held on a click, mark a second
// capture: Ctrl, and Cmd on macOS.
const compareModifiers = fyne.KeyModifierControl | fyne.KeyModifierSuper

// tapRow acts on a click on a row: a plain one selects it, as the list's
// own item would (taking the keyboard for the list); one with Ctrl or Cmd
// marks it for Compare beside the selected capture.
func (l *captureList) tapRow(row int, mod fyne.KeyModifier) {
	if row < 0 || row >= l.ids.Len() {
		return
	}
	if mod&compareModifiers != 0 && l.selected != 0 {
		l.toggleMark(l.idAt(row))
		return
	}
	if c := l.w.win.Canvas(); c.Focused() != l.list {
		c.Focus(l.list)
	}
	l.list.Select(row)
}

// toggleMark marks id for Compare, or unmarks it when it is marked. The
// selected capture cannot be its own partner.
func (l *captureList) toggleMark(id store.ID) {
	switch id {
	case l.selected:
		return
	case l.marked:
		l.marked = 0
	default:
		l.marked = id
	}
	l.list.Refresh()
	l.w.detail.syncCompareAction()
	if l.marked != 0 {
		l.w.flash(markedMessage)
	} else {
		l.w.top.unflash(markedMessage)
	}
}

// markedMessage is what the status line says while a capture is marked.
const markedMessage = "Marked for Compare: Compare (Ctrl+D) shows it beside the selected capture"

// clearMark unmarks the capture marked for Compare; it reports whether one
// was.
func (l *captureList) clearMark() bool {
	if l.marked == 0 {
		return false
	}
	l.marked = 0
	l.list.Refresh()
	l.w.detail.syncCompareAction()
	l.w.top.unflash(markedMessage)
	return true
}

// dropMarkIfGone unmarks a capture no longer listed (deleted, pruned, or
// left out by a filter).
func (l *captureList) dropMarkIfGone() {
	if l.marked != 0 && l.rowOf(l.marked) < 0 {
		l.clearMark()
	}
}

// compareMarked compares the selected capture with the one marked. The
// mark has done its work once the view opens: the status line stops
// offering Compare, and closing the view unmarks the capture (if it is
// still the one marked).
func (w *Window) compareMarked() {
	a, b := w.list.selected, w.list.marked
	if a == 0 || b == 0 || a == b {
		w.flash("Ctrl+click a second capture in the list to compare it with the selected one")
		return
	}
	w.top.unflash(markedMessage)
	w.compareCapturesThen(a, b, func() {
		if w.list.marked == b {
			w.list.clearMark()
		}
	})
}

// syncCompareAction shows the Compare button in the detail's actions while
// a second capture is marked, first in the row so it stays in view.
func (d *detailPanel) syncCompareAction() {
	want := d.w.list.marked != 0 && d.w.list.marked != d.shown
	has := slices.Contains(d.actions.Objects, fyne.CanvasObject(d.compare))
	switch {
	case want && !has:
		d.actions.Objects = slices.Insert(d.actions.Objects, 0, fyne.CanvasObject(d.compare))
	case !want && has:
		d.actions.Objects = slices.DeleteFunc(d.actions.Objects, func(o fyne.CanvasObject) bool { return o == d.compare })
	default:
		return
	}
	d.actions.Refresh()
}

// newCompareButton is the Compare action, shown while a capture is marked.
func (w *Window) newCompareButton() *widget.Button {
	return widget.NewButtonWithIcon("Compare", theme.ViewRestoreIcon(), w.compareMarked)
}
