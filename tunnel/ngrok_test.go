package tunnel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/receiver"
	"hookscope/store"
	"hookscope/tunnel"
)

const secretToken = "2abcDEFghiJKLmnoPQRstuVWX_3yz456ABCdefGHIjkl"

// localEndpoint stands in for an ngrok endpoint: a loopback listener with
// a public URL.
type localEndpoint struct {
	net.Listener
	public string
}

func (e *localEndpoint) URL() *url.URL { u, _ := url.Parse(e.public); return u }

// ngrokCode is an error as the ngrok cloud service returns it.
type ngrokCode struct{ code, msg string }

func (e *ngrokCode) Error() string { return e.msg + "\n\n" + e.code }
func (e *ngrokCode) Code() string  { return e.code }

// ngrokManager runs ngrok through listen, in front of a real receiver.
func ngrokManager(t *testing.T, srv *receiver.Server, listen func(context.Context, func(bool, error)) (tunnel.Endpoint, error)) *tunnel.Manager {
	t.Helper()
	return captureManager(t, srv, tunnel.Options{
		NewProvider: func(cfg tunnel.Config) (tunnel.Provider, error) {
			p, err := tunnel.NewProvider(cfg)
			if np, ok := p.(*tunnel.NgrokProvider); ok {
				tunnel.WithNgrokListen(np, listen)
			}
			return p, err
		},
		MaxFailures: 2,
	})
}

func TestNgrokServesCapturesOnItsEndpoint(t *testing.T) {
	srv, st := receiverFor(t)
	var ln net.Listener
	var link func(bool, error)
	m := ngrokManager(t, srv, func(ctx context.Context, onLink func(bool, error)) (tunnel.Endpoint, error) {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		link = onLink
		return &localEndpoint{Listener: ln, public: "https://able-cat.ngrok-free.app"}, err
	})
	rec, online, i := setAndWait(t, m, tunnel.Config{Provider: tunnel.Ngrok, NgrokAuthtoken: secretToken}, "online", status(tunnel.StatusOnline))
	if online.URL != "https://able-cat.ngrok-free.app" || online.Target != "" {
		t.Fatalf("online state %+v", online)
	}
	body := []byte("a=1&b=%20two\n")
	resp, err := http.Post("http://"+ln.Addr().String()+"/shop/form", "application/x-www-form-urlencoded", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, _ := store.ParseID(resp.Header.Get(receiver.CaptureIDHeader))
	c, err := st.Get(id)
	if err != nil || !bytes.Equal(c.Body, body) || c.Via != tunnel.Ngrok {
		t.Fatalf("capture %+v, %v", c, err)
	}
	// The agent's session drops and comes back: the state follows.
	link(false, fmt.Errorf("session closed (token %s)", secretToken))
	recon, i := rec.waitFor(t, i, "reconnecting", status(tunnel.StatusReconnecting))
	if !strings.Contains(recon.Err, "reconnecting") || strings.Contains(recon.Err, secretToken) {
		t.Fatalf("reconnecting state %+v", recon)
	}
	link(true, nil)
	rec.waitFor(t, i, "online again", status(tunnel.StatusOnline))

	// The endpoint closing ends the run; the manager starts another.
	ln.Close()
	rec.waitFor(t, i, "reconnecting after the endpoint closed", func(s tunnel.State) bool {
		return s.Status == tunnel.StatusReconnecting && strings.Contains(s.Err, "the ngrok endpoint closed")
	})
}

func TestNgrokWithoutAuthtokenIsRefusedWithTheHint(t *testing.T) {
	srv, _ := receiverFor(t)
	called := false
	m := ngrokManager(t, srv, func(context.Context, func(bool, error)) (tunnel.Endpoint, error) {
		called = true
		return nil, errors.New("unreachable")
	})
	err := m.Set(tunnel.Config{Provider: tunnel.Ngrok, NgrokAuthtoken: "  "})
	var perm *tunnel.Permanent
	if !errors.As(err, &perm) || perm.Hint != tunnel.NgrokHint || perm.HeadlessHint != tunnel.NgrokHeadlessHint || called {
		t.Fatalf("Set: %v, agent called %v", err, called)
	}
	// The runtime check stays for a provider built without Validate.
	p := &tunnel.NgrokProvider{}
	err = p.Run(context.Background(), http.NotFoundHandler(), func(tunnel.State) {})
	if !errors.As(err, &perm) || perm.Hint != tunnel.NgrokHint {
		t.Fatalf("Run without authtoken: %v", err)
	}
}

func TestNgrokAuthtokenNeverShows(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(nil) })
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	srv, _ := receiverFor(t)
	for _, refusal := range []error{
		// ngrok quotes a malformed authtoken back in its error.
		&ngrokCode{"ERR_NGROK_105", "authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\nYour authtoken: " + secretToken},
		fmt.Errorf("dial tcp: lookup connect.ngrok-agent.com: no such host (authtoken %s)", secretToken),
	} {
		m := ngrokManager(t, srv, func(context.Context, func(bool, error)) (tunnel.Endpoint, error) { return nil, refusal })
		cfg := tunnel.Config{Provider: tunnel.Ngrok, NgrokAuthtoken: secretToken, NgrokDomain: "hooks.example.ngrok.app"}
		rec, failed, _ := setAndWait(t, m, cfg, "failed", status(tunnel.StatusFailed))
		var ne *ngrokCode
		if errors.As(refusal, &ne) && failed.Hint != tunnel.NgrokHint {
			t.Fatalf("a refused authtoken has no hint: %+v", failed)
		}
		seen, _ := json.Marshal(rec.all())
		if all := string(seen) + fmt.Sprint(rec.all()) + logs.String(); strings.Contains(all, secretToken) || !strings.Contains(all, "[authtoken]") {
			t.Fatalf("the authtoken shows, or the error lost its words: %s", all)
		}
	}
}

// With no network the agent never connects: the state says why while it
// tries, and the start gives up after StartTimeout so the manager can
// retry and, in the end, fail.
func TestNgrokThatCannotConnectSaysWhyAndGivesUp(t *testing.T) {
	p := tunnel.WithNgrokListen(&tunnel.NgrokProvider{Authtoken: secretToken, StartTimeout: 300 * time.Millisecond},
		func(ctx context.Context, onLink func(bool, error)) (tunnel.Endpoint, error) {
			onLink(false, fmt.Errorf("dial tcp: lookup connect.ngrok-agent.com: no such host (authtoken %s)", secretToken))
			<-ctx.Done() // the agent retries until its context ends
			return nil, ctx.Err()
		})
	var mu sync.Mutex
	var states []tunnel.State
	done := make(chan error, 1)
	go func() {
		done <- p.Run(context.Background(), http.NotFoundHandler(), func(s tunnel.State) {
			mu.Lock()
			states = append(states, s)
			mu.Unlock()
		})
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run still waits for an agent that cannot connect")
	}
	if err == nil || !strings.Contains(err.Error(), "did not come online") || !strings.Contains(err.Error(), "no such host") || strings.Contains(err.Error(), secretToken) {
		t.Fatalf("Run: %v", err)
	}
	var perm *tunnel.Permanent
	if errors.As(err, &perm) {
		t.Fatalf("a network failure is permanent: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	last := states[len(states)-1]
	if last.Status != tunnel.StatusStarting || !strings.Contains(last.Err, "cannot connect") || !strings.Contains(last.Err, "no such host") || strings.Contains(last.Err, secretToken) {
		t.Fatalf("states %+v", states)
	}
}
