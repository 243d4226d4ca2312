// Package cloudflaredtest is a fake cloudflared for tests: no machine here
// reaches Cloudflare. A test binary's TestMain calls Main when Env is set,
// and the test puts that binary on PATH as "cloudflared" (Install). It
// behaves like `cloudflared tunnel --no-autoupdate --metrics ADDR --url URL`
// for a quick tunnel: the same log lines on stderr, the same metrics
// endpoints, and a local "edge" listener that proxies to URL the way
// Cloudflare does.
package cloudflaredtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"
)

// Environment variables that drive the fake.
const (
	// Env, when set in a test binary's environment, makes its TestMain run
	// Main instead of the tests.
	Env = "HOOKSCOPE_FAKE_CLOUDFLARED"
	// EnvInfo names a file the fake writes its Info to (as JSON) once its
	// edge listens; the file is replaced on each start.
	EnvInfo = "HOOKSCOPE_FAKE_CLOUDFLARED_INFO"
	// EnvMode picks a failure: "fail" (cannot request a quick tunnel, exit
	// 1), "never-ready" (/ready answers 503 for ever), "crash" (exits 1
	// EnvCrashAfter after connecting), "drop" (loses its connection
	// EnvCrashAfter after connecting and registers a new one as long
	// after, once), "old" (no /quicktunnel on the metrics server, as in
	// older cloudflared releases: only its log says the URL).
	EnvMode       = "HOOKSCOPE_FAKE_CLOUDFLARED_MODE"
	EnvCrashAfter = "HOOKSCOPE_FAKE_CLOUDFLARED_CRASH_AFTER"
)

// Info is what the fake tells the test about itself.
type Info struct {
	PID      int    `json:"pid"`
	Edge     string `json:"edge"`     // address standing in for Cloudflare's edge
	Hostname string `json:"hostname"` // the public hostname, no scheme
}

// Install links the running test binary as dir/cloudflared and returns its
// path; put dir on PATH (or pass the path) and set Env.
func Install(dir string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "cloudflared")
	if err := os.Symlink(self, path); err != nil {
		return "", err
	}
	return path, nil
}

// ReadInfo reads the Info file the fake wrote ("" pid 0 when not yet).
func ReadInfo(path string) (Info, error) {
	var in Info
	b, err := os.ReadFile(path)
	if err != nil {
		return in, err
	}
	return in, json.Unmarshal(b, &in)
}

// Main runs the fake and exits.
func Main() {
	os.Exit(run(os.Args[1:]))
}

func logf(level, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s %s\n", time.Now().UTC().Format(time.RFC3339), level, fmt.Sprintf(format, args...))
}

func run(args []string) int {
	if len(args) == 0 || args[0] != "tunnel" {
		fmt.Fprintln(os.Stderr, "fake cloudflared: only `tunnel` is implemented")
		return 2
	}
	fs := flag.NewFlagSet("tunnel", flag.ContinueOnError)
	fs.Bool("no-autoupdate", false, "")
	metrics := fs.String("metrics", "", "")
	origin := fs.String("url", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	target, err := url.Parse(*origin)
	if err != nil || target.Host == "" || *metrics == "" {
		fmt.Fprintln(os.Stderr, "fake cloudflared: needs --metrics ADDR and --url URL")
		return 2
	}
	mode := os.Getenv(EnvMode)
	logf("INF", "Requesting new quick Tunnel on trycloudflare.com...")
	if mode == "fail" {
		time.Sleep(100 * time.Millisecond)
		logf("ERR", `failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host`)
		return 1
	}
	hostname := words() + ".trycloudflare.com"
	box(hostname)
	mln, err := net.Listen("tcp", *metrics)
	if err != nil {
		logf("ERR", "Error opening metrics server listener error=%q", err.Error())
		return 1
	}
	var ready atomic.Bool
	go http.Serve(mln, metricsHandler(hostname, &ready, mode != "old"))
	edge, err := startEdge(target, hostname)
	if err != nil {
		logf("ERR", "fake edge: %v", err)
		return 1
	}
	if err := writeInfo(Info{PID: os.Getpid(), Edge: edge.addr, Hostname: hostname}); err != nil {
		logf("ERR", "fake info file: %v", err)
		return 1
	}
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	crash := make(<-chan time.Time)
	if mode != "never-ready" {
		time.Sleep(200 * time.Millisecond)
		ready.Store(true)
		logf("INF", "Registered tunnel connection connIndex=0 connection=%s event=0 ip=198.41.192.7 location=ams01 protocol=quic", id(16))
		d, _ := time.ParseDuration(os.Getenv(EnvCrashAfter))
		switch mode {
		case "crash":
			crash = time.After(d)
		case "drop":
			go dropOnce(d, &ready)
		}
	}
	select {
	case <-crash:
		logf("ERR", "Serve tunnel error error=\"fake crash\"")
		return 1
	case s := <-sig:
		return drain(s, sig, edge)
	}
}

// dropOnce loses the edge connection after d and registers a new one as
// long after: /ready answers 503 in between, as cloudflared's does.
func dropOnce(d time.Duration, ready *atomic.Bool) {
	time.Sleep(d)
	ready.Store(false)
	logf("ERR", "Connection terminated error=\"timeout: no recent network activity\" connIndex=0")
	time.Sleep(d)
	ready.Store(true)
	logf("INF", "Registered tunnel connection connIndex=0 connection=%s event=0 ip=198.41.200.13 location=ams08 protocol=quic", id(16))
}

// drain stops like cloudflared: the first signal starts a graceful
// shutdown of up to the grace period (30 s), a second one ends it at once.
func drain(s os.Signal, sig chan os.Signal, edge *edgeServer) int {
	logf("INF", "Initiating graceful shutdown due to signal %s ...", s)
	done := make(chan struct{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		edge.srv.Shutdown(ctx)
		<-ctx.Done() // cloudflared waits out its grace period
		close(done)
	}()
	select {
	case <-done:
	case <-sig:
	}
	return 0
}

func box(hostname string) {
	line := "+--------------------------------------------------------------------------------------------+"
	logf("INF", "%s", line)
	logf("INF", "|  %-90s|", "Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):")
	logf("INF", "|  %-90s|", "https://"+hostname)
	logf("INF", "%s", line)
}

func metricsHandler(hostname string, ready *atomic.Bool, quickTunnel bool) http.Handler {
	mux := http.NewServeMux()
	connector := id(16)
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) {
		status, conns := http.StatusServiceUnavailable, 0
		if ready.Load() {
			status, conns = http.StatusOK, 1
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"status": status, "readyConnections": conns, "connectorId": connector})
	})
	if !quickTunnel {
		return mux
	}
	mux.HandleFunc("GET /quicktunnel", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"hostname": hostname})
	})
	return mux
}

type edgeServer struct {
	addr string
	srv  *http.Server
}

// startEdge listens where Cloudflare's edge would and proxies to target
// as cloudflared does: the body streamed unchanged, Host kept as the public
// hostname, Cloudflare's headers added.
func startEdge(target *url.URL, hostname string) (*edgeServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tag := id(16)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.Out.URL.Scheme = target.Scheme
		r.Out.URL.Host = target.Host
		r.Out.Host = hostname
		client, _, _ := net.SplitHostPort(r.In.RemoteAddr)
		h := r.Out.Header
		h.Set("Cf-Ray", id(8)+"-AMS")
		h.Set("Cf-Connecting-Ip", client)
		h.Set("Cf-Ipcountry", "NL")
		h.Set("Cf-Visitor", `{"scheme":"https"}`)
		h.Set("Cf-Warp-Tag-Id", tag)
		h.Set("X-Forwarded-For", client)
		h.Set("X-Forwarded-Proto", "https")
	}}
	// Keep Accept-Encoding as sent: Go's transport would add gzip.
	proxy.Transport = &http.Transport{DisableCompression: true}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	return &edgeServer{addr: ln.Addr().String(), srv: srv}, nil
}

func writeInfo(in Info) error {
	path := os.Getenv(EnvInfo)
	if path == "" {
		return nil
	}
	b, _ := json.Marshal(in)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// words is a random quick-tunnel name ("able-bright-cat-dance").
func words() string {
	list := []string{"able", "bright", "cedar", "dance", "eagle", "frost", "grove", "harbor", "island", "jolly", "kite", "lemon", "maple", "noble", "ocean", "pepper"}
	b := make([]byte, 4)
	rand.Read(b)
	out := ""
	for i, x := range b {
		if i > 0 {
			out += "-"
		}
		out += list[int(x)%len(list)]
	}
	return out
}

func id(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
