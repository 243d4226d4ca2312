package ui

import (
	"testing"
	"time"

	"hookscope/store"
)

func TestNextAgeChangeIsWhenTheTextChanges(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	for _, tc := range []struct {
		age, next time.Duration
	}{
		{500 * ms, time.Second},
		{30*time.Second + 200*ms, 31 * time.Second},
		{59 * time.Second, time.Minute},
		{90 * time.Second, 2 * time.Minute},
		{2*time.Hour + 5*time.Minute, 3 * time.Hour},
		{50 * time.Hour, 72 * time.Hour},
	} {
		got := nextAgeChange(at, at.Add(tc.age))
		if want := at.Add(tc.next + ms); !got.Equal(want) {
			t.Errorf("age %s: next change at +%s, want +%s", tc.age, got.Sub(at), want.Sub(at))
		}
		if before, after := relativeTime(tc.age), relativeTime(got.Sub(at)); before == after {
			t.Errorf("age %s: %q still at the next change", tc.age, after)
		}
		if before, just := relativeTime(tc.age), relativeTime(got.Sub(at)-2*ms); before != just {
			t.Errorf("age %s: %q changed to %q before the next change", tc.age, before, just)
		}
	}
}

func (h *harness) clockDue() time.Time {
	h.w.clock.mu.Lock()
	defer h.w.clock.mu.Unlock()
	return h.w.clock.due
}

// TestAClockOnlyWakesWhenAnAgeChanges: a list whose newest capture is a few
// minutes old wakes the window once a minute, a capture arriving makes it
// wake within the second, and a hidden window does not wake at all.
func TestAClockOnlyWakesWhenAnAgeChanges(t *testing.T) {
	h := newHarness(t)
	received := time.Now().Add(-3*time.Minute - 10*time.Second)
	if err := h.st.Put(&store.Capture{Method: "POST", Path: "/old", ReceivedAt: received}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the capture listed", func() bool { return h.rows() == 1 })
	h.q.until(t, "the clock armed for the next minute", func() bool {
		return h.clockDue().Equal(received.Add(4*time.Minute + time.Millisecond))
	})

	h.post("/new", "application/json", "{}")
	h.q.until(t, "the clock armed within the second", func() bool {
		due := h.clockDue()
		return !due.IsZero() && time.Until(due) <= time.Second
	})

	h.w.onCloseRequest() // hides to the tray, as Settings default to
	h.q.until(t, "the clock of a hidden window stopped", func() bool { return h.clockDue().IsZero() })
	h.w.showFromTray()
	if due := h.clockDue(); due.IsZero() || time.Until(due) > time.Second {
		t.Fatalf("shown again, the clock wakes in %s", time.Until(due))
	}
}
