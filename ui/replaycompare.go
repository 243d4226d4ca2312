package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/diff"
	"hookscope/render"
	"hookscope/store"
)

// replayComparison is two attempts compared: what each sent, and what each
// got back.
type replayComparison struct {
	requests, answers diff.Text
}

// compareNow compares the two ticked attempts, the older on the left, in a
// dialog as wide as the window: the tab beside the list is too narrow to
// read two requests side by side.
func (p *replaysPane) compareNow() {
	if len(p.picked) != 2 {
		return
	}
	i, j := p.index(p.picked[0]), p.index(p.picked[1])
	if i < 0 || j < 0 {
		return
	}
	left, right := p.attempts[i], p.attempts[j]
	if left.ID > right.ID {
		left, right = right, left
	}
	p.compare.Disable()
	background(p.w, func() (replayComparison, error) {
		return replayComparison{
			requests: diff.Lines(replayRequestLines(left.Request), replayRequestLines(right.Request)),
			answers:  diff.Lines(replayAnswerLines(left), replayAnswerLines(right)),
		}, nil
	}, func(cmp replayComparison, _ error) {
		p.refreshInfo()
		p.w.showComparison(left, right, cmp)
	})
}

// showComparison opens the comparison nearly as large as the window, the
// answers above the requests that drew them.
func (w *Window) showComparison(left, right store.Attempt, cmp replayComparison) {
	content := container.NewVSplit(
		replayCompareView("answers", cmp.answers, left, right),
		replayCompareView("requests sent", cmp.requests, left, right))
	content.Offset = 0.45
	dlg := dialog.NewCustom("Compare two attempts", "Close", content, w.win)
	size := w.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(size.Width*0.96, size.Height*0.92))
	w.showDialog("", dlg, nil) // Escape closes it; several may be open
}

// replayRequestLines is a request sent as lines to compare: the request
// line, the headers sorted, a blank line and the body pretty-printed.
func replayRequestLines(r store.SentRequest) []string {
	lines := []string{r.Method + " " + r.URL}
	for _, f := range headerFields(r.Header) {
		lines = append(lines, f.Name+": "+f.Value)
	}
	return append(append(lines, ""), bodyLines(r.Body, r.Header)...)
}

// replayAnswerLines is an attempt's answer as lines to compare: the status, the
// headers sorted, a blank line and the body pretty-printed.
func replayAnswerLines(a store.Attempt) []string {
	var lines []string
	if a.StatusCode == 0 {
		lines = append(lines, "No answer: "+a.Error)
	} else {
		lines = append(lines, fmt.Sprintf("HTTP %d %s", a.StatusCode, a.StatusMessage()))
	}
	for _, f := range headerFields(a.ResponseHeader) {
		lines = append(lines, f.Name+": "+f.Value)
	}
	return append(append(lines, ""), bodyLines(a.ResponseBody, a.ResponseHeader)...)
}

// bodyLines is a body as the detail renders it, pretty-printed, in lines.
func bodyLines(body []byte, header http.Header) []string {
	doc := render.Body(body, header, render.Options{Pretty: true, HighlightLimit: 1})
	if len(doc.Lines) == 0 && (len(doc.Fields) > 0 || len(doc.Parts) > 0) {
		doc = render.Body(body, header, render.Options{HighlightLimit: 1})
	}
	lines := make([]string, 0, len(doc.Lines))
	for _, l := range doc.Lines {
		var s strings.Builder
		for _, seg := range l {
			s.WriteString(seg.Text)
		}
		lines = append(lines, s.String())
	}
	return lines
}

// replayCompareView lays two texts out side by side, the rows that differ
// marked, under a line saying how many do.
func replayCompareView(what string, sb diff.Text, left, right store.Attempt) fyne.CanvasObject {
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	grid := func(side func(diff.Row) string) *widget.TextGrid {
		rows := make([]widget.TextGridRow, len(sb.Rows))
		for k, r := range sb.Rows {
			var style widget.TextGridStyle
			if r.Op != diff.Same {
				style = mark
			}
			var cells []widget.TextGridCell
			for _, c := range r.Op.Mark() + strings.ReplaceAll(side(r), "\t", "    ") {
				cells = append(cells, widget.TextGridCell{Rune: c, Style: style})
			}
			rows[k] = widget.TextGridRow{Cells: cells}
		}
		return newTextGrid(rows)
	}
	title := func(a store.Attempt) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(a.At.Local().Format("15:04:05")+" · "+a.Outcome(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	summary := "The " + what + " are the same."
	switch {
	case sb.Differ == 1:
		summary = "The " + what + ": 1 line differs (marked)."
	case sb.Differ > 1:
		summary = "The " + what + ": " + strconv.Itoa(sb.Differ) + " lines differ (marked)."
	}
	heads := container.NewGridWithColumns(2, title(left), title(right))
	grids := container.NewGridWithColumns(2,
		grid(func(r diff.Row) string { return r.Left }),
		grid(func(r diff.Row) string { return r.Right }))
	return container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(summary, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), heads), nil, nil, nil, grids)
}
