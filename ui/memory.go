package ui

import "runtime/debug"

// startupMemory returns to the OS, once, the heap that the window's start
// left free: Fyne parses its fonts for every text style while the first
// layout measures text, and the list reads its IDs and first page. Go keeps
// freed heap for reuse until it grows past the next collection's goal
// (twice the live heap at GOGC=100), so a window left idle after starting
// would go on holding tens of MB it no longer uses
// (https://pkg.go.dev/runtime/debug#FreeOSMemory).
type startupMemory struct {
	done bool
	// free starts debug.FreeOSMemory off the UI goroutine (it is a forced
	// collection); tests count its calls.
	free func()
}

func newStartupMemory() startupMemory {
	return startupMemory{free: func() { go debug.FreeOSMemory() }}
}

// loaded is called when the list holds all of its captures: the first time,
// the memory goes back.
func (m *startupMemory) loaded() {
	if m.done {
		return
	}
	m.done = true
	m.free()
}
