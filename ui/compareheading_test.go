package ui

import (
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// The section over the request line's rows says what they are for each
// kind of side: two answers compare their status under an "Answer"
// heading, not under "Request" as a reviewer saw; a capture against an
// answer names both; Swap swaps the names too.
func TestCompareHeadingsNameEachKindOfSide(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(202, `{"accepted":true}`))
	h := newHarness(t)
	c := h.capture("/isahit/results", http.Header{"Content-Type": {"application/json"}}, isahitReview)
	opt := delivery.ReplayOptions{URL: tg.URL + "/hook"}
	attempts := []store.Attempt{h.replay(c, opt), h.replay(c, opt)}
	rp, panes := h.compareAttempts(c, attempts[0].ID, attempts[1].ID)
	if got := headings(panes[0])[0]; got != "Answer: status" {
		t.Errorf("two answers' first section is headed %q", got)
	}
	if got := headings(panes[0])[1]; got != "Answer headers" {
		t.Errorf("two answers' headers are headed %q", got)
	}
	if got := headings(panes[1])[0]; got != "Request sent" {
		t.Errorf("two sent requests' first section is headed %q", got)
	}
	h.pressEscape()

	rp.compareWithCapture(attempts[0], true)
	p := h.openCompare()[0]
	if got := headings(p)[0]; got != "Request line (left) · Answer: status (right)" {
		t.Errorf("a capture against an answer is headed %q", got)
	}
	p.swap()
	h.q.until(t, "the swap", func() bool { return strings.HasPrefix(headings(p)[0], "Answer") })
	if got := headings(p)[0]; got != "Answer: status (left) · Request line (right)" {
		t.Errorf("swapped, it is headed %q", got)
	}
	h.pressEscape()

	a, b := h.capture("/t", nil, "a"), h.capture("/t", nil, "b")
	h.w.compareCaptures(a.ID, b.ID)
	if got := headings(h.openCompare()[0])[0]; got != "Request line" {
		t.Errorf("two captures are headed %q", got)
	}
}

// headings are the section titles over the request line's rows and over
// the headers' table, as shown, without what says the section is the same.
func headings(p *comparePane) []string {
	box := p.parts.Objects[0].(*container.Scroll).Content.(*fyne.Container)
	var out []string
	for _, o := range []fyne.CanvasObject{box.Objects[0], box.Objects[2]} {
		eachObject(o, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold {
				out = append(out, strings.TrimSuffix(l.Text, sameSuffix))
				return false
			}
			return true
		})
	}
	return out
}
