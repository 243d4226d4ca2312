package tunnel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/receiver"
	"hookscope/signature"
	"hookscope/store"
	"hookscope/store/storetest"
	"hookscope/tunnel"
	"hookscope/tunnel/cloudflaredtest"
)

// receiverFor is a real receiver on a real store, with a Stripe project.
func receiverFor(t *testing.T) (*receiver.Server, *store.Store) {
	t.Helper()
	st := storetest.Open(t, store.Options{})
	if err := st.PutProject(store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_tunnel_test", Scheme: signature.SchemeStripe}); err != nil {
		t.Fatal(err)
	}
	return receiver.New(st, receiver.Options{}), st
}

func captureManager(t *testing.T, srv *receiver.Server, opts tunnel.Options) *tunnel.Manager {
	t.Helper()
	m := tunnel.NewManager(func(p string) http.Handler { return srv.CaptureHandler(p) }, opts)
	t.Cleanup(m.Close)
	return m
}

var quickURL = regexp.MustCompile(`^https://[a-z0-9-]+\.trycloudflare\.com$`)

func TestCloudflaredQuickTunnelCapturesSignedRequestsByteExact(t *testing.T) {
	infoPath := fakeCloudflared(t, "")
	srv, st := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{})
	_, online, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	in := waitInfo(t, infoPath, 0)
	if !quickURL.MatchString(online.URL) || online.URL != "https://"+in.Hostname || online.Target == "" || online.Provider != tunnel.Cloudflared {
		t.Fatalf("online state %+v (fake's hostname %s)", online, in.Hostname)
	}

	body := []byte("{\"id\":\"evt_1\",\n  \"type\":\"charge.succeeded\", \"note\":\"caf\u00e9 \\u00e9\"}\r\n")
	sr := signature.Request{Method: "POST", URL: online.URL + "/shop/stripe", Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if err := signature.Sign(&sr, signature.Config{Scheme: signature.SchemeStripe, Secret: "whsec_tunnel_test"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "http://"+in.Edge+"/shop/stripe", bytes.NewReader(body))
	req.Header = sr.Header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get(receiver.CaptureIDHeader))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer through the tunnel: %d, id %v", resp.StatusCode, err)
	}
	c, err := st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Body, body) || c.Via != tunnel.Cloudflared || c.Project != "shop" || c.Host != in.Hostname {
		t.Fatalf("capture body %q via %q project %q host %q", c.Body, c.Via, c.Project, c.Host)
	}
	if c.Signature.Status != string(signature.Valid) {
		t.Fatalf("signature through the tunnel: %+v", c.Signature)
	}
	if c.Header.Get("Cf-Ray") == "" || c.Header.Get("X-Forwarded-Proto") != "https" {
		t.Fatalf("the edge's headers are missing: %v", c.Header)
	}

	m.Close()
	waitGone(t, in.PID)
	if s := m.State(); s.Status != tunnel.StatusOff {
		t.Fatalf("after Close: %+v", s)
	}
}

func TestCloudflaredNeverServesTheAPIThroughTheEdge(t *testing.T) {
	infoPath := fakeCloudflared(t, "")
	srv, st := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{})
	setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	in := waitInfo(t, infoPath, 0)
	for _, method := range []string{"GET", "POST", "DELETE"} {
		req, _ := http.NewRequest(method, "http://"+in.Edge+"/_hookscope/api/projects", strings.NewReader(`{"slug":"x"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || e.Error == "" {
			t.Fatalf("%s /_hookscope/api/projects through the tunnel: %d %q", method, resp.StatusCode, e.Error)
		}
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatalf("%d API requests were captured", n)
	}
}

func TestCloudflaredFailingToRequestATunnelRetriesThenFails(t *testing.T) {
	fakeCloudflared(t, "fail")
	srv, _ := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{Backoff: []time.Duration{10 * time.Millisecond}, MaxFailures: 2})
	rec, recon, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "reconnecting with a reason", func(s tunnel.State) bool { return s.Status == tunnel.StatusReconnecting && s.Err != "" })
	failed, _ := rec.waitFor(t, i, "failed", status(tunnel.StatusFailed))
	for _, s := range []tunnel.State{recon, failed} {
		if !strings.Contains(s.Err, "cloudflared could not request a quick tunnel (no network?)") || !strings.Contains(s.Err, "failed to request quick Tunnel") {
			t.Fatalf("%s: %q does not say why", s.Status, s.Err)
		}
	}
}

func TestCloudflaredThatNeverConnectsIsStoppedWithAnError(t *testing.T) {
	infoPath := fakeCloudflared(t, "never-ready")
	p := &tunnel.CloudflaredProvider{ReadyTimeout: 3 * time.Second, StopWait: 200 * time.Millisecond}
	var states []tunnel.State
	err := p.Run(context.Background(), http.NotFoundHandler(), func(s tunnel.State) { states = append(states, s) })
	if err == nil || !strings.Contains(err.Error(), "did not connect") {
		t.Fatalf("Run: %v", err)
	}
	for _, s := range states {
		if s.Status == tunnel.StatusOnline {
			t.Fatalf("reported online: %+v", states)
		}
	}
	// On a loaded machine the fake may be stopped before it wrote its pid;
	// Run waits for the child it started, so then there is nothing to find.
	in, err := cloudflaredtest.ReadInfo(infoPath)
	if err == nil && in.PID != 0 && !gone(in.PID) {
		t.Fatalf("Run returned with cloudflared (pid %d) still running", in.PID)
	}
}

func TestCloudflaredThatCrashesIsRestarted(t *testing.T) {
	infoPath := fakeCloudflared(t, "crash")
	t.Setenv(cloudflaredtest.EnvCrashAfter, "700ms")
	srv, _ := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{Backoff: []time.Duration{50 * time.Millisecond}})
	rec, first, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	firstPID := waitInfo(t, infoPath, 0).PID
	recon, i := rec.waitFor(t, i, "reconnecting", status(tunnel.StatusReconnecting))
	again, _ := rec.waitFor(t, i, "online again", status(tunnel.StatusOnline))
	if !strings.Contains(recon.Err, "cloudflared stopped") || !strings.Contains(recon.Err, "fake crash") {
		t.Fatalf("reconnecting reason %q", recon.Err)
	}
	if again.URL == "" || !quickURL.MatchString(again.URL) {
		t.Fatalf("back online with %+v (first %+v)", again, first)
	}
	waitGone(t, firstPID)
}

func TestMissingCloudflaredFailsWithTheHintAndIsNotRetried(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	srv, _ := receiverFor(t)
	for _, cfg := range []tunnel.Config{
		{Provider: tunnel.Cloudflared},
		{Provider: tunnel.Cloudflared, CloudflaredPath: filepath.Join(t.TempDir(), "cloudflared")},
	} {
		m := captureManager(t, srv, tunnel.Options{Backoff: []time.Duration{time.Millisecond}})
		rec, failed, _ := setAndWait(t, m, cfg, "failed", status(tunnel.StatusFailed))
		if failed.Hint != tunnel.CloudflaredHint || !strings.Contains(failed.Err, "cloudflared") {
			t.Fatalf("failed state %+v", failed)
		}
		time.Sleep(100 * time.Millisecond) // room for a retry that must not come
		starts := 0
		for _, s := range rec.all() {
			if s.Status == tunnel.StatusStarting || s.Status == tunnel.StatusReconnecting {
				starts++
			}
		}
		if starts != 1 || m.State().Status != tunnel.StatusFailed {
			t.Fatalf("a missing binary was retried: %+v", rec.all())
		}
	}
}

// TestChildDiesWithItsParent kills Hookscope (here a test binary running the
// provider) with SIGKILL, which it cannot catch: cloudflared must not be
// left running.
func TestChildDiesWithItsParent(t *testing.T) {
	infoPath := fakeCloudflared(t, "")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	parent := exec.Command(self)
	parent.Env = append(os.Environ(), envParent+"=1")
	out := &syncBuffer{}
	parent.Stdout, parent.Stderr = out, out
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { parent.Process.Kill(); parent.Wait() })
	in := waitInfo(t, infoPath, 0)
	// Wait until the tunnel is up, so the child is past its start.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "online https://") {
		if time.Now().After(deadline) {
			t.Fatalf("parent never online: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if gone(in.PID) {
		t.Fatal("cloudflared is not running before the parent is killed")
	}
	parent.Process.Signal(os.Kill)
	parent.Wait()
	waitGone(t, in.PID)
}

// syncBuffer is written by exec's copying goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestCloudflaredLosingItsConnectionIsReconnectingThenOnline(t *testing.T) {
	infoPath := fakeCloudflared(t, "drop")
	t.Setenv(cloudflaredtest.EnvCrashAfter, "600ms")
	srv, _ := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{})
	rec, first, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	pid := waitInfo(t, infoPath, 0).PID
	recon, i := rec.waitFor(t, i, "reconnecting", status(tunnel.StatusReconnecting))
	again, _ := rec.waitFor(t, i, "online again", status(tunnel.StatusOnline))
	if !strings.Contains(recon.Err, "lost its connection") || again.URL != first.URL {
		t.Fatalf("reconnecting %+v, then %+v (first %+v)", recon, again, first)
	}
	if in, _ := cloudflaredtest.ReadInfo(infoPath); in.PID != pid || gone(pid) {
		t.Fatalf("cloudflared was restarted (pid %d, then %d) instead of reconnecting by itself", pid, in.PID)
	}
}

func TestCloudflaredRetriesWhenItsMetricsPortWasTaken(t *testing.T) {
	infoPath := fakeCloudflared(t, "")
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	picks := 0
	p := tunnel.WithMetricsPorts(&tunnel.CloudflaredProvider{StopWait: 200 * time.Millisecond}, func() (string, error) {
		picks++
		if picks == 1 {
			return taken.Addr().String(), nil // lost the race to another process
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		defer ln.Close()
		return ln.Addr().String(), nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	online := make(chan tunnel.State, 1)
	done := make(chan error, 1)
	go func() {
		done <- p.Run(ctx, http.NotFoundHandler(), func(s tunnel.State) {
			if s.Status == tunnel.StatusOnline {
				online <- s
			}
		})
	}()
	select {
	case s := <-online:
		if !quickURL.MatchString(s.URL) || picks != 2 {
			t.Fatalf("online %+v after %d picks", s, picks)
		}
	case err := <-done:
		t.Fatalf("Run ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("not online within 30 s")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after stop: %v", err)
	}
	waitGone(t, waitInfo(t, infoPath, 0).PID)
}

func TestCloudflaredWithoutQuickTunnelEndpointReadsTheURLFromItsLog(t *testing.T) {
	infoPath := fakeCloudflared(t, "old")
	srv, _ := receiverFor(t)
	m := captureManager(t, srv, tunnel.Options{})
	_, online, _ := setAndWait(t, m, tunnel.Config{Provider: tunnel.Cloudflared}, "online", status(tunnel.StatusOnline))
	if in := waitInfo(t, infoPath, 0); online.URL != "https://"+in.Hostname {
		t.Fatalf("online at %q, the box said %s", online.URL, in.Hostname)
	}
}
