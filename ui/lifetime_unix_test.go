//go:build unix

package ui

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// SIGTERM stops the clock at once, before Fyne's loop has wound down.
func TestSIGTERMStopsTheClockAtOnce(t *testing.T) {
	h := newHarness(t)
	stop := h.w.watchSignals()
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.w.life.clockDone:
	case <-time.After(3 * clockTick):
		t.Fatal("the clock still runs after SIGTERM")
	}
}
