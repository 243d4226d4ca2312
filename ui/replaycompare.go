package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hookscope/diff"
	"hookscope/render"
	"hookscope/store"
)

// compareNow shows the two ticked attempts' answers side by side, the
// older on the left.
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
	p.detail.Objects = []fyne.CanvasObject{widget.NewLabel("Comparing…")}
	p.detail.Refresh()
	background(p.w, func() (diff.Text, error) {
		return diff.Lines(replayAnswerLines(left), replayAnswerLines(right)), nil
	}, func(sb diff.Text, _ error) {
		p.detail.Objects = []fyne.CanvasObject{replayCompareView(left, right, sb)}
		p.detail.Refresh()
	})
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
	lines = append(lines, "")
	doc := render.Body(a.ResponseBody, a.ResponseHeader, render.Options{Pretty: true, HighlightLimit: 1})
	if len(doc.Lines) == 0 && (len(doc.Fields) > 0 || len(doc.Parts) > 0) {
		doc = render.Body(a.ResponseBody, a.ResponseHeader, render.Options{HighlightLimit: 1})
	}
	for _, l := range doc.Lines {
		var s strings.Builder
		for _, seg := range l {
			s.WriteString(seg.Text)
		}
		lines = append(lines, s.String())
	}
	return lines
}

// replayCompareView lays two answers out side by side.
func replayCompareView(left, right store.Attempt, sb diff.Text) fyne.CanvasObject {
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
	summary := "The answers are the same."
	if sb.Differ > 0 {
		summary = strconv.Itoa(sb.Differ) + " lines differ (marked)."
		if sb.Differ == 1 {
			summary = "1 line differs (marked)."
		}
	}
	heads := container.NewGridWithColumns(2, title(left), title(right))
	grids := container.NewGridWithColumns(2,
		grid(func(r diff.Row) string { return r.Left }),
		grid(func(r diff.Row) string { return r.Right }))
	return container.NewBorder(container.NewVBox(widget.NewLabel(summary), heads), nil, nil, nil, grids)
}
