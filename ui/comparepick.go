package ui

import (
	"errors"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/query"
	"hookscope/store"
)

// dialogComparePick is the "Compare with…" picker's kind: one at a time.
const dialogComparePick = "compare-pick"

// pickLimit is how many recent captures the picker lists from the shown
// capture's project, and again from every project.
const pickLimit = 50

// comparePicker lists recent captures to compare the shown one with, its
// project's first, narrowed by a query in the search field's syntax.
type comparePicker struct {
	w       *Window
	c       *store.Capture
	entry   *escEntry
	message *widget.Label
	list    *escList
	found   []pickRow
	gen     int
	typing  *time.Timer
	dlg     dialog.Dialog
}

// compareWithShown opens the picker for the capture in the detail.
func (w *Window) compareWithShown() {
	c := w.detail.capture
	if c == nil {
		w.flash("Select a capture to compare it with another")
		return
	}
	w.once(dialogComparePick, func() { w.showComparePicker(c) })()
}

func (w *Window) showComparePicker(c *store.Capture) *comparePicker {
	p := &comparePicker{w: w, c: c}
	p.entry = newEscEntry(w.escape)
	p.entry.SetPlaceHolder("Search, or fields: body.type:review …")
	p.entry.OnChanged = func(string) { p.schedule() }
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.list = newEscList(func() int { return len(p.found) }, newPickRow, p.updateRow, w.escape)
	p.list.OnSelected = p.pick
	head := widget.NewLabel("Compare " + c.Method + " " + c.URI() + " with:")
	head.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(head, p.entry, p.message)
	p.dlg = dialog.NewCustom("Compare with…", "Cancel", container.NewBorder(top, nil, nil, nil, p.list), w.win)
	p.dlg.SetOnClosed(func() {
		if p.typing != nil {
			p.typing.Stop()
		}
	})
	p.dlg.Resize(fyne.NewSize(min(760, w.win.Canvas().Size().Width*0.9), min(540, w.win.Canvas().Size().Height*0.85)))
	w.showDialog(dialogComparePick, p.dlg, nil).value = p
	w.win.Canvas().Focus(p.entry)
	p.search()
	return p
}

func (p *comparePicker) schedule() {
	if p.typing != nil {
		p.typing.Stop()
	}
	p.typing = time.AfterFunc(searchDelay, func() { p.w.do(p.search) })
}

// search reads the captures matching the field's query in the background;
// a query that does not parse is said under the field, the list kept.
func (p *comparePicker) search() {
	q, err := query.Parse(p.entry.Text, time.Local)
	if err != nil {
		msg := err.Error()
		var syntax *query.Error
		if errors.As(err, &syntax) {
			msg = syntaxMessage(syntax)
		}
		p.message.Importance = widget.DangerImportance
		p.message.SetText(msg)
		return
	}
	if q.Empty() {
		q = nil
	}
	p.gen++
	gen, c := p.gen, p.c
	background(p.w, func() ([]pickRow, error) { return p.w.pickCandidates(c, q) }, func(found []pickRow, err error) {
		if gen != p.gen {
			return
		}
		p.message.Importance = widget.MediumImportance
		switch {
		case err != nil:
			p.message.Importance = widget.DangerImportance
			p.message.SetText("Could not read captures: " + err.Error())
		case len(found) == 0:
			p.message.SetText("No other capture matches.")
		default:
			p.message.SetText("Newest first, " + projectName(p.w, c.Project) + "'s first. Click one to compare.")
		}
		p.found = found
		p.list.UnselectAll()
		p.list.Refresh()
	})
}

// pickCandidates reads the newest captures matching q, those of c's project
// first, c left out, each with its body's gist.
func (w *Window) pickCandidates(c *store.Capture, q *query.Query) ([]pickRow, error) {
	project := c.Project
	if project == "" {
		project = store.Unsorted
	}
	own, _, err := w.st.List(store.Filter{Project: project, Query: q}, 0, pickLimit)
	if err != nil {
		return nil, err
	}
	all, _, err := w.st.List(store.Filter{Query: q}, 0, pickLimit)
	if err != nil {
		return nil, err
	}
	out := make([]pickRow, 0, len(own)+len(all))
	for _, s := range append(own, all...) {
		if s.ID != c.ID && !slices.ContainsFunc(out, func(o pickRow) bool { return o.ID == s.ID }) {
			out = append(out, pickRow{Summary: s, gist: w.bodyGist(s.ID)})
		}
	}
	return out, nil
}

// pick compares the shown capture with the one clicked.
func (p *comparePicker) pick(i widget.ListItemID) {
	if i < 0 || i >= len(p.found) {
		return
	}
	p.dlg.Hide()
	p.w.compareCaptures(p.c.ID, p.found[i].ID)
}
