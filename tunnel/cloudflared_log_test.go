package tunnel

import (
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
