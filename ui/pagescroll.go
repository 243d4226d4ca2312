package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// pageScroll is a vertical scroll for a page of form fields whose mouse
// wheel moves the page wherever the pointer is.
//
// Fyne sends a wheel event to the innermost scrollable object under the
// pointer, and every Entry holds one: since Fyne 2.7 a single-line entry
// clips and scrolls its text (TextTruncateClip is the default), a
// multi-line one scrolls its lines. Over a field, the page stood still and
// the wheel scrolled the field's text instead, sideways when it was wider
// — the page moved only over the gaps between fields. Fyne discussed the
// same trap for nested scrollers in fyne-io/fyne#1939
// (https://github.com/fyne-io/fyne/issues/1939). So a transparent layer
// lies over the page and takes the wheel for it, passing the event on as
// the driver gave it: the steps are those of every other scroll. Taps,
// drags, hover and keys reach the fields below, as the layer handles none
// of them. Multi-line entries on such a page grow with their text
// (growWithText), so no field hides lines that only its own wheel reached.
type pageScroll struct {
	widget.BaseWidget
	scroll *container.Scroll
	wheel  *wheelLayer
}

func newPageScroll(content fyne.CanvasObject) *pageScroll {
	p := &pageScroll{scroll: container.NewVScroll(content)}
	p.wheel = &wheelLayer{target: p.scroll}
	p.wheel.ExtendBaseWidget(p.wheel)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer is part of fyne.Widget.
func (p *pageScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(p.scroll, p.wheel))
}

// reveal scrolls the page so that o, somewhere in its content, is in view:
// its bottom edge, or its top when it is taller than the page.
func (p *pageScroll) reveal(o fyne.CanvasObject) {
	p.scroll.Refresh() // lay out what was just added
	top, ok := offsetIn(p.scroll.Content, o)
	if !ok {
		return
	}
	view := p.scroll.Size().Height
	y := p.scroll.Offset.Y
	switch bottom := top + o.Size().Height; {
	case top < y || o.Size().Height > view:
		y = top
	case bottom > y+view:
		y = bottom - view
	}
	y = max(0, min(y, p.scroll.Content.Size().Height-view))
	p.scroll.ScrollToOffset(fyne.NewPos(p.scroll.Offset.X, y))
}

// offsetIn is how far below the top of root o lies, when o is root or in
// root's containers.
func offsetIn(root, o fyne.CanvasObject) (float32, bool) {
	if root == o {
		return 0, true
	}
	c, ok := root.(*fyne.Container)
	if !ok {
		return 0, false
	}
	for _, child := range c.Objects {
		if y, ok := offsetIn(child, o); ok {
			return child.Position().Y + y, true
		}
	}
	return 0, false
}

// wheelLayer passes the wheel events over a page to the page's scroll.
type wheelLayer struct {
	widget.BaseWidget
	target fyne.Scrollable
}

// Scrolled is part of fyne.Scrollable.
func (l *wheelLayer) Scrolled(ev *fyne.ScrollEvent) { l.target.Scrolled(ev) }

// CreateRenderer is part of fyne.Widget: the layer draws nothing.
func (l *wheelLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// growWithText makes a multi-line entry show all its lines, at least
// minRows, and runs changed after each edit: on a pageScroll the wheel
// scrolls the page, never the entry.
func growWithText(en *escEntry, minRows int, changed func(string)) {
	rows := 0
	fit := func(text string) {
		if n := max(minRows, strings.Count(text, "\n")+1); n != rows {
			rows = n
			en.SetMinRowsVisible(n)
		}
	}
	fit(en.Text)
	en.OnChanged = func(s string) {
		fit(s)
		if changed != nil {
			changed(s)
		}
	}
}
