package ui

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/render"
	"hookscope/store"
)

// replayAttemptView shows what an attempt got — status, the answer's body
// (rendered as capture bodies are) and headers — and the request it sent.
func (w *Window) replayAttemptView(a store.Attempt) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(a.Outcome(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = fyne.TextWrapWord
	head.Importance = widget.SuccessImportance
	if !a.OK() {
		head.Importance = widget.DangerImportance
	}
	meta := widget.NewLabel(fmt.Sprintf("%s %s · %s · sent %s · took %s", a.Request.Method, a.Request.URL, sentHow(a),
		a.At.Local().Format("2006-01-02 15:04:05"), a.Duration.Round(100*time.Microsecond)))
	meta.Wrapping = fyne.TextWrapWord // breaking anywhere split "3.1ms" into "3.1m" and "s"
	top := container.NewVBox(head, meta)

	body := container.NewStack(widget.NewLabel("Rendering…"))
	if a.StatusCode == 0 {
		body.Objects = []fyne.CanvasObject{widget.NewLabel("No answer.")}
	} else {
		opt := render.Options{Pretty: true, Dark: w.dark()}
		background(w, func() (renderedBody, error) { return renderBody(a.ResponseBody, a.ResponseHeader, opt), nil }, func(rb renderedBody, _ error) {
			obj := w.bodyObject(rb, nil)
			if a.ResponseTruncated {
				obj = container.NewBorder(noteLabel(fmt.Sprintf("The answer was longer; its first %s were kept.", humanSize(len(a.ResponseBody))), widget.WarningImportance), nil, nil, nil, obj)
			}
			body.Objects = []fyne.CanvasObject{obj}
			body.Refresh()
		})
	}
	tabs := container.NewAppTabs(
		container.NewTabItem("Response body", body),
		container.NewTabItem("Response headers", w.copyableFields(headerFields(a.ResponseHeader))),
		container.NewTabItem("Request sent", newTextGrid(textGridRows(plainLines(replaySentText(a.Request))))),
	)
	return container.NewBorder(top, nil, nil, nil, tabs)
}

// replaySentText writes a sent request as an HTTP/1.1 message.
func replaySentText(r store.SentRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL)
	writeHeaders(&b, r.Header)
	b.WriteString("\n")
	if !utf8.Valid(r.Body) || bytes.IndexByte(r.Body, 0) >= 0 {
		fmt.Fprintf(&b, "[%s of binary body]", humanSize(len(r.Body)))
	} else {
		b.Write(r.Body)
	}
	return b.String()
}

// replaysPane is the Replays tab of one capture: its attempts, newest
// first, the one selected, and two compared.
type replaysPane struct {
	w        *Window
	c        *store.Capture
	attempts []store.Attempt
	picked   []store.ID // at most two, for Compare
	selected store.ID
	list     *widget.List
	info     *widget.Label
	compare  *widget.Button
	detail   *fyne.Container
	content  fyne.CanvasObject

	// withCapture compares the capture with an attempt (replaycompare.go).
	withCapture *widget.Button
}

// refreshReplays reloads the Replays tab when it shows capture id.
func (w *Window) refreshReplays(id store.ID) {
	if p := w.replaysPane; p != nil && p.c.ID == id {
		p.reload()
	}
}

// replaysView is the Replays tab for c: the list of its attempts, newest
// first; selecting one shows the request sent and the answer; ticking two
// and Compare shows their answers side by side, differing lines marked.
func (w *Window) replaysView(c *store.Capture) fyne.CanvasObject {
	p := &replaysPane{w: w, c: c}
	p.info = widget.NewLabel("Loading…")
	p.info.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(
		func() int { return len(p.attempts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("00:00:00 replay → 200 OK in 10 ms")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewCheck("", nil), nil, l)
		},
		p.updateRow,
	)
	p.list.OnSelected = func(id widget.ListItemID) {
		if id < 0 || id >= len(p.attempts) {
			return
		}
		p.selected = p.attempts[id].ID
		p.showAttempt(p.attempts[id])
		p.refreshInfo()
	}
	// The compare buttons go without icons, so that the four fit one row
	// of a 1280 px window's Replays tab and the list keeps its height.
	p.compare = widget.NewButton("Compare", p.compareNow)
	p.compare.Disable()
	p.withCapture = p.newCompareWithCapture()
	p.withCapture.Disable()
	// The buttons wrap onto a second row when the tab is narrow, and the
	// chosen attempt goes under the list, as wide as the tab: beside the
	// list, the buttons held the list wider than half the tab and the
	// attempt was squeezed (off the window at 1280 px).
	buttons := container.New(layout.NewRowWrapLayout(),
		widget.NewButtonWithIcon("Replay", theme.MediaReplayIcon(), func() { w.replayCapture(c) }),
		widget.NewButtonWithIcon("Edit and replay…", theme.DocumentCreateIcon(), func() { w.showReplayDialog(c) }),
		p.compare,
		p.withCapture,
	)
	// Wrapped: on one line the hint held the tab wider than a 1024 px
	// window's detail.
	hint := widget.NewLabelWithStyle("Select an attempt to see what was sent and answered.", fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	p.detail = container.NewStack(hint)
	attempts := container.NewBorder(container.NewVBox(buttons, p.info), nil, nil, nil, p.list)
	split := container.NewVSplit(attempts, p.detail)
	split.Offset = 0.4
	p.content = split
	w.replaysPane = p
	p.reload()
	return p.content
}

func (p *replaysPane) reload() {
	c := p.c
	background(p.w, func() ([]store.Attempt, error) { return delivery.Replays(p.w.st, c) }, func(as []store.Attempt, err error) {
		if err != nil {
			p.info.SetText("Could not read the attempts: " + err.Error())
			return
		}
		p.attempts = as
		p.picked = slices.DeleteFunc(p.picked, func(id store.ID) bool { return p.index(id) < 0 })
		p.refreshInfo()
		p.list.Refresh()
		if i := p.index(p.selected); i >= 0 {
			p.list.Select(i)
		}
	})
}

func (p *replaysPane) index(id store.ID) int {
	for i, a := range p.attempts {
		if a.ID == id {
			return i
		}
	}
	return -1
}

func (p *replaysPane) refreshInfo() {
	switch n := len(p.attempts); n {
	case 0:
		p.info.SetText("Not replayed yet. Replay (Ctrl+R) sends it again as captured, or re-signed when \"" + resignLabel + "\" is on; Edit and replay lets you change it first.")
	default:
		what := fmt.Sprintf("%d attempts, newest first. Tick two to compare them.", n)
		if n == 1 {
			what = "1 attempt."
		}
		p.info.SetText(what)
	}
	if len(p.picked) == 2 {
		p.compare.Enable()
	} else {
		p.compare.Disable()
	}
	if _, ok := p.chosen(); ok {
		p.withCapture.Enable()
	} else {
		p.withCapture.Disable()
	}
}

// rowText is one attempt in the list.
func (p *replaysPane) rowText(a store.Attempt) string {
	kind := "replay, " + sentHow(a)
	if a.Action != delivery.ReplayAction {
		kind = "forward to " + a.Action
	} else if a.Request.Method != p.c.Method || !bytes.Equal(a.Request.Body, p.c.Body) {
		kind = "replay, edited, " + sentHow(a)
	}
	return fmt.Sprintf("%s  %s → %s  %s", a.At.Local().Format("15:04:05"), kind, a.Outcome(), a.Request.URL)
}

func (p *replaysPane) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(p.attempts) {
		return
	}
	a := p.attempts[id]
	box := o.(*fyne.Container)
	var label *widget.Label
	var check *widget.Check
	for _, obj := range box.Objects {
		switch v := obj.(type) {
		case *widget.Label:
			label = v
		case *widget.Check:
			check = v
		}
	}
	label.SetText(p.rowText(a))
	label.Importance = widget.MediumImportance
	if !a.OK() {
		label.Importance = widget.DangerImportance
	}
	label.Refresh()
	check.OnChanged = nil
	check.SetChecked(slices.Contains(p.picked, a.ID))
	check.OnChanged = func(on bool) { p.pick(a.ID, on) }
}

// pick ticks or unticks an attempt for Compare; a third tick drops the
// oldest pick.
func (p *replaysPane) pick(id store.ID, on bool) {
	p.picked = slices.DeleteFunc(p.picked, func(x store.ID) bool { return x == id })
	if on {
		p.picked = append(p.picked, id)
		if len(p.picked) > 2 {
			p.picked = p.picked[len(p.picked)-2:]
		}
	}
	p.refreshInfo()
	p.list.Refresh()
}

func (p *replaysPane) showAttempt(a store.Attempt) {
	p.detail.Objects = []fyne.CanvasObject{p.w.replayAttemptView(a)}
	p.detail.Refresh()
}
