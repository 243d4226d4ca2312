package tunnel

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// CloudflaredHint is shown when the cloudflared binary cannot be found, and
// CloudflaredHeadlessHint in --headless.
const (
	CloudflaredHint         = "install cloudflared from https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/ or set its path in Settings"
	CloudflaredHeadlessHint = "install cloudflared from https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/ or pass --cloudflared PATH"
)

// CloudflaredProvider runs a cloudflared quick tunnel
// (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/do-more-with-tunnels/trycloudflare/)
// as a child process in front of a capture-only listener of its own.
type CloudflaredProvider struct {
	// Path is the cloudflared binary; "" looks it up on PATH.
	Path string
	// ReadyTimeout bounds the wait for the first connection (default 60 s).
	ReadyTimeout time.Duration
	// Poll is how often the metrics server is asked (default 250 ms).
	Poll time.Duration
	// StopWait is how long cloudflared may drain after the first SIGTERM
	// before a second one ends it at once (default 2 s); SIGKILL follows
	// after as long again.
	StopWait time.Duration

	// pickPort picks the --metrics address; tests stand in a taken one.
	pickPort func() (string, error)
}

func (p *CloudflaredProvider) defaults() {
	if p.ReadyTimeout <= 0 {
		p.ReadyTimeout = 60 * time.Second
	}
	if p.Poll <= 0 {
		p.Poll = 250 * time.Millisecond
	}
	if p.StopWait <= 0 {
		p.StopWait = 2 * time.Second
	}
	if p.pickPort == nil {
		p.pickPort = freePort
	}
}

// binary finds cloudflared; a missing one is Permanent.
func (p *CloudflaredProvider) binary() (string, error) {
	name := p.Path
	if name == "" {
		name = "cloudflared"
	}
	bin, err := exec.LookPath(name)
	if err != nil {
		what := "cloudflared is not installed (not found on PATH)"
		if p.Path != "" {
			what = fmt.Sprintf("cloudflared not found at %s", p.Path)
		}
		return "", &Permanent{Err: fmt.Errorf("%s: %w", what, err), Hint: CloudflaredHint, HeadlessHint: CloudflaredHeadlessHint}
	}
	return bin, nil
}

// errMetricsBusy: the --metrics port picked was taken before cloudflared
// could listen on it; another port is tried.
var errMetricsBusy = errors.New("cloudflared's metrics port was taken")

// Run implements Provider.
func (p *CloudflaredProvider) Run(ctx context.Context, h http.Handler, report func(State)) error {
	p.defaults()
	bin, err := p.binary()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the tunnel: %w", err)
	}
	stopServing := serveCaptures(ln, h)
	defer stopServing()
	target := ln.Addr().String()
	report(State{Status: StatusStarting, Target: target})
	for range 3 {
		metrics, err := p.pickPort()
		if err != nil {
			return err
		}
		err = p.runOnce(ctx, bin, metrics, target, report)
		if !errors.Is(err, errMetricsBusy) {
			return err
		}
	}
	return errors.New("cloudflared could not listen on a metrics port three times in a row")
}

// captureServer serves h with the receiver's limits: a tunnel's captures
// are cut off no sooner than those sent to the receiver directly.
func captureServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
}

// serveCaptures serves h on ln with the receiver's limits until the
// returned func is called; it waits for captures in flight.
func serveCaptures(ln net.Listener, h http.Handler) (stop func()) {
	srv := captureServer(h)
	go srv.Serve(ln)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
}

// freePort picks a loopback address nobody listens on. Another process may
// take it before cloudflared does: Run then tries another.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("pick a port for cloudflared's metrics: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr, nil
}

// child is a started cloudflared.
type child struct {
	cmd    *exec.Cmd
	log    *lineLog
	exited chan error // receives Wait's result once
}

// startChild starts cloudflared from a goroutine locked to its OS thread
// until the child exits, so Pdeathsig (see childAttr) fires only when
// Hookscope itself goes.
func startChild(bin string, args []string) (*child, error) {
	c := &child{log: newLineLog(20), exited: make(chan error, 1)}
	c.cmd = exec.Command(bin, args...)
	c.cmd.Stdout = c.log
	c.cmd.Stderr = c.log
	c.cmd.SysProcAttr = childAttr()
	c.cmd.WaitDelay = 2 * time.Second
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		// Never unlocked: the thread ends with this goroutine, after the
		// child has exited.
		if err := c.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.exited <- c.cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start cloudflared: %w", err)
	}
	return c, nil
}

// stop asks cloudflared to drain, then to stop at once, then kills it, and
// waits for it.
func (c *child) stop(wait time.Duration) {
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGTERM, os.Kill} {
		if err := c.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
			c.cmd.Process.Kill()
		}
		select {
		case <-c.exited:
			return
		case <-time.After(wait):
		}
	}
	<-c.exited
}

func (p *CloudflaredProvider) runOnce(ctx context.Context, bin, metrics, target string, report func(State)) error {
	c, err := startChild(bin, []string{"tunnel", "--no-autoupdate", "--metrics", metrics, "--url", "http://" + target})
	if err != nil {
		return err
	}
	mc := &metricsClient{base: "http://" + metrics, http: &http.Client{Timeout: time.Second}}
	tick := time.NewTicker(p.Poll)
	defer tick.Stop()
	deadline := time.Now().Add(p.ReadyTimeout)
	online := false
	for {
		select {
		case <-ctx.Done():
			c.stop(p.StopWait)
			return nil
		case err := <-c.exited:
			return c.log.hinted(c.log.exitError(err))
		case <-tick.C:
		}
		ready, answered := mc.ready(ctx)
		if !answered {
			// No metrics server (yet): its log says when it connected.
			ready = c.log.registered()
		}
		url := ""
		if ready && !online {
			// An older cloudflared has no /quicktunnel: its box says the URL.
			url = cmp.Or(mc.hostname(ctx), c.log.url())
		}
		switch {
		case url != "":
			online = true
			report(State{Status: StatusOnline, URL: url, Target: target})
		case !ready && online && answered:
			// Connected once and now the edge connection dropped:
			// cloudflared reconnects by itself.
			online = false
			deadline = time.Now().Add(p.ReadyTimeout)
			report(State{Status: StatusReconnecting, Target: target, Err: "cloudflared lost its connection to Cloudflare and is reconnecting"})
		case !online && time.Now().After(deadline):
			c.stop(p.StopWait)
			if ready {
				return c.log.hinted(fmt.Errorf("cloudflared connected but did not say its quick tunnel's URL within %s%s", p.ReadyTimeout, c.log.tail(3)))
			}
			return c.log.hinted(fmt.Errorf("cloudflared did not connect to Cloudflare within %s%s", p.ReadyTimeout, c.log.tail(3)))
		}
	}
}

// metricsClient asks cloudflared's metrics server
// (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/monitor-tunnels/metrics/).
type metricsClient struct {
	base string
	http *http.Client
}

func (m *metricsClient) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", m.base+path, nil)
	if err != nil {
		return nil, err
	}
	return m.http.Do(req)
}

// ready: GET /ready answers 200 once a connection to the edge is up, 503
// before; answered is false when the metrics server did not answer.
func (m *metricsClient) ready(ctx context.Context) (ready, answered bool) {
	resp, err := m.get(ctx, "/ready")
	if err != nil {
		return false, false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK, true
}

// hostname: GET /quicktunnel answers {"hostname":"<words>.trycloudflare.com"},
// without a scheme.
func (m *metricsClient) hostname(ctx context.Context) string {
	resp, err := m.get(ctx, "/quicktunnel")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var v struct {
		Hostname string `json:"hostname"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&v) != nil || v.Hostname == "" || strings.ContainsAny(v.Hostname, "/ ") {
		return ""
	}
	return "https://" + v.Hostname
}
