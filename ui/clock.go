package ui

import (
	"sync"
	"time"
)

// ageClock wakes the window only when a shown age ("12s ago") is about to
// read differently: every second in a capture's first minute, every minute
// in its first hour, and so on. A window left open all day with nothing
// arriving then costs a wake-up a minute, not one a second, and none while
// it is hidden to the tray.
type ageClock struct {
	mu   sync.Mutex
	due  time.Time // the next wake-up; zero for none
	kick chan struct{}
	// renewed is when the canvas keeper last renewed its entries.
	renewed time.Time
}

// maxAgeRows bounds how many of the newest captures the clock looks at
// besides the summaries on show: the rows in view come from the cache.
const maxAgeRows = 200

// nextAgeChange is the first moment after now at which relativeTime of a
// capture received at t reads differently.
func nextAgeChange(t, now time.Time) time.Time {
	d := now.Sub(t)
	var unit time.Duration
	switch {
	case d < 0:
		return t
	case d < time.Minute:
		unit = time.Second
	case d < time.Hour:
		unit = time.Minute
	case d < 24*time.Hour:
		unit = time.Hour
	default:
		unit = 24 * time.Hour
	}
	// A millisecond late, so the redraw never lands just before the change.
	return t.Add((d/unit + 1) * unit).Add(time.Millisecond)
}

// scheduleClock arms the clock for the next change of anything that shows
// an age, or disarms it when nothing will change or the window is hidden.
// It runs on the UI goroutine.
func (w *Window) scheduleClock() {
	if w.clock.kick == nil {
		return // the window has not started
	}
	now := time.Now()
	var due time.Time
	earlier := func(t time.Time) {
		if due.IsZero() || t.Before(due) {
			due = t
		}
	}
	if !w.unread.hidden {
		l := w.list
		for row := range min(l.ids.Len(), maxAgeRows) {
			earlier(nextAgeChange(l.ids.At(row).Time(), now))
		}
		for _, s := range l.cache {
			earlier(nextAgeChange(s.ReceivedAt, now))
		}
		if c := w.detail.capture; c != nil {
			earlier(nextAgeChange(c.ReceivedAt, now))
		}
		if w.top.span() > 0 {
			// A relative time filter moves with the clock.
			earlier(now.Add(clockTick))
		}
	}
	if len(w.keeper.entries) > 0 {
		// Fyne forgets a canvas a minute after its last look-up, shown
		// or not.
		earlier(w.clock.renewed.Add(keepEvery * time.Second))
	}
	w.clock.mu.Lock()
	w.clock.due = due
	w.clock.mu.Unlock()
	select {
	case w.clock.kick <- struct{}{}:
	default:
	}
}

// startClock runs the clock's timer until the window's life ends.
func (w *Window) startClock() {
	w.clock.kick = make(chan struct{}, 1)
	go func() {
		defer close(w.life.clockDone)
		t := time.NewTimer(time.Hour)
		t.Stop()
		defer t.Stop()
		for {
			select {
			case <-w.life.ended:
				return
			case <-w.clock.kick:
				w.clock.mu.Lock()
				due := w.clock.due
				w.clock.mu.Unlock()
				t.Stop()
				if !due.IsZero() {
					t.Reset(max(time.Until(due), 0))
				}
			case <-t.C:
				w.do(w.refreshTimes)
			}
		}
	}()
	w.scheduleClock()
}

// refreshTimes redraws what shows an age, moves a relative time filter
// along with the clock, renews the canvas keeper's entries when due, and
// arms the clock for the next change; it reads no disk.
func (w *Window) refreshTimes() {
	now := time.Now()
	if !now.Before(w.clock.renewed.Add(keepEvery * time.Second)) {
		w.keeper.renew()
		w.clock.renewed = now
	}
	if span := w.top.span(); span > 0 {
		w.list.narrowSince(now.Add(-span))
	}
	w.list.list.Refresh()
	if c := w.detail.capture; c != nil {
		w.detail.summary.SetText(summaryText(c, now))
	}
	w.scheduleClock()
}
