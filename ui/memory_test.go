package ui

import (
	"fmt"
	"testing"

	"hookscope/store"
)

// The heap start-up left free goes back to the OS once the list holds every
// capture, and only then: not before the IDs are read (the read's garbage
// would stay), and not again on every later reload (each is a forced
// collection).
func TestWindowReturnsStartupMemoryOnceTheListIsLoaded(t *testing.T) {
	freed := 0
	h := newHarnessWith(t, func(w *Window) {
		w.startup.free = func() {
			if !w.list.ids.Loaded() {
				t.Error("memory returned before the list read its IDs")
			}
			freed++
		}
	})
	h.q.until(t, "the list loaded", func() bool { return h.w.list.ids.Loaded() })
	if freed != 1 {
		t.Fatalf("returned %d times after the first load, want once", freed)
	}
	for i := range 3 {
		if err := h.st.Put(&store.Capture{Method: "POST", Path: fmt.Sprintf("/n/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h.w.list.reload()
	h.q.until(t, "the list reloaded", func() bool { return h.w.list.ids.Loaded() && h.rows() == 3 })
	if freed != 1 {
		t.Errorf("returned %d times after a reload, want once in all", freed)
	}
}
