package tunnel_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/tunnel"
)

// Concurrent switches take turns: however many ran at once, "off" leaves
// no tunnel running, so none stays public.
func TestManagerConcurrentSetsThenOffLeaveNothingRunning(t *testing.T) {
	p := &scripted{run: onlineUntilStopped}
	m := newScripted(t, p, tunnel.Options{})
	rec := record(m)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := m.Set(tunnel.Config{Provider: tunnel.Cloudflared}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rec.waitFor(t, 0, "online", func(tunnel.State) bool { return m.State().Status == tunnel.StatusOnline })
	if n := p.running.Load(); n != 1 {
		t.Fatalf("%d tunnels run after 8 concurrent Sets, want 1", n)
	}
	if err := m.Set(tunnel.Config{}); err != nil {
		t.Fatal(err)
	}
	if n := p.running.Load(); n != 0 || m.State().Status != tunnel.StatusOff {
		t.Fatalf("after off: %d tunnels still run, state %+v", n, m.State())
	}
}

// When Set returns, State is the new config's: starting, with neither the
// old URL nor an old error.
func TestManagerSetAnswersTheNewConfigsState(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		if n == 1 {
			return onlineUntilStopped(n, ctx, report)
		}
		<-ctx.Done() // the second provider says nothing yet
		return nil
	}}
	m := newScripted(t, p, tunnel.Options{})
	_, online, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	if err := m.Set(tunnel.Config{Provider: tunnel.Ngrok, NgrokAuthtoken: "tok"}); err != nil {
		t.Fatal(err)
	}
	s := m.State()
	if s.Provider != tunnel.Ngrok || s.Status != tunnel.StatusStarting || s.URL != "" || s.Err != "" {
		t.Fatalf("state right after Set: %+v", s)
	}
	// Switching away from a running tunnel says its URL stopped working.
	if s.PreviousURL != online.URL || !strings.Contains(tunnel.Line(s), online.URL+" no longer works") {
		t.Fatalf("the switch does not say %s stopped: %+v, %q", online.URL, s, tunnel.Line(s))
	}
}

// Since is stamped anew when the provider changes, even when the status
// (starting) stays the same.
func TestManagerSinceChangesWithTheProvider(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error { <-ctx.Done(); return nil }}
	m := newScripted(t, p, tunnel.Options{Now: now})
	m.Set(tunnel.Config{Provider: tunnel.Cloudflared})
	first := m.State()
	m.Set(tunnel.Config{Provider: tunnel.Ngrok, NgrokAuthtoken: "tok"})
	second := m.State()
	if first.Status != second.Status || !second.Since.After(first.Since) {
		t.Fatalf("since kept across providers: %+v then %+v", first, second)
	}
}

// A tunnel that comes online and crashes seconds later is restarted ever
// more slowly: only a run that stayed online StableAfter resets the
// backoff.
func TestManagerBacksOffOnShortLivedRuns(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://example.test"})
		if n > 4 {
			<-ctx.Done()
			return nil
		}
		return errors.New("crashed")
	}}
	backoff := []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 4 * time.Millisecond}
	m := newScripted(t, p, tunnel.Options{Backoff: backoff, MaxFailures: 2})
	rec, _, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "the fifth run", func(tunnel.State) bool { return p.count() == 5 && p.running.Load() == 1 })
	var waits []time.Duration
	for _, s := range rec.all() {
		if s.Status == tunnel.StatusFailed {
			t.Fatalf("gave up on a tunnel that came online each time: %+v", s)
		}
		if s.RetryIn > 0 {
			waits = append(waits, s.RetryIn)
		}
	}
	if len(waits) != 4 || waits[0] != backoff[0] || waits[3] != backoff[3] {
		t.Fatalf("waits before restarts %v, want %v", waits, backoff)
	}
}

// Each stop is one headless line saying the wait and the attempt; the
// restart's own start adds none, and a start is announced once.
func TestManagerRestartIsOneLinePerEvent(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		report(tunnel.State{Status: tunnel.StatusStarting, Target: "127.0.0.1:9"})
		if n < 3 {
			return errors.New("cloudflared stopped: exit status 1")
		}
		return onlineUntilStopped(n, ctx, report)
	}}
	m := newScripted(t, p, tunnel.Options{Backoff: []time.Duration{time.Millisecond, 2 * time.Millisecond}, MaxFailures: 5})
	rec, _, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	var lines tunnel.Lines
	var printed []string
	for _, s := range rec.all() {
		if l := lines.Next(s); l != "" {
			printed = append(printed, l)
		}
	}
	want := []string{
		"tunnel: starting cloudflared",
		"tunnel: cloudflared stopped: exit status 1; retrying in 1 ms (attempt 2 of 5)",
		"tunnel: cloudflared stopped: exit status 1; retrying in 2 ms (attempt 3 of 5)",
		"public URL https://example.test",
	}
	if strings.Join(printed, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(printed, "\n"), strings.Join(want, "\n"))
	}
}

// A restart that brings a new URL says the old one no longer works.
func TestManagerNewURLAfterARestartNamesTheOldOne(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://run" + string(rune('0'+n)) + ".example"})
		if n == 1 {
			return errors.New("crashed")
		}
		<-ctx.Done()
		return nil
	}}
	m := newScripted(t, p, tunnel.Options{})
	rec, first, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	again, _ := rec.waitFor(t, i+1, "online again", status(tunnel.StatusOnline))
	if first.PreviousURL != "" || again.PreviousURL != "https://run1.example" {
		t.Fatalf("first %+v, then %+v", first, again)
	}
	if got, want := tunnel.Line(again), "public URL changed: https://run2.example (https://run1.example no longer works)"; got != want {
		t.Fatalf("line %q, want %q", got, want)
	}
	m.Set(tunnel.Config{})
	if got := tunnel.Line(m.State()); got != "tunnel: off; https://run2.example no longer works" {
		t.Fatalf("off line %q", got)
	}
}
