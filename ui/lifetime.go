package ui

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// lifetime ends the window's background work when the window closes or the
// app quits. Fyne's Quit (the menu, or SIGINT/SIGTERM, which the desktop
// driver turns into Quit) does not close windows, and once its loop has
// stopped fyne.Do runs a function on the caller's goroutine: a timer firing
// then would touch widgets off the UI goroutine, which Fyne logs as "Error
// in Fyne call thread" for every widget call.
type lifetime struct {
	closeOnce, endOnce sync.Once
	// ended is closed when the window closed or the app quit.
	ended chan struct{}
	// clockDone is closed when the clock's goroutine has returned.
	clockDone chan struct{}
}

func newLifetime() *lifetime {
	return &lifetime{ended: make(chan struct{}), clockDone: make(chan struct{})}
}

// close marks the window's life over: the clock stops and guarded calls
// are dropped. It is safe from any goroutine.
func (l *lifetime) close() { l.closeOnce.Do(func() { close(l.ended) }) }

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
	w.life.close()
	w.life.endOnce.Do(func() {
		w.bridge.stop()
		if w.notes != nil {
			w.notes.stop()
		}
		if w.public != nil {
			w.public.stop()
		}
	})
}

// watchSignals ends the window's life as soon as SIGINT or SIGTERM arrives.
// Fyne's driver quits on them too, but ShowAndRun returns (and end runs)
// only after its loop stopped and its lifecycle events ran: a clock tick in
// between reached the widgets off the UI goroutine. Closing the lifetime
// here, from the signal's goroutine, drops it. It returns a function that
// stops watching.
func (w *Window) watchSignals() (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			w.life.close()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}
