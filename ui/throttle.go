package ui

import "time"

// throttle spaces out a refresh that events may ask for thousands of times
// a second: it runs at most once every every, and the asks in between
// share one run at the end of that time.
type throttle struct {
	every   time.Duration
	last    time.Time // when the refresh last ran
	pending bool      // a run is scheduled
}

// ran notes that the refresh ran now, asked or not.
func (th *throttle) ran() { th.last = time.Now() }

// ask runs run now when it last ran every ago or more, else once when that
// time is up, on the UI goroutine.
func (th *throttle) ask(w *Window, run func()) {
	if th.pending {
		return
	}
	wait := th.every - time.Since(th.last)
	if wait <= 0 {
		run()
		return
	}
	th.pending = true
	time.AfterFunc(wait, func() {
		w.do(func() {
			th.pending = false
			run()
		})
	})
}
