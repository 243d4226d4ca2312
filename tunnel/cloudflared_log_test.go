package tunnel

import (
	"errors"
	"strings"
	"testing"
)

// Lines as cloudflared prints them for a quick tunnel
// (https://github.com/cloudflare/cloudflared/blob/master/cmd/cloudflared/tunnel/quick_tunnel.go
// and connection/observer.go there).
const quickTunnelLog = `2025-12-20T19:49:06Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-12-20T19:49:11Z INF +--------------------------------------------------------------------------------------------+
2025-12-20T19:49:11Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2025-12-20T19:49:11Z INF |  https://maple-harbor-frost-kite.trycloudflare.com                                         |
2025-12-20T19:49:11Z INF +--------------------------------------------------------------------------------------------+
2025-12-20T19:49:12Z INF Registered tunnel connection connIndex=0 connection=5f0e1c43-6a1b-4c2e-9d53-7d1a2c3b4e5f event=0 ip=198.41.192.7 location=ams01 protocol=quic
`

func TestLineLogReadsTheQuickTunnelBox(t *testing.T) {
	l := newLineLog(20)
	// Written in pieces that split lines, as a pipe delivers them.
	for i := 0; i < len(quickTunnelLog); i += 37 {
		l.Write([]byte(quickTunnelLog[i:min(i+37, len(quickTunnelLog))]))
	}
	if got := l.url(); got != "https://maple-harbor-frost-kite.trycloudflare.com" {
		t.Fatalf("url %q", got)
	}
	if !l.registered() || len(l.Lines()) != 6 {
		t.Fatalf("registered %v, %d lines", l.registered(), len(l.Lines()))
	}
}

func TestLineLogKeepsTheLastLinesAndSaysWhy(t *testing.T) {
	l := newLineLog(20)
	for range 30 {
		l.Write([]byte("2025-12-20T19:49:06Z INF noise\n"))
	}
	l.Write([]byte(`2025-12-20T19:49:07Z ERR failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host` + "\n"))
	if n := len(l.Lines()); n != 20 {
		t.Fatalf("kept %d lines, want 20", n)
	}
	err := l.exitError(nil).Error()
	if !strings.HasPrefix(err, "cloudflared could not request a quick tunnel (no network?)") || !strings.Contains(err, "no such host") {
		t.Fatalf("error %q", err)
	}
}

// An error quotes cloudflared's errors and warnings, not its box.
func TestLineLogQuotesErrorsNotTheBox(t *testing.T) {
	l := newLineLog(20)
	l.Write([]byte(quickTunnelLog))
	l.Write([]byte("2025-12-20T19:49:20Z ERR Serve tunnel error error=\"fake crash\"\n"))
	l.Write([]byte(strings.SplitN(quickTunnelLog, "\n", 3)[1] + "\n")) // a box border last
	err := l.exitError(errors.New("exit status 1")).Error()
	if !strings.Contains(err, "fake crash") || strings.Contains(err, "+---") || strings.Contains(err, "|  ") {
		t.Fatalf("error %q", err)
	}
	if l.hinted(errors.New("x")).Error() != "x" {
		t.Fatal("a hint without a config file in the log")
	}
}

func TestLineLogMentioningAConfigFileAddsTheHint(t *testing.T) {
	l := newLineLog(20)
	l.Write([]byte("2025-12-20T19:49:06Z INF Using configuration file /home/u/.cloudflared/config.yml\n"))
	err := l.hinted(l.exitError(errors.New("exit status 1")))
	var h *Hinted
	if !errors.As(err, &h) || h.Hint != ConfigFileHint {
		t.Fatalf("error %v", err)
	}
}
