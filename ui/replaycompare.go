package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// sentSide is what an attempt sent, as a side of a comparison.
func sentSide(c *store.Capture, a store.Attempt) compareSide {
	return compareSide{
		title:   "Replay of " + a.At.Local().Format("15:04:05") + ", sent: " + a.Request.Method + " " + a.Request.URL,
		at:      a.At,
		project: c.Project,
		kind:    delivery.SideSent,
		msg:     delivery.SentMessage(a),
	}
}

// answerSide is what an attempt got back, as a side of a comparison.
func answerSide(c *store.Capture, a store.Attempt) compareSide {
	return compareSide{
		title:   "Replay of " + a.At.Local().Format("15:04:05") + ", answer: " + a.Outcome(),
		at:      a.At,
		project: c.Project,
		kind:    delivery.SideAnswer,
		msg:     delivery.AnswerMessage(a),
	}
}

// compareNow compares the two ticked attempts, the older on the left: their
// answers, and the requests that drew them.
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
	c := p.c
	p.compare.Disable()
	background(p.w, func() ([2]comparison, error) {
		answers, err := p.w.prepareComparison(answerSide(c, left), answerSide(c, right))
		if err != nil {
			return [2]comparison{}, err
		}
		sent, err := p.w.prepareComparison(sentSide(c, left), sentSide(c, right))
		return [2]comparison{answers, sent}, err
	}, func(cmp [2]comparison, err error) {
		p.refreshInfo()
		if err != nil {
			dialog.ShowError(fmt.Errorf("compare: %w", err), p.w.win)
			return
		}
		p.w.showCompare("Compare two attempts",
			newComparePane(p.w, "Answers", cmp[0]),
			newComparePane(p.w, "Requests sent", cmp[1]))
	})
}

// newCompareWithCapture is the Replays tab's "Compare with capture" button:
// it offers to compare the capture with what the chosen attempt sent or
// with what it got back.
func (p *replaysPane) newCompareWithCapture() *widget.Button {
	var b *widget.Button
	b = widget.NewButton("Compare with capture", func() {
		a, ok := p.chosen()
		if !ok {
			return
		}
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("With what the replay sent", func() { p.compareWithCapture(a, false) }),
			fyne.NewMenuItem("With the replay's answer", func() { p.compareWithCapture(a, true) }))
		c := p.w.win.Canvas()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		widget.ShowPopUpMenuAtPosition(menu, c, pos.Add(fyne.NewPos(0, b.Size().Height)))
	})
	return b
}

// chosen is the attempt Compare with capture compares: the one ticked when
// one is, else the one selected.
func (p *replaysPane) chosen() (store.Attempt, bool) {
	id := p.selected
	if len(p.picked) == 1 {
		id = p.picked[0]
	}
	if i := p.index(id); i >= 0 {
		return p.attempts[i], true
	}
	return store.Attempt{}, false
}

// compareWithCapture compares the capture with what a replay of it sent,
// or with the replay's answer.
func (p *replaysPane) compareWithCapture(a store.Attempt, answer bool) {
	c := p.c
	other := sentSide(c, a)
	if answer {
		other = answerSide(c, a)
	}
	background(p.w, func() (comparison, error) {
		return p.w.prepareComparison(captureSide(c), other)
	}, func(cmp comparison, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("compare: %w", err), p.w.win)
			return
		}
		p.w.showCompare("Compare the capture with a replay", newComparePane(p.w, "", cmp))
	})
}
