package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"hookscope/delivery"
)

// At a laptop's sizes the Replays tab gives the chosen attempt room to be
// read, inside the window: a reviewer found it squeezed at 1280 px, the
// buttons over the attempts holding the list wider than half the tab.
func TestReplaysAttemptPaneIsReadableAtLaptopSizes(t *testing.T) {
	for _, tc := range []struct {
		size    fyne.Size
		minimum fyne.Size
		rows    float32 // the attempts the list shows at least
		whole   bool    // the attempt shows without scrolling the tab
	}{
		{fyne.NewSize(1280, 720), fyne.NewSize(480, 240), 2, true},
		// At 1024×700 the detail itself is 340 px wide and its tabs 275
		// high: the attempt takes the whole width, and the tab scrolls to
		// its bottom.
		{fyne.NewSize(1024, 700), fyne.NewSize(320, 200), 1, false},
	} {
		t.Run(fmt.Sprintf("%gx%g", tc.size.Width, tc.size.Height), func(t *testing.T) {
			tg := newReplayTarget(t, jsonAnswer(202, `{"workflowId":"wf-5f2a","accepted":true}`))
			h := newHarness(t)
			c := h.capture("/isahit/results", http.Header{"Content-Type": {"application/json"}}, isahitReview)
			for range 2 {
				if _, err := h.srv.Delivery().Replay(t.Context(), c, nil, delivery.ReplayOptions{URL: tg.URL + "/hook"}); err != nil {
					t.Fatal(err)
				}
			}
			h.q.until(t, "the row", func() bool { return h.rows() == 1 })
			h.w.list.list.Select(0)
			h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.replaysPane != nil })
			h.w.win.Resize(tc.size)
			h.w.detail.tabs.SelectIndex(len(h.w.detail.tabs.Items) - 1)
			p := h.w.replaysPane
			h.q.until(t, "the attempt", func() bool { return len(p.attempts) == 2 })
			if need, tab := p.content.MinSize().Width, h.w.detail.tabs.Size().Width; need > tab {
				t.Errorf("the Replays tab needs %v px, wider than its %v: it scrolls sideways", need, tab)
			}
			p.list.Select(0)
			h.q.until(t, "its answer", func() bool { return strings.Contains(gridText(p.detail), "accepted") })
			h.w.win.Content().Refresh()
			at, size := absolutePos(h, p.detail), p.detail.Size()
			window := h.w.win.Canvas().Size()
			if at.X+size.Width > window.Width+0.5 || tc.whole && at.Y+size.Height > window.Height+0.5 {
				t.Errorf("the attempt's pane (%v at %v) goes past the window's %v", size, at, window)
			}
			if size.Width < tc.minimum.Width || size.Height < tc.minimum.Height {
				t.Errorf("the attempt's pane is %v, under the %v it needs to be read", size, tc.minimum)
			}
			if tab := h.w.detail.tabs.Size().Width; size.Width < 0.95*tab {
				t.Errorf("the attempt's pane is %v wide in a tab %v wide", size.Width, tab)
			}
			if row, list := p.list.CreateItem().MinSize().Height, p.list.Size().Height; list < tc.rows*row {
				t.Errorf("the attempts' list is %v high, under %v rows of %v", list, tc.rows, row)
			}
		})
	}
}
