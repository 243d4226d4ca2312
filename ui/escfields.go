package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// More widgets that hand Escape to the window (see escEntry): Fyne gives
// every key to the focused widget, and a password entry, a list or a table
// ignores Escape, so a dialog whose list or secret field has the focus
// would never hear it.

// passKey hands k to onEscape when it is Escape, and to the widget's own
// handler typed when it is not or onEscape left it (no dialog is open).
func passKey(k *fyne.KeyEvent, onEscape func() bool, typed func(*fyne.KeyEvent)) {
	if k.Name == fyne.KeyEscape && onEscape != nil && onEscape() {
		return
	}
	typed(k)
}

// newEscPasswordEntry is widget.NewPasswordEntry passing Escape to
// onEscape. Fyne adds the reveal button when the entry is first drawn, as
// for any entry whose Password is set.
func newEscPasswordEntry(onEscape func() bool) *escEntry {
	e := &escEntry{onEscape: onEscape}
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// escList is a widget.List handing Escape to the window.
type escList struct {
	widget.List
	onEscape func() bool
}

// newEscList is widget.NewList passing Escape to onEscape.
func newEscList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), onEscape func() bool) *escList {
	l := &escList{onEscape: onEscape}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey passes Escape on, and every other key to the list.
func (l *escList) TypedKey(k *fyne.KeyEvent) { passKey(k, l.onEscape, l.List.TypedKey) }

// escTable is a widget.Table handing Escape to the window.
type escTable struct {
	widget.Table
	onEscape func() bool
}

// newEscTable is widget.NewTable passing Escape to onEscape.
func newEscTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject), onEscape func() bool) *escTable {
	t := &escTable{onEscape: onEscape}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey passes Escape on, and every other key to the table.
func (t *escTable) TypedKey(k *fyne.KeyEvent) { passKey(k, t.onEscape, t.Table.TypedKey) }

// escCheck is a widget.Check handing Escape to the window: a check takes
// the keyboard focus when it is clicked, and with it every key.
type escCheck struct {
	widget.Check
	onEscape func() bool
}

// newEscCheck is widget.NewCheck passing Escape to onEscape.
func newEscCheck(label string, changed func(bool), onEscape func() bool) *escCheck {
	c := &escCheck{onEscape: onEscape}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Escape on, and every other key to the check.
func (c *escCheck) TypedKey(k *fyne.KeyEvent) { passKey(k, c.onEscape, c.Check.TypedKey) }
