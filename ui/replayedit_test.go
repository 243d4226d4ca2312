package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

)

// visibleText is the text of the labels and grids a user can see in o,
// one a line: hidden objects and what they hold are left out.
func visibleText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *widget.TextGrid:
			b.WriteString(v.Text() + "\n")
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// headerValues are the values the dialog's header rows hold for name.
func (d *replayDialog) headerValues(name string) []string {
	return d.headers.header().Values(name)
}

// Replay brings the Replays tab forward, found by what it holds: a label
// that says more (a count, another wording) does not lose it.
func TestReplayBringsTheReplaysTabForward(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	c := h.capture("/loose", nil, "x")
	h.w.rememberTarget(tg.URL, replayAppendNothing)
	h.w.detail.show(c.ID)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == c.ID })
	for _, item := range h.w.detail.tabs.Items {
		if item.Content == h.w.detail.replays {
			item.Text = "Replays (0)"
		}
	}
	h.w.detail.tabs.SelectIndex(0)
	h.w.replayCapture(c)
	h.q.until(t, "the Replays tab forward", func() bool { return h.w.detail.tabs.Selected().Content == h.w.detail.replays })
}
