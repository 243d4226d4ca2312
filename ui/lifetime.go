package ui

import (
	"sync"
	"time"
)

// lifetime ends the window's background work when the window closes or the
// app quits. Fyne's Quit (the menu, or SIGINT/SIGTERM, which the desktop
// driver turns into Quit) does not close windows, and once its loop has
// stopped fyne.Do runs a function on the caller's goroutine: a timer firing
// then would touch widgets off the UI goroutine, which Fyne logs as "Error
// in Fyne call thread" for every widget call.
type lifetime struct {
	once sync.Once
	// ended is closed when the window closed or the app quit.
	ended chan struct{}
	// clockDone is closed when the clock's goroutine has returned.
	clockDone chan struct{}
}

func newLifetime() *lifetime {
	return &lifetime{ended: make(chan struct{}), clockDone: make(chan struct{})}
}

func (l *lifetime) over() bool {
	select {
	case <-l.ended:
		return true
	default:
		return false
	}
}

// guard wraps do so that nothing reaches the widgets once the window's
// life is over, whether it was queued before or after.
func (l *lifetime) guard(do func(func())) func(func()) {
	return func(f func()) {
		if l.over() {
			return
		}
		do(func() {
			if !l.over() {
				f()
			}
		})
	}
}

// end stops the window's background work: the clock, the store's events,
// the notifications' timer, the Public URL's subscription. It may be called more than once.
func (w *Window) end() {
	w.life.once.Do(func() {
		close(w.life.ended)
		w.bridge.stop()
		if w.notes != nil {
			w.notes.stop()
		}
		if w.public != nil {
			w.public.stop()
		}
	})
}

// startClock keeps relative times current while the window is open.
func (w *Window) startClock() {
	t := time.NewTicker(clockTick)
	go func() {
		defer close(w.life.clockDone)
		defer t.Stop()
		for {
			select {
			case <-w.life.ended:
				return
			case <-t.C:
				w.do(w.refreshTimes)
			}
		}
	}()
}
