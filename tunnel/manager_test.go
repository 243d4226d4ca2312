package tunnel_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hookscope/tunnel"
)

// scripted is a provider whose runs follow a script: each run reports
// online (or not) and then waits for ctx or returns an error.
type scripted struct {
	mu      sync.Mutex
	runs    int
	running atomic.Int32
	run     func(n int, ctx context.Context, report func(tunnel.State)) error
}

func (p *scripted) Run(ctx context.Context, h http.Handler, report func(tunnel.State)) error {
	p.mu.Lock()
	p.runs++
	n := p.runs
	p.mu.Unlock()
	p.running.Add(1)
	defer p.running.Add(-1)
	return p.run(n, ctx, report)
}

func (p *scripted) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runs
}

func newScripted(t *testing.T, p *scripted, opts tunnel.Options) *tunnel.Manager {
	t.Helper()
	opts.NewProvider = func(tunnel.Config) (tunnel.Provider, error) { return p, nil }
	if opts.Backoff == nil {
		opts.Backoff = []time.Duration{time.Millisecond}
	}
	m := tunnel.NewManager(func(string) http.Handler { return http.NotFoundHandler() }, opts)
	t.Cleanup(m.Close)
	return m
}

func onlineUntilStopped(n int, ctx context.Context, report func(tunnel.State)) error {
	report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://example.test"})
	<-ctx.Done()
	return nil
}

func TestManagerRunsStopsAndRestartsItsProvider(t *testing.T) {
	p := &scripted{run: onlineUntilStopped}
	m := newScripted(t, p, tunnel.Options{})
	cfg := tunnel.Config{Provider: tunnel.Custom, CustomURL: "https://example.test"}
	rec, online, i := setAndWait(t, m, cfg, "online", status(tunnel.StatusOnline))
	if online.Provider != tunnel.Custom || online.URL != "https://example.test" || online.Since.IsZero() {
		t.Fatalf("online state %+v", online)
	}
	if m.Config() != cfg {
		t.Fatalf("Config %+v", m.Config())
	}
	// Setting the same config again is the window's Retry: a new run.
	m.Set(cfg)
	rec.waitFor(t, i+1, "online again", status(tunnel.StatusOnline))
	if p.count() != 2 || p.running.Load() != 1 {
		t.Fatalf("%d runs, %d running", p.count(), p.running.Load())
	}
	m.Set(tunnel.Config{})
	if p.running.Load() != 0 || m.State().Status != tunnel.StatusOff {
		t.Fatalf("after Off: %d running, state %+v", p.running.Load(), m.State())
	}
}

func TestManagerGivesUpAfterMaxFailuresWithTheReason(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		return errors.New("no route to the edge")
	}}
	m := newScripted(t, p, tunnel.Options{MaxFailures: 3})
	rec, failed, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "failed", status(tunnel.StatusFailed))
	if failed.Err != "no route to the edge" || p.count() != 3 {
		t.Fatalf("failed %+v after %d runs, want 3", failed, p.count())
	}
	sawReason := false
	for _, s := range rec.all() {
		sawReason = sawReason || (s.Status == tunnel.StatusReconnecting && s.Err == "no route to the edge")
	}
	if !sawReason {
		t.Fatalf("no reconnecting state said why: %+v", rec.all())
	}
}

func TestManagerDoesNotRetryAPermanentError(t *testing.T) {
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		return &tunnel.Permanent{Err: errors.New("refused"), Hint: "fix it"}
	}}
	m := newScripted(t, p, tunnel.Options{})
	_, failed, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "failed", status(tunnel.StatusFailed))
	time.Sleep(50 * time.Millisecond) // room for a retry that must not come
	if failed.Hint != "fix it" || p.count() != 1 {
		t.Fatalf("failed %+v after %d runs", failed, p.count())
	}
}

func TestManagerFailuresCountOnlyInARowWithoutComingOnline(t *testing.T) {
	// Every run comes online and then drops: the tunnel works, so the
	// manager keeps bringing it back well past MaxFailures.
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		if n > 6 {
			return onlineUntilStopped(n, ctx, report)
		}
		report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://example.test"})
		return errors.New("dropped")
	}}
	m := newScripted(t, p, tunnel.Options{MaxFailures: 2})
	rec, _, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "the seventh run", func(tunnel.State) bool { return p.count() == 7 && p.running.Load() == 1 })
	for _, s := range rec.all() {
		if s.Status == tunnel.StatusFailed {
			t.Fatalf("gave up on a tunnel that kept coming online: %+v", rec.all())
		}
	}
}

// A Config Validate refuses is returned and changes nothing: the tunnel in
// force keeps running with its settings.
func TestManagerRefusedConfigChangesNothing(t *testing.T) {
	p := &scripted{run: onlineUntilStopped}
	m := newScripted(t, p, tunnel.Options{})
	good := tunnel.Config{Provider: tunnel.Custom, CustomURL: "https://example.test"}
	_, online, _ := setAndWait(t, m, good, "online", status(tunnel.StatusOnline))
	for _, bad := range []tunnel.Config{
		{Provider: "cloudflare"},
		{Provider: tunnel.Custom, CustomURL: "ftp://example.test"},
		{Provider: tunnel.Custom, CustomURL: "https://ok.example", CustomAddr: "nonsense"},
		{Provider: tunnel.Ngrok},
	} {
		err := m.Set(bad)
		var perm *tunnel.Permanent
		if !errors.As(err, &perm) || perm.Hint == "" {
			t.Fatalf("Set(%+v): %v, want a refusal with a hint", bad, err)
		}
		if m.State() != online || m.Config() != good || p.count() != 1 || p.running.Load() != 1 {
			t.Fatalf("after refusing %+v: state %+v, config %+v, %d runs, %d running", bad, m.State(), m.Config(), p.count(), p.running.Load())
		}
	}
}

func TestManagerSubscribeStops(t *testing.T) {
	p := &scripted{run: onlineUntilStopped}
	m := newScripted(t, p, tunnel.Options{})
	var calls atomic.Int32
	stop := m.Subscribe(func(tunnel.State) { calls.Add(1) })
	setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	stop()
	before := calls.Load()
	m.Set(tunnel.Config{})
	if calls.Load() != before || before == 0 {
		t.Fatalf("calls: %d before stop, %d after", before, calls.Load())
	}
}

func TestManagerStartingAfterAFailureCarriesNoOldError(t *testing.T) {
	release := make(chan struct{})
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		if n == 1 {
			return &tunnel.Permanent{Err: errors.New("the old failure")}
		}
		report(tunnel.State{Status: tunnel.StatusStarting, Target: "127.0.0.1:9"})
		<-release
		return onlineUntilStopped(n, ctx, report)
	}}
	m := newScripted(t, p, tunnel.Options{})
	rec, _, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "failed", status(tunnel.StatusFailed))
	m.Set(tunnel.Config{Provider: tunnel.Cloudflared})
	starting, _ := rec.waitFor(t, i, "starting with its target", func(s tunnel.State) bool { return s.Status == tunnel.StatusStarting && s.Target != "" })
	close(release)
	for _, s := range rec.all()[i+1:] {
		if s.Err != "" {
			t.Fatalf("a new start shows the old error: %+v (then %+v)", s, starting)
		}
	}
}

func TestManagerRestartStaysReconnectingWithTheReason(t *testing.T) {
	// A provider reports starting on every run; on a restart the window
	// should keep saying reconnecting and why, not "starting".
	p := &scripted{run: func(n int, ctx context.Context, report func(tunnel.State)) error {
		report(tunnel.State{Status: tunnel.StatusStarting, Target: "127.0.0.1:9"})
		if n == 1 {
			report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://example.test"})
			return errors.New("the edge hung up")
		}
		<-ctx.Done()
		return nil
	}}
	m := newScripted(t, p, tunnel.Options{})
	rec, _, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	rec.waitFor(t, i, "the second run's target", func(s tunnel.State) bool { return p.count() == 2 && s.Target != "" && s.Status != tunnel.StatusOnline })
	for _, s := range rec.all()[i+1:] {
		if s.Status != tunnel.StatusReconnecting || s.Err != "the edge hung up" {
			t.Fatalf("after the drop: %+v", rec.all()[i+1:])
		}
	}
}
