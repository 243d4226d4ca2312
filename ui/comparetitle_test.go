package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

// At 1024 px the titles over the columns keep the milliseconds, which are
// all that tells apart two captures of one second: the time comes first.
func TestCompareTitlesKeepTheMillisecondsAt1024(t *testing.T) {
	h := newHarness(t)
	h.w.win.Resize(fyne.NewSize(1024, 700))
	json := http.Header{"Content-Type": {"application/json"}}
	a := h.capture("/isahit/results/annotations", json, isahitAnnotation)
	b := h.capture("/isahit/results/annotations", json, isahitReview)
	h.w.compareCaptures(a.ID, b.ID)
	p := h.openCompare()[0]
	for i, c := range []time.Time{a.ReceivedAt, b.ReceivedAt} {
		stamp := c.Local().Format("15:04:05.000")
		if shown := shownText(p.titles[i]); !strings.Contains(shown, stamp) {
			t.Errorf("title %d shows %q at 1024 px, without %s", i, strings.TrimSpace(shown), stamp)
		}
	}
}

// A capture's title gives the date only when it is not today's.
func TestCaptureTitleDate(t *testing.T) {
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 15, 37, 44, 389e6, time.Local), "15:37:44.389 · POST /x"},
		{time.Date(2026, 11, 30, 23, 59, 59, 1e6, time.Local), "Nov 30 23:59:59.001 · POST /x"},
		{time.Date(2025, 12, 1, 15, 37, 44, 0, time.Local), "Dec 1 2025 15:37:44.000 · POST /x"},
	} {
		if got := captureTitle("POST", "/x", tt.at, now); got != tt.want {
			t.Errorf("captureTitle at %v = %q, want %q", tt.at, got, tt.want)
		}
	}
}
