package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// answerView is the detail's Response tab: which rule answered and how,
// above the answer itself; a connection dropped, reset or hung sent no
// answer to show.
func (d *detailPanel) answerView(c *store.Capture) fyne.CanvasObject {
	a := c.AnsweredBy
	if a == nil {
		return d.responseView(c.Response)
	}
	note := noteLabel(answeredByText(a), widget.MediumImportance)
	if a.Failed() || c.Response.Status >= 400 {
		note.Importance = widget.WarningImportance
	}
	if c.Response.Status == 0 {
		return container.NewVBox(note, noteLabel("Nothing was sent: no status, no header, no body.", widget.LowImportance))
	}
	return container.NewBorder(note, nil, nil, nil, d.responseView(c.Response))
}

// answeredByText says which rule answered, with its step counted from 1.
func answeredByText(a *store.AnsweredBy) string {
	if a.Rule == "" {
		return "No response rule answered: " + a.Detail + "."
	}
	return fmt.Sprintf("Answered by rule %q, step %d (%s): %s.", a.Rule, a.Step+1, a.Action, a.Detail)
}

// answerMark is what the list shows of an answer that was not a success:
// the status when it is not 2xx, or what a rule did instead of answering.
func answerMark(s store.Summary) string {
	// One short word: the mark takes its width from the path.
	switch s.Answer {
	case "drop", "hang", "reset":
		return s.Answer
	case "partial":
		return "cut"
	}
	if s.Status != 0 && (s.Status < 200 || s.Status > 299) {
		return strconv.Itoa(s.Status)
	}
	return ""
}

// answeredWords is the summary line's word on the answer: "answered 500",
// or what a rule did instead.
func answeredWords(c *store.Capture) string {
	switch a := c.AnsweredBy; {
	case !a.Failed():
	case a.Action == "drop":
		return "dropped, no answer"
	case a.Action == "hang":
		return "hung, no answer"
	case a.Action == "reset":
		return "reset, no answer"
	case a.Action == "partial":
		return fmt.Sprintf("answered %d, cut short", c.Response.Status)
	}
	return fmt.Sprintf("answered %d", c.Response.Status)
}
