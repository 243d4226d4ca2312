package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newOverflowRow lays out controls in a row, in order, as many as fit its
// width; those that do not are hidden and offered in the menu of a More
// button at the row's end, which shows only then. A row that kept every
// control held the detail, and so the split, to its full width: the list's
// paths went to "…" and the divider could not be dragged. Buttons and
// checks are offered as menu items; the controls are the container's
// objects, More last.
func newOverflowRow(canvas func() fyne.Canvas, controls ...fyne.CanvasObject) *fyne.Container {
	return newOverflowRowAligned(canvas, false, controls...)
}

// newOverflowRowAligned is newOverflowRow, its controls at the row's end
// when toEnd.
func newOverflowRowAligned(canvas func() fyne.Canvas, toEnd bool, controls ...fyne.CanvasObject) *fyne.Container {
	l := &overflowLayout{toEnd: toEnd}
	l.more = &moreButton{canvas: canvas, items: l.menuItems}
	l.more.Icon = theme.MoreHorizontalIcon()
	l.more.ExtendBaseWidget(l.more)
	return container.New(l, append(controls, l.more)...)
}

// moreButton opens the menu of the controls that did not fit, below itself.
type moreButton struct {
	widget.Button
	canvas func() fyne.Canvas
	items  func() []*fyne.MenuItem
}

// Tapped opens the menu where the tap says the button is: asking the driver
// where an object is fails when Fyne has lost track of its canvas (see
// dropdown).
func (b *moreButton) Tapped(e *fyne.PointEvent) {
	origin := e.AbsolutePosition.Subtract(e.Position)
	menu := fyne.NewMenu("", b.items()...)
	widget.ShowPopUpMenuAtPosition(menu, b.canvas(), origin.Add(fyne.NewPos(0, b.Size().Height)))
}

// overflowLayout is newOverflowRow's layout. Every control is either laid
// out or hidden by it: controls the row's owner hides itself would be
// shown again.
type overflowLayout struct {
	more   *moreButton
	toEnd  bool                // the controls sit at the row's end
	hidden []fyne.CanvasObject // the controls in the More menu
}

func (l *overflowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	controls := objs[:len(objs)-1]
	pad := theme.Padding()
	fits := len(controls)
	if rowWidth(controls, pad) > size.Width {
		room := size.Width - l.more.MinSize().Width - pad
		fits = 0
		for fits < len(controls) && rowWidth(controls[:fits+1], pad) <= room {
			fits++
		}
	}
	l.hidden = controls[fits:]
	x := float32(0)
	if l.toEnd {
		used := rowWidth(controls[:fits], pad)
		if len(l.hidden) > 0 {
			used += pad + l.more.MinSize().Width
		}
		x = size.Width - used
	}
	for _, o := range controls[:fits] {
		o.Show()
		m := o.MinSize()
		o.Move(fyne.NewPos(x, (size.Height-m.Height)/2))
		o.Resize(fyne.NewSize(m.Width, m.Height))
		x += m.Width + pad
	}
	for _, o := range l.hidden {
		o.Hide()
	}
	if len(l.hidden) == 0 {
		l.more.Hide()
		return
	}
	l.more.Show()
	m := l.more.MinSize()
	l.more.Move(fyne.NewPos(x, (size.Height-m.Height)/2))
	l.more.Resize(m)
}

// rowWidth is the width of objs side by side, pad apart.
func rowWidth(objs []fyne.CanvasObject, pad float32) float32 {
	w := float32(0)
	for i, o := range objs {
		if i > 0 {
			w += pad
		}
		w += o.MinSize().Width
	}
	return w
}

// MinSize is the More button's: every control can go into its menu.
func (l *overflowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.more.MinSize().Width, h)
}

// menuItems are the hidden controls as menu items.
func (l *overflowLayout) menuItems() []*fyne.MenuItem {
	var items []*fyne.MenuItem
	for _, o := range l.hidden {
		if item := menuItemFor(o); item != nil {
			items = append(items, item)
		}
	}
	return items
}

// menuItemFor offers a button or a check as a menu item: a button's label
// and icon, a check's label with its tick.
func menuItemFor(o fyne.CanvasObject) *fyne.MenuItem {
	switch c := o.(type) {
	case *widget.Button:
		item := fyne.NewMenuItem(c.Text, c.OnTapped)
		item.Icon, item.Disabled = c.Icon, c.Disabled()
		return item
	case *copyButton:
		item := fyne.NewMenuItem(c.label, c.tapped)
		item.Icon, item.Disabled = c.icon, c.Disabled()
		return item
	case *widget.Check:
		item := fyne.NewMenuItem(c.Text, func() { c.SetChecked(!c.Checked) })
		item.Checked, item.Disabled = c.Checked, c.Disabled()
		return item
	}
	return nil
}
