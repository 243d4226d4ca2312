package ui

import (
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hookscope/delivery"
)

// The summary and the copied diff name the first section as its heading
// does: two answers differ in their status, not in "the request line"; a
// capture against an answer in both.
func TestCompareSummaryNamesTheSectionsOfAnswers(t *testing.T) {
	tg := newReplayTarget(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK + 2*n) // 200, then 202
	})
	h := newHarness(t)
	c := h.capture("/x", http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
	first := h.replay(c, delivery.ReplayOptions{URL: tg.URL})
	second := h.replay(c, delivery.ReplayOptions{URL: tg.URL})
	rp, panes := h.compareAttempts(c, first.ID, second.ID)
	answers := panes[0]
	if got := answers.summary.Text; got != "Differences: 1 field of the answer status." {
		t.Errorf("the answers' summary reads %q", got)
	}
	test.Tap(answers.copy)
	if text := h.w.app.Clipboard().Content(); !strings.Contains(text, "\nanswer status\n- status: 200") || strings.Contains(text, "\nrequest\n") {
		t.Errorf("the answers' copied diff:\n%s", text)
	}
	h.pressEscape()

	rp.compareWithCapture(second, true)
	p := h.openCompare()[0]
	if got := p.summary.Text; !strings.HasPrefix(got, "Differences: 4 fields of the request line / answer status") {
		t.Errorf("capture against answer: the summary reads %q", got)
	}
	test.Tap(p.copy)
	if text := h.w.app.Clipboard().Content(); !strings.Contains(text, "\nrequest line / answer status\n") {
		t.Errorf("capture against answer: the copied diff:\n%s", text)
	}
}
