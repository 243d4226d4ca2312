package ui

import (
	"errors"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// The pieces the editors' forms are made of: an error label under a field,
// an entry that shows its validation error, and sizing wrappers.

// newFieldError is the label that shows a field's error under it, hidden
// while there is none.
func newFieldError() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showFieldError shows msg under a field (and marks its entry), or hides it.
func showFieldError(l *widget.Label, entry *escEntry, msg string) {
	if l != nil && l.Text != msg {
		l.SetText(msg)
	}
	if l != nil {
		if msg == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
	if entry != nil {
		if msg == "" {
			entry.SetValidationError(nil)
		} else {
			entry.SetValidationError(errors.New(msg))
		}
	}
}

// setVisible shows or hides o.
func setVisible(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// newCheckedEntry is an entry that shows its validation error even before
// it is first focused: the form marks fields as the user types elsewhere.
// Escape goes to onEscape, as in every dialog's field.
func newCheckedEntry(onEscape func() bool) *escEntry {
	en := newEscEntry(onEscape)
	en.AlwaysShowValidationError = true
	return en
}

// fixedWidth gives o a minimum width, for entries in a row of buttons.
func fixedWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(width, 0))
	return container.NewStack(r, o)
}

// minHeight gives o a minimum height, for scrolling content in a VBox.
func minHeight(o fyne.CanvasObject, height float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, height))
	return container.NewStack(r, o)
}

// rowList is a form's rows and the box that shows them, each row by its
// own object: adding, removing and clearing keep the two in step.
type rowList[R comparable] struct {
	rows    []R
	rowsBox *fyne.Container
}

func (l *rowList[R]) appendRow(r R, o fyne.CanvasObject) {
	l.rows = append(l.rows, r)
	l.rowsBox.Add(o)
}

func (l *rowList[R]) dropRow(r R, o fyne.CanvasObject) {
	l.rows = without(l.rows, r)
	l.rowsBox.Remove(o)
}

func (l *rowList[R]) clearRows() {
	l.rows = nil
	l.rowsBox.RemoveAll()
}

// without is rows less row, in a new slice: the old one may still be ranged
// over by the caller that asked for the removal.
func without[T comparable](rows []T, row T) []T {
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		if r != row {
			out = append(out, r)
		}
	}
	return out
}
