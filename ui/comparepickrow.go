package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hookscope/render"
	"hookscope/store"
)

// gistRunes is how long a body's gist in the picker is at most; the row
// cuts it further to its width.
const gistRunes = 120

// pickRow is a capture the picker offers, with what tells it from others of
// its path: its body's gist.
type pickRow struct {
	store.Summary
	gist string
}

// bodyGist reads a capture's body for its gist; "" when it cannot be read
// (the row then says what the summary knows). It reads the store: call it
// off the UI goroutine.
func (w *Window) bodyGist(id store.ID) string {
	c, err := w.st.Get(id)
	if err != nil {
		return ""
	}
	return render.Gist(c.Body, c.Header, gistRunes)
}

// newPickRow is a row of the picker: the request line, project and age,
// then what tells same-path events apart, each line cut to the row's width.
func newPickRow() fyne.CanvasObject {
	line := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	return container.NewVBox(line("POST /isahit/review · Isahit · 12s ago"),
		line("Dec 1 14:03:12 · 1.2 KB · unsigned · type: review, id: t-1"))
}

func (p *comparePicker) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(p.found) {
		return
	}
	r := p.found[i]
	lines := o.(*fyne.Container).Objects
	lines[0].(*widget.Label).SetText(r.Method + " " + r.URI() + " · " + projectName(p.w, r.Project) + " · " + relativeTime(time.Since(r.ReceivedAt)))
	lines[1].(*widget.Label).SetText(pickDetails(r))
}

// pickDetails is the row's second line: the time received to the second,
// the body's size, the signature check and the body's gist.
func pickDetails(r pickRow) string {
	sig := signatureLook(r.SignatureStatus).text
	if sig == "" {
		sig = "signature not checked"
	}
	s := r.ReceivedAt.Local().Format("Jan 2 15:04:05") + " · " + humanSize(r.Size) + " · " + sig
	if r.gist != "" {
		s += " · " + r.gist
	}
	return s
}
