package receiver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/tunnel"
)

// fakeTunnel comes online at a URL naming its provider and stays until
// stopped.
type fakeTunnel struct{ cfg tunnel.Config }

func (f *fakeTunnel) Run(ctx context.Context, h http.Handler, report func(tunnel.State)) error {
	report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://" + f.cfg.Provider + ".example", Target: "127.0.0.1:9"})
	<-ctx.Done()
	return nil
}

// tunnelServer is a receiver whose manager builds fake tunnels, except
// for configs the real providers refuse; it records every config built.
func tunnelServer(t *testing.T) (*Server, func() []tunnel.Config) {
	t.Helper()
	srv, _ := start(t, Options{})
	var mu sync.Mutex
	var built []tunnel.Config
	m := tunnel.NewManager(func(p string) http.Handler { return srv.CaptureHandler(p) }, tunnel.Options{
		NewProvider: func(cfg tunnel.Config) (tunnel.Provider, error) {
			if _, err := tunnel.NewProvider(cfg); err != nil && cfg.Provider != tunnel.Ngrok {
				return nil, err
			}
			mu.Lock()
			built = append(built, cfg)
			mu.Unlock()
			return &fakeTunnel{cfg: cfg}, nil
		},
	})
	t.Cleanup(m.Close)
	srv.SetTunnel(m)
	return srv, func() []tunnel.Config {
		mu.Lock()
		defer mu.Unlock()
		return append([]tunnel.Config(nil), built...)
	}
}

func putTunnel(t *testing.T, srv *Server, body string) (int, string) {
	t.Helper()
	return raw(t, "PUT", srv.URL()+"/_hookscope/api/tunnel", body)
}

// waitTunnel polls GET /tunnel until ok accepts its answer.
func waitTunnel(t *testing.T, srv *Server, ok func(TunnelJSON) bool) TunnelJSON {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got TunnelJSON
		getJSON(t, srv.URL()+"/_hookscope/api/tunnel", 200, &got)
		if ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("tunnel state never matched; last %+v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTunnelAPIWithoutAManagerIs503(t *testing.T) {
	srv, _ := start(t, Options{})
	getJSON(t, srv.URL()+"/_hookscope/api/tunnel", http.StatusServiceUnavailable, &struct{}{})
}

func TestTunnelAPISwitchesAndNeverReturnsTheAuthtoken(t *testing.T) {
	srv, built := tunnelServer(t)
	off := waitTunnel(t, srv, func(TunnelJSON) bool { return true })
	if off.Status != "off" || off.Provider != "" || off.Since == "" {
		t.Fatalf("initial state %+v", off)
	}

	code, body := putTunnel(t, srv, `{"provider":"ngrok","authtoken":"tok_SECRET_123","domain":"hooks.example.ngrok.app"}`)
	if code != 200 || strings.Contains(body, "tok_SECRET_123") || strings.Contains(body, "authtoken") {
		t.Fatalf("PUT ngrok: %d %s", code, body)
	}
	on := waitTunnel(t, srv, func(s TunnelJSON) bool { return s.Status == "online" })
	if on.Provider != "ngrok" || on.URL != "https://ngrok.example" || on.Target != "127.0.0.1:9" {
		t.Fatalf("online %+v", on)
	}
	// Without an authtoken the one in force is kept; the domain changes.
	if code, body := putTunnel(t, srv, `{"provider":"ngrok","domain":"other.ngrok.app"}`); code != 200 {
		t.Fatalf("PUT without authtoken: %d %s", code, body)
	}
	last := built()[len(built())-1]
	if last.NgrokAuthtoken != "tok_SECRET_123" || last.NgrokDomain != "other.ngrok.app" {
		t.Fatalf("config after a PUT without authtoken: %+v", last)
	}
	resp, err := http.Get(srv.URL() + "/_hookscope/api/tunnel")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "tok_SECRET_123") {
		t.Fatalf("GET shows the authtoken: %s", b)
	}
	// ngrok without an authtoken is refused; switched off, it is cleared.
	if code, body := putTunnel(t, srv, `{"provider":"ngrok","authtoken":""}`); code != 400 || !strings.Contains(body, "authtoken") {
		t.Fatalf("PUT ngrok with an empty authtoken: %d %s", code, body)
	}
	putTunnel(t, srv, `{"provider":"","authtoken":""}`)
	if cfg := srv.tunnelMgr.Load().Config(); cfg.NgrokAuthtoken != "" {
		t.Fatalf("authtoken not cleared: %+v", cfg)
	}

	if code, _ := putTunnel(t, srv, `{"provider":""}`); code != 200 {
		t.Fatalf("switch off: %d", code)
	}
	waitTunnel(t, srv, func(s TunnelJSON) bool { return s.Status == "off" })
}

func TestTunnelAPIRefusesBadRequestsClearly(t *testing.T) {
	srv, _ := tunnelServer(t)
	for body, want := range map[string]string{
		`{"provider":"custom","url":"https://hooks.example.com/?x=1"}`: "query",
		`{"provider":"custom","url":"hooks.example.com"}`:              "https://",
		`{"provider":"frp"}`:                  "unknown tunnel provider",
		`{"url":"https://hooks.example.com"}`: `"provider" is required`,
		`{"provider":"ngrok","token":"x"}`:    "unknown field",
		`{"provider":`:                        "bad tunnel JSON",
	} {
		code, got := putTunnel(t, srv, body)
		var e struct{ Error, Hint string }
		json.Unmarshal([]byte(got), &e)
		if code != 400 || !strings.Contains(e.Error, want) {
			t.Errorf("PUT %s: %d %s, want 400 saying %q", body, code, got, want)
		}
	}
	code, got := putTunnel(t, srv, `{"provider":"custom","url":"ftp://x"}`)
	if code != 400 || !strings.Contains(got, `"hint"`) {
		t.Fatalf("a refused URL has no hint: %d %s", code, got)
	}
}

func TestTunnelStateChangesAreStreamed(t *testing.T) {
	srv, _ := tunnelServer(t)
	sc := bufio.NewScanner(openEvents(t, srv, 10*time.Second).Body)
	sc.Scan() // the stream's opening comment: it is subscribed
	go func() {
		req, _ := http.NewRequest("PUT", srv.URL()+"/_hookscope/api/tunnel", strings.NewReader(`{"provider":"cloudflared"}`))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	for {
		event, data, ok := nextEvent(sc)
		if !ok {
			t.Fatalf("no online tunnel event: %v", sc.Err())
		}
		if event != "tunnel" {
			continue
		}
		var s TunnelJSON
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			t.Fatal(err)
		}
		if s.Status == "online" {
			if s.Provider != "cloudflared" || s.URL != "https://cloudflared.example" {
				t.Fatalf("tunnel event %+v", s)
			}
			return
		}
	}
}

// A refused PUT changes nothing: the tunnel in force keeps running, GET
// shows it, and the refused settings are not kept for the next PUT.
func TestTunnelAPIRefusedPutChangesNothing(t *testing.T) {
	srv, built := tunnelServer(t)
	putTunnel(t, srv, `{"provider":"cloudflared"}`)
	on := waitTunnel(t, srv, func(s TunnelJSON) bool { return s.Status == "online" })
	for _, body := range []string{
		`{"provider":"cloudflare"}`,
		`{"provider":"custom","url":"https://ok.example","addr":"nonsense"}`,
		`{"provider":"custom","url":"http://127.0.0.1:8787"}`,
		`{"provider":"ngrok"}`,
	} {
		if code, got := putTunnel(t, srv, body); code != 400 || !strings.Contains(got, `"hint"`) {
			t.Fatalf("PUT %s: %d %s, want 400 with a hint", body, code, got)
		}
		var now TunnelJSON
		getJSON(t, srv.URL()+"/_hookscope/api/tunnel", 200, &now)
		if now != on || len(built()) != 1 {
			t.Fatalf("after refusing %s: %+v (was %+v), %d tunnels built", body, now, on, len(built()))
		}
	}
	// The refused address was not kept: a PUT without one works.
	if code, got := putTunnel(t, srv, `{"provider":"custom","url":"https://ok.example"}`); code != 200 {
		t.Fatalf("PUT custom after a refused addr: %d %s", code, got)
	}
	if last := built()[len(built())-1]; last.CustomAddr != "" {
		t.Fatalf("the refused address was kept: %+v", last)
	}
}

// PUT answers the new config's state, never the old tunnel's.
func TestTunnelAPIPutAnswersTheNewState(t *testing.T) {
	srv, _ := tunnelServer(t)
	putTunnel(t, srv, `{"provider":"cloudflared"}`)
	old := waitTunnel(t, srv, func(s TunnelJSON) bool { return s.Status == "online" })
	code, body := putTunnel(t, srv, `{"provider":"ngrok","authtoken":"tok"}`)
	var got TunnelJSON
	json.Unmarshal([]byte(body), &got)
	fresh := got.Status == "starting" && got.URL == "" || got.Status == "online" && got.URL == "https://ngrok.example"
	if code != 200 || got.Provider != "ngrok" || got.URL == old.URL || got.Error != "" || !fresh {
		t.Fatalf("PUT ngrok answered %d %+v (the old tunnel was %+v)", code, got, old)
	}
}

// A client on the event stream learns the tunnel's state as it connects.
func TestEventsStartWithTheTunnelState(t *testing.T) {
	srv, _ := tunnelServer(t)
	putTunnel(t, srv, `{"provider":"cloudflared"}`)
	waitTunnel(t, srv, func(s TunnelJSON) bool { return s.Status == "online" })
	sc := bufio.NewScanner(openEvents(t, srv, 10*time.Second).Body)
	event, data, ok := nextEvent(sc)
	if !ok {
		t.Fatalf("no event: %v", sc.Err())
	}
	var s TunnelJSON
	json.Unmarshal([]byte(data), &s)
	if event != "tunnel" || s.Status != "online" || s.URL != "https://cloudflared.example" {
		t.Fatalf("first event %s %s", event, data)
	}
}
