package ui

import (
	"testing"
	"time"
)

// Fyne's Quit (SIGTERM included) ends ShowAndRun without closing the window;
// a clock tick after that touched widgets off the UI goroutine. The test
// driver's ShowAndRun returns at once, as the real one does when the app
// quits.
func TestQuittingStopsTheClockAndTheWindowsUICalls(t *testing.T) {
	h := newHarness(t)
	h.w.run()
	select {
	case <-h.w.life.clockDone:
	case <-time.After(3 * clockTick):
		t.Fatal("the clock still runs after the app quit")
	}
	// Drain what was queued before; nothing queued may reach the widgets now.
	ran := false
	h.w.do(func() { ran = true })
	for len(h.q) > 0 {
		(<-h.q)()
	}
	if ran {
		t.Fatal("a UI call ran after the app quit")
	}
}

func TestClosingTheWindowStopsTheClock(t *testing.T) {
	h := newHarness(t)
	h.w.win.Close()
	select {
	case <-h.w.life.clockDone:
	case <-time.After(3 * clockTick):
		t.Fatal("the clock still runs after the window closed")
	}
}
