package receiver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hookscope/delivery"
	"hookscope/store"
)

// countStays polls the capture count for a second and fails if it ever
// differs from want: a forward loop adds captures as long as it runs.
func countStays(t *testing.T, st *store.Store, want int) {
	t.Helper()
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		n, err := st.Count()
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("%d captures, want %d (a forward loop?)", n, want)
		}
	}
}

// waitCount waits (a bounded time) until the store holds want captures.
func waitCount(t *testing.T, st *store.Store, want int) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if n, _ := st.Count(); n >= want {
			return
		}
	}
	n, _ := st.Count()
	t.Fatalf("%d captures, want %d", n, want)
}

// loopProject forwards every capture of "loop" to url; it is stored
// directly, as a project saved before the API refused such URLs.
func loopProject(t *testing.T, srv *Server, st *store.Store, url string) {
	t.Helper()
	putProject(t, st, store.Project{Slug: "loop", Name: "loop", Forward: true,
		Webhooks: []store.Webhook{{Action: "x", URL: url, Enabled: true}}})
	waitProject(t, srv, "loop", func(store.Project) bool { return true })
}

// waitDeliveries waits (a bounded time) until the project has n attempts
// that satisfy ok, and returns them.
func waitDeliveries(t *testing.T, st *store.Store, slug string, n int, ok func(store.Attempt) bool) []store.Attempt {
	t.Helper()
	var got []store.Attempt
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		all, err := st.Deliveries(slug, "", store.MaxDeliveriesPerProject)
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, a := range all {
			if ok(a) {
				got = append(got, a)
			}
		}
		if len(got) >= n {
			return got
		}
	}
	t.Fatalf("%d matching attempts of %s, want %d", len(got), slug, n)
	return nil
}

func TestForwardToTheReceiverItselfIsNotSent(t *testing.T) {
	srv, st := start(t, Options{})
	loopProject(t, srv, st, srv.URL()+"/loop/x")
	if resp := send(t, "POST", srv.URL()+"/loop/x", []byte(`{"n":1}`), nil); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	countStays(t, st, 1)
	a := waitDeliveries(t, st, "loop", 1, func(store.Attempt) bool { return true })
	if !strings.Contains(a[0].Error, delivery.OwnReceiverMessage) || a[0].StatusCode != 0 {
		t.Errorf("attempt: %d %q", a[0].StatusCode, a[0].Error)
	}
	p, _ := st.Project("loop")
	if w, _ := p.Webhook("x"); w.LastError == nil || !strings.Contains(w.LastError.Message, delivery.OwnReceiverMessage) {
		t.Errorf("lastError %+v", w.LastError)
	}
}

// TestForwardThroughATunnelToTheReceiverStopsAfterOneHop: a URL that leads
// back to the receiver by a way PointsAt cannot see (a tunnel's public URL,
// here a reverse proxy) yields one extra capture, marked, and no more.
func TestForwardThroughATunnelToTheReceiverStopsAfterOneHop(t *testing.T) {
	srv, st := start(t, Options{})
	recv, _ := url.Parse(srv.URL())
	tunnel := httptest.NewServer(httputil.NewSingleHostReverseProxy(recv))
	t.Cleanup(tunnel.Close)
	loopProject(t, srv, st, tunnel.URL+"/loop/x")
	if resp := send(t, "POST", srv.URL()+"/loop/x", []byte(`{"n":1}`), nil); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	waitCount(t, st, 2)
	countStays(t, st, 2)
	page, _, err := st.List(store.Filter{}, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	newest, err := st.Get(page[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if v := newest.Header.Get(delivery.HopHeader); v != "1" {
		t.Errorf("the forwarded capture carries %s: %q, want 1", delivery.HopHeader, v)
	}
}

// stalledTarget accepts forwards and never answers until release is
// called.
func stalledTarget(t *testing.T) (url string, started *atomic.Int64, release func()) {
	gate := make(chan struct{})
	started = &atomic.Int64{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Add(1)
		io.Copy(io.Discard, r.Body)
		select {
		case <-gate:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(ts.Close)
	var once sync.Once
	return ts.URL, started, func() { once.Do(func() { close(gate) }) }
}

// fillQueue sends n captures of size bytes to a forwarding project whose
// target never answers; every capture must be answered 200.
func fillQueue(t *testing.T, opts Options, n, size int) (*Server, *store.Store, *atomic.Int64) {
	t.Helper()
	target, started, release := stalledTarget(t)
	opts.Delivery = nil
	srv, st := start(t, opts)
	t.Cleanup(release) // before Stop, which would wait for the forwards
	loopProject(t, srv, st, target+"/hook")
	body := strings.Repeat("x", size)
	client := &http.Client{Timeout: 5 * time.Second}
	for i := range n {
		resp, err := client.Post(srv.URL()+"/loop/x", "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatalf("capture %d: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("capture %d: status %d", i, resp.StatusCode)
		}
	}
	return srv, st, started
}

func isFull(a store.Attempt) bool { return strings.HasPrefix(a.Error, "forward queue full (") }

func TestForwardQueueIsBoundedByCount(t *testing.T) {
	before := runtime.NumGoroutine()
	const n, limit = 150, 40
	srv, st, started := fillQueue(t, Options{ForwardQueue: limit, ForwardQueueBytes: 1 << 20}, n, 16<<10)
	full := waitDeliveries(t, st, "loop", n-limit, isFull)
	if len(full) != n-limit {
		t.Errorf("%d queue-full attempts, want %d", len(full), n-limit)
	}
	if want := "forward queue full (40 captures / 1 MiB waiting)"; full[0].Error != want {
		t.Errorf("error %q, want %q", full[0].Error, want)
	}
	p, _ := st.Project("loop")
	if w, _ := p.Webhook("x"); w.LastError == nil || !isFull(store.Attempt{Error: w.LastError.Message}) {
		t.Errorf("lastError %+v", w.LastError)
	}
	for end := time.Now().Add(5 * time.Second); started.Load() < forwardWorkers && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	if got := started.Load(); got != forwardWorkers {
		t.Errorf("%d forwards in flight, want %d", got, forwardWorkers)
	}
	// Each forward in flight holds a worker, the client's two connection
	// goroutines, and the target's connection and its background read;
	// the captures waiting hold none.
	if grown := runtime.NumGoroutine() - before; grown > forwardWorkers*5+20 {
		t.Errorf("%d more goroutines for %d captures to forward", grown, n)
	}

	// Stop gives up waiting: the forwards in flight are canceled, those
	// waiting recorded as dropped, and no goroutine is left.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	srv.Stop(ctx)
	dropped := waitDeliveries(t, st, "loop", limit-forwardWorkers, func(a store.Attempt) bool { return a.Error == stoppedReason })
	if len(dropped) != limit-forwardWorkers {
		t.Errorf("%d dropped, want %d", len(dropped), limit-forwardWorkers)
	}
	canceled := waitDeliveries(t, st, "loop", forwardWorkers, func(a store.Attempt) bool { return strings.Contains(a.Error, "canceled") })
	if len(canceled) != forwardWorkers {
		t.Errorf("%d canceled, want %d", len(canceled), forwardWorkers)
	}
	settles(t, before)
}

func TestForwardQueueIsBoundedByBytes(t *testing.T) {
	srv, st, _ := fillQueue(t, Options{ForwardQueueBytes: 64 << 10}, 20, 16<<10)
	// 16 KiB bodies and their headers: three fit in 64 KiB.
	full := waitDeliveries(t, st, "loop", 17, isFull)
	if want := "forward queue full (1,000 captures / 64 KiB waiting)"; full[0].Error != want {
		t.Errorf("error %q, want %q", full[0].Error, want)
	}
	if n, _ := st.Count(); n != 20 {
		t.Errorf("%d captures stored, want 20", n)
	}
	srv.forwards.mu.Lock()
	held, bytes := srv.forwards.held, srv.forwards.bytes
	srv.forwards.mu.Unlock()
	if held != 3 || bytes > 64<<10 {
		t.Errorf("%d forwards held, %d bytes", held, bytes)
	}
}

// settles waits (a bounded time) for the goroutine count to come back near
// before.
func settles(t *testing.T, before int) {
	t.Helper()
	var now int
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if now = runtime.NumGoroutine(); now <= before+5 {
			return
		}
	}
	t.Errorf("%d goroutines after the receiver stopped, %d before", now, before)
}

// TestStopSendsTheQueuedForwards: Stop waits for the queue, and a receiver
// started again forwards again.
func TestStopSendsTheQueuedForwards(t *testing.T) {
	release := make(chan struct{})
	var done atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		done.Add(1)
	}))
	t.Cleanup(ts.Close)
	srv, st := start(t, Options{})
	loopProject(t, srv, st, ts.URL+"/hook")
	const n = 50
	for range n {
		send(t, "POST", srv.URL()+"/loop/x", []byte("{}"), nil)
	}
	stopped := make(chan error)
	go func() { stopped <- srv.Stop(context.Background()) }()
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if got := done.Load(); got != n {
		t.Errorf("Stop returned with %d of %d forwards answered", got, n)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	send(t, "POST", srv.URL()+"/loop/x", []byte("{}"), nil)
	waitDeliveries(t, st, "loop", n+1, func(a store.Attempt) bool { return a.StatusCode == 200 })
}
