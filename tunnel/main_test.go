package tunnel_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hookscope/tunnel"
	"hookscope/tunnel/cloudflaredtest"
)

// envParent makes the test binary a parent that runs a cloudflared tunnel
// until it is killed (see TestChildDiesWithItsParent).
const envParent = "HOOKSCOPE_TEST_TUNNEL_PARENT"

func TestMain(m *testing.M) {
	if os.Getenv(envParent) != "" {
		os.Unsetenv(envParent) // its child is the fake cloudflared, not another parent
		runParent()
		return
	}
	if os.Getenv(cloudflaredtest.Env) != "" {
		cloudflaredtest.Main()
	}
	os.Exit(m.Run())
}

func runParent() {
	p := &tunnel.CloudflaredProvider{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	err := p.Run(context.Background(), h, func(s tunnel.State) { fmt.Println(s.Status, s.URL) })
	fmt.Fprintln(os.Stderr, "parent:", err)
	os.Exit(1)
}

// recorder keeps every state a manager reports.
type recorder struct {
	mu     sync.Mutex
	states []tunnel.State
	change chan struct{}
}

func record(m *tunnel.Manager) *recorder {
	r := &recorder{change: make(chan struct{}, 1)}
	m.Subscribe(func(s tunnel.State) {
		r.mu.Lock()
		r.states = append(r.states, s)
		r.mu.Unlock()
		select {
		case r.change <- struct{}{}:
		default:
		}
	})
	return r
}

func (r *recorder) all() []tunnel.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]tunnel.State(nil), r.states...)
}

// waitFor waits for a state after the from-th that ok accepts and returns
// it with its index.
func (r *recorder) waitFor(t *testing.T, from int, what string, ok func(tunnel.State) bool) (tunnel.State, int) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		states := r.all()
		for i := from; i < len(states); i++ {
			if ok(states[i]) {
				return states[i], i
			}
		}
		select {
		case <-r.change:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no %s state within 30 s; states: %+v", what, states)
		}
	}
}

func status(st tunnel.Status) func(tunnel.State) bool {
	return func(s tunnel.State) bool { return s.Status == st }
}

// fakeCloudflared puts the fake cloudflared on PATH in the given mode and
// returns the file it writes its Info to.
func fakeCloudflared(t *testing.T, mode string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := cloudflaredtest.Install(dir); err != nil {
		t.Fatal(err)
	}
	info := dir + "/info.json"
	t.Setenv("PATH", dir)
	t.Setenv(cloudflaredtest.Env, "1")
	t.Setenv(cloudflaredtest.EnvInfo, info)
	t.Setenv(cloudflaredtest.EnvMode, mode)
	return info
}

// waitInfo waits for the fake to write its Info (a pid other than notPID).
func waitInfo(t *testing.T, path string, notPID int) cloudflaredtest.Info {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if in, err := cloudflaredtest.ReadInfo(path); err == nil && in.PID != 0 && in.PID != notPID {
			return in
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the fake cloudflared did not start within 30 s")
	return cloudflaredtest.Info{}
}

// gone reports whether pid no longer runs (a zombie left for a parent that
// never reaps it counts as gone).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z") || strings.HasPrefix(rest, "X")
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("cloudflared (pid %d) still runs", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setAndWait records m's states, sets cfg and waits for the first state ok
// accepts, which it returns with its index and the recorder.
func setAndWait(t *testing.T, m *tunnel.Manager, cfg tunnel.Config, what string, ok func(tunnel.State) bool) (*recorder, tunnel.State, int) {
	t.Helper()
	rec := record(m)
	if err := m.Set(cfg); err != nil {
		t.Fatalf("Set(%+v): %v", cfg, err)
	}
	s, i := rec.waitFor(t, 0, what, ok)
	return rec, s, i
}
