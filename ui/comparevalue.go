package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/diff"
)

// valueDetail shows a body change's two values whole under the list of
// changes, where a row cuts them to its width: two long values that differ
// near their end read alike in the row.
type valueDetail struct {
	name   *widget.Label
	values [2]*widget.Label
	box    *fyne.Container // name, values and copy buttons
	scroll *container.Scroll
	// around is the body's box of list and detail, laid out again when
	// the detail shows.
	around *fyne.Container
}

func (p *comparePane) newValueDetail() *valueDetail {
	d := &valueDetail{name: sectionTitle("")}
	d.name.Wrapping = fyne.TextWrapBreak
	var cols [2]fyne.CanvasObject
	for i, side := range []string{"left", "right"} {
		d.values[i] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		d.values[i].Wrapping = fyne.TextWrapBreak
		v := d.values[i]
		cp := p.w.newCopyButton("Copy "+side, func() string {
			p.w.app.Clipboard().SetContent(v.Text)
			return "Copied the " + side + " value"
		})
		cols[i] = container.NewBorder(nil, nil, nil, cp, v)
	}
	d.box = container.NewVBox(d.name, container.New(changeColumns{}, layout.NewSpacer(), layout.NewSpacer(), cols[0], cols[1]))
	d.scroll = container.NewVScroll(d.box)
	d.scroll.Hide()
	return d
}

// show puts change c's values in the detail, whole.
func (d *valueDetail) show(c diff.BodyChange) {
	a, b := changeSides(c)
	d.name.SetText(c.Path)
	d.values[0].SetText(a)
	d.values[1].SetText(b)
	d.scroll.Show()
	d.scroll.ScrollToTop()
	if d.around != nil {
		d.around.Refresh()
	}
}

// diffLead is how many runes before their first difference a row shows of
// two long values: enough to tell where in the value it is.
const diffLead = 16

// aroundFirstDiff cuts the start of two values that agree on a long prefix
// so that the row, which ends a value in "…" at its width, shows where they
// first differ; values that part early are left whole.
func aroundFirstDiff(a, b string) (string, string) {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if i <= diffLead {
		return a, b
	}
	cut := i - diffLead
	return "…" + string(ra[cut:]), "…" + string(rb[cut:])
}

// listOverDetail lays the body's list of changes (objects[0]) over the
// detail of the one clicked (objects[1], a scroll): the detail gets the
// height its values need, up to half the body, the list the rest.
type listOverDetail struct {
	detail *valueDetail
}

func (l listOverDetail) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(0)
	if l.detail.scroll.Visible() {
		h = min(l.detail.box.MinSize().Height, size.Height/2)
	}
	listH := max(0, size.Height-h)
	if h > 0 {
		listH = max(0, listH-theme.Padding())
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, listH))
	objs[1].Move(fyne.NewPos(0, size.Height-h))
	objs[1].Resize(fyne.NewSize(size.Width, h))
}

func (l listOverDetail) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[0].MinSize()
}
