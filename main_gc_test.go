package main

import (
	"runtime/debug"
	"testing"
)

// The window's process collects at GOGC=50 unless the user set GOGC, which
// wins as it does for any Go program.
func TestWindowGCIsLowerUnlessGOGCIsSet(t *testing.T) {
	restore := debug.SetGCPercent(100)
	defer debug.SetGCPercent(restore)

	t.Setenv("GOGC", "")
	lowerWindowGC()
	if got := debug.SetGCPercent(100); got != windowGCPercent {
		t.Errorf("GOGC unset: the window collects at %d, want %d", got, windowGCPercent)
	}

	t.Setenv("GOGC", "200")
	lowerWindowGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=200 set: lowerWindowGC changed the percentage to %d", got)
	}
}
