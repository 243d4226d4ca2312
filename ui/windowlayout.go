package ui

import (
	"fyne.io/fyne/v2"
)

// minContentSize is the smallest the window's content gets, and so (Fyne
// sizes a window no smaller than its content's minimum) the smallest the
// window gets: with the window's padding (4 px a side) and the menu bar
// (28 px) the window fits a 900×600 screen area. At this size every control
// is reachable: the top bar takes two lines, the detail's actions that do
// not fit are in its More menu and its tabs in theirs, and both split
// dividers still move.
var minContentSize = fyne.NewSize(884, 560)

// windowLayout stacks the window's bands: the top bar, whose height depends
// on the width it is given (it wraps onto two lines when narrow), the
// Public URL bar when there is one, the panels, and the status line. The
// toasts float over the bottom of the panels, where they cover neither the
// search field nor the status line.
type windowLayout struct {
	top       fyne.CanvasObject
	topHeight func(width float32) float32
	public    fyne.CanvasObject // nil without a Public URL
	panels    fyne.CanvasObject
	status    fyne.CanvasObject
	toasts    fyne.CanvasObject
}

// objects are the layout's objects in drawing order: the toasts last, on top.
func (l *windowLayout) objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{l.top}
	if l.public != nil {
		objs = append(objs, l.public)
	}
	return append(objs, l.panels, l.status, l.toasts)
}

func (l *windowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	band := func(o fyne.CanvasObject, h float32) {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
	band(l.top, l.topHeight(size.Width))
	if l.public != nil {
		band(l.public, l.public.MinSize().Height)
	}
	statusH := l.status.MinSize().Height
	panelsTop := y
	band(l.panels, max(size.Height-y-statusH, 0))
	band(l.status, statusH)
	l.toasts.Move(fyne.NewPos(0, panelsTop))
	l.toasts.Resize(fyne.NewSize(size.Width, l.panels.Size().Height))
}

// MinSize is minContentSize, or more where a band needs it: the top bar as
// it is on two lines.
func (l *windowLayout) MinSize(_ []fyne.CanvasObject) fyne.Size {
	w := l.top.MinSize().Width
	h := l.topHeight(minContentSize.Width)
	for _, o := range []fyne.CanvasObject{l.public, l.panels, l.status} {
		if o == nil {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height
	}
	return fyne.NewSize(max(w, minContentSize.Width), max(h, minContentSize.Height))
}
