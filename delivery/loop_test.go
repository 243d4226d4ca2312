package delivery

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"

	"hookscope/store"
)

func TestPointsAt(t *testing.T) {
	tests := []struct {
		target, listen string
		want           bool
	}{
		{"http://127.0.0.1:8787/loop/x", "127.0.0.1:8787", true},
		{"http://localhost:8787/x", "127.0.0.1:8787", true},
		{"http://LOCALHOST.:8787/x", "127.0.0.1:8787", true},
		{"http://app.localhost:8787/x", "127.0.0.1:8787", true},
		{"http://127.0.0.2:8787/x", "127.0.0.1:8787", true},
		{"http://[::1]:8787/x", "127.0.0.1:8787", true},
		{"http://[::ffff:127.0.0.1]:8787/x", "127.0.0.1:8787", true},
		{"http://0.0.0.0:8787/x", "127.0.0.1:8787", true},
		{"http://[::]:8787/x", "127.0.0.1:8787", true},
		{"https://127.0.0.1:8787/x", "127.0.0.1:8787", true},
		{"http://127.0.0.1:8787", "localhost:8787", true},
		{"http://127.0.0.1/x", "127.0.0.1:80", true},
		{"https://localhost/x", "127.0.0.1:443", true},
		{"http://127.0.0.1:8787/x", "0.0.0.0:8787", true},
		{"http://localhost:8787/x", "[::]:8787", true},
		{"http://127.0.0.1:8787/x", ":8787", true},
		{"http://192.0.2.7:8787/x", "192.0.2.7:8787", true},

		{"http://127.0.0.1:8788/x", "127.0.0.1:8787", false},
		{"http://127.0.0.1/x", "127.0.0.1:8787", false},
		{"http://example.com:8787/x", "127.0.0.1:8787", false},
		{"http://example.com:8787/x", "0.0.0.0:8787", false},
		{"http://192.0.2.7:8787/x", "127.0.0.1:8787", false},
		{"http://192.0.2.7:8787/x", "0.0.0.0:8787", false}, // not this machine's
		{"http://127.0.0.1:8787/x", "192.0.2.7:8787", false},
		{"http://127.0.0.1:8787/x", "", false},
		{"http://127.0.0.1:8787/x", "127.0.0.1:0", false},
		{"not a url", "127.0.0.1:8787", false},
		{"", "127.0.0.1:8787", false},
	}
	for _, tc := range tests {
		if got := PointsAt(tc.target, tc.listen); got != tc.want {
			t.Errorf("PointsAt(%q, %q) = %v, want %v", tc.target, tc.listen, got, tc.want)
		}
	}
}

// TestPointsAtThisMachineWhenListeningEverywhere uses this machine's real
// addresses and name.
func TestPointsAtThisMachineWhenListeningEverywhere(t *testing.T) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	var own netip.Addr
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() {
			own, _ = netip.AddrFromSlice(n.IP)
			break
		}
	}
	if !own.IsValid() {
		t.Skip("this machine has no address but loopback")
	}
	target := "http://" + net.JoinHostPort(own.Unmap().String(), "8787") + "/x"
	if !PointsAt(target, "0.0.0.0:8787") {
		t.Errorf("%s does not point at a receiver on 0.0.0.0:8787", target)
	}
	if PointsAt(target, "127.0.0.1:8787") {
		t.Errorf("%s points at a receiver listening on loopback only", target)
	}
	if name, err := os.Hostname(); err == nil && name != "" {
		if !PointsAt("http://"+name+":8787/x", "[::]:8787") {
			t.Errorf("this machine's name %q does not point at a receiver on [::]:8787", name)
		}
	}
}

func TestHops(t *testing.T) {
	tests := map[string]struct {
		h    http.Header
		want int
	}{
		"absent":    {http.Header{}, 0},
		"one":       {http.Header{HopHeader: {"1"}}, 1},
		"three":     {http.Header{HopHeader: {" 3 "}}, 3},
		"garbage":   {http.Header{HopHeader: {"yes"}}, 1},
		"empty":     {http.Header{HopHeader: {""}}, 1},
		"negative":  {http.Header{HopHeader: {"-4"}}, 1},
		"too large": {http.Header{HopHeader: {"99999999999999999999"}}, 1},
		"capped":    {http.Header{HopHeader: {"5000"}}, maxHops},
	}
	for name, tc := range tests {
		if got := Hops(tc.h); got != tc.want {
			t.Errorf("%s: Hops = %d, want %d", name, got, tc.want)
		}
	}
}

// TestEverySendIsMarked: forwards, replays and test events carry the hop
// count, one more than the capture's.
func TestEverySendIsMarked(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	p := putProject(t, c.Store, project("shop", store.Webhook{Action: "orders", URL: srv.URL + "/in", Enabled: true}))
	fresh := &store.Capture{Method: "POST", Path: "/shop/orders", Header: http.Header{}, Body: []byte("{}")}
	again := &store.Capture{Method: "POST", Path: "/shop/orders", Header: http.Header{HopHeader: {"2"}}, Body: []byte("{}")}
	for _, capture := range []*store.Capture{fresh, again} {
		if err := c.Store.Put(capture); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if _, err := c.Forward(ctx, p, fresh, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Replay(ctx, again, &p, ReplayOptions{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	attempts, err := c.SendTestEvent(ctx, p, "orders", TemplateIntegration, 1)
	if err != nil || len(attempts) != 1 {
		t.Fatal(attempts, err)
	}
	got := rec.all()
	want := []string{"1", "3", "1"}
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for i, r := range got {
		if v := r.Header.Values(HopHeader); len(v) != 1 || v[0] != want[i] {
			t.Errorf("request %d (%s) carried %s: %q, want %q", i, r.URI, HopHeader, v, want[i])
		}
	}
	if v := attempts[0].Request.Header.Get(HopHeader); v != "1" {
		t.Errorf("the recorded request shows %s: %q, want 1", HopHeader, v)
	}
}

// TestForwardToOwnReceiverIsNotSent: a forward target that points at the
// receiver (a project stored before the check existed) is not sent to, and
// the webhook's log says why.
func TestForwardToOwnReceiverIsNotSent(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	listen := strings.TrimPrefix(srv.URL, "http://")
	p := putProject(t, c.Store, project("loop", store.Webhook{Action: "x", URL: "http://localhost:" + portOf(t, listen) + "/loop/x", Enabled: true}))
	capture := &store.Capture{Project: "loop", Method: "POST", Path: "/loop/x", Header: http.Header{}, Body: []byte("{}")}
	if err := c.Store.Put(capture); err != nil {
		t.Fatal(err)
	}
	a, err := c.Forward(context.Background(), p, capture, listen)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 0 {
		t.Fatalf("the receiver got %d forwards of its own capture", n)
	}
	if a.StatusCode != 0 || !strings.Contains(a.Error, OwnReceiverMessage) {
		t.Errorf("attempt: status %d, error %q", a.StatusCode, a.Error)
	}
	stored, _ := c.Store.Project("loop")
	if w, _ := stored.Webhook("x"); w.LastError == nil || !strings.Contains(w.LastError.Message, OwnReceiverMessage) {
		t.Errorf("lastError %+v", w.LastError)
	}
	hist, err := Replays(c.Store, capture)
	if err != nil || len(hist) != 1 || hist[0].Error != a.Error {
		t.Errorf("capture history %+v, %v", hist, err)
	}
}

func portOf(t *testing.T, hostport string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatal(err)
	}
	return port
}

func TestNotForwardedRecordsTheReason(t *testing.T) {
	c := newClient(t)
	p := putProject(t, c.Store, project("shop", store.Webhook{Action: "orders", URL: "http://127.0.0.1:9/in", Enabled: true}))
	capture := &store.Capture{ID: 7, Method: "PUT", Path: "/shop/orders", RawQuery: "a=1"}
	a, err := c.NotForwarded(p, capture, "forward queue full")
	if err != nil {
		t.Fatal(err)
	}
	if a.Request.Method != "PUT" || a.Request.URL != "http://127.0.0.1:9/in?a=1" || a.CaptureID != 7 || a.Action != "orders" {
		t.Errorf("attempt %+v", a)
	}
	stored, _ := c.Store.Project("shop")
	if w, _ := stored.Webhook("orders"); w.LastError == nil || w.LastError.Message != "forward queue full" {
		t.Errorf("lastError %+v", w.LastError)
	}
	if _, err := c.NotForwarded(project("none"), capture, "x"); !errors.Is(err, ErrNoWebhook) {
		t.Errorf("no webhook: %v", err)
	}
}

func TestReplayURLRefusesDotSegments(t *testing.T) {
	for _, path := range []string{
		"/shop/../_hookscope/api/captures",
		"/shop/./x",
		"/shop/%2e%2e/_hookscope/api/captures",
		"/shop/%2E./x",
		"/shop/.%2E",
		"/shop/x/..",
	} {
		c := &store.Capture{Path: path, Project: "shop"}
		if got, err := ReplayURL("http://127.0.0.1:8787", c, true, false); !errors.Is(err, ErrDotSegment) {
			t.Errorf("%s: ReplayURL = %q, %v; want ErrDotSegment", path, got, err)
		}
		// Without keep_path the path is not used: nothing to refuse.
		if _, err := ReplayURL("http://127.0.0.1:8787/in", c, false, true); err != nil {
			t.Errorf("%s without keep_path: %v", path, err)
		}
	}
	for _, path := range []string{"/shop/a..b/.x/x.", "/shop/%2e%2ex", "/shop/..."} {
		c := &store.Capture{Path: path, Project: "shop"}
		if _, err := ReplayURL("http://127.0.0.1:8787", c, true, false); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}
