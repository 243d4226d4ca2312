package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hookscope/tunnel/cloudflaredtest"
)

// TestHeadlessTunnelCloudflared runs the built binary with --tunnel
// cloudflared and this test binary, linked as cloudflared, on PATH.
func TestHeadlessTunnelCloudflared(t *testing.T) {
	dir := t.TempDir()
	if _, err := cloudflaredtest.Install(dir); err != nil {
		t.Fatal(err)
	}
	infoPath := filepath.Join(dir, "info.json")
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv(cloudflaredtest.Env, "1")
	t.Setenv(cloudflaredtest.EnvInfo, infoPath)

	addr := freeAddr(t)
	p := startHeadless(t, addr, filepath.Join(t.TempDir(), "tunnel.db"), "--tunnel", "cloudflared")
	var publicURL string
	for publicURL == "" {
		line := p.nextLine(t)
		if rest, ok := strings.CutPrefix(line, "public URL "); ok {
			publicURL, _, _ = strings.Cut(rest, " ")
		} else if !strings.HasPrefix(line, "tunnel: starting") {
			t.Fatalf("unexpected line %q before the public URL (stderr: %s)", line, p.errb.String())
		}
	}
	in, err := cloudflaredtest.ReadInfo(infoPath)
	if err != nil {
		t.Fatal(err)
	}
	if publicURL != "https://"+in.Hostname || !strings.HasSuffix(publicURL, ".trycloudflare.com") {
		t.Fatalf("public URL %q, the fake's hostname %q", publicURL, in.Hostname)
	}

	body := []byte(`{"workflowId":"w","type":"annotation","taskId":"t"}`)
	resp, err := http.Post("http://"+in.Edge+"/isahit/annotation", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get("X-Hookscope-Capture-Id")
	if resp.StatusCode != 200 || id == "" {
		t.Fatalf("through the tunnel: %d", resp.StatusCode)
	}
	if line := p.nextLine(t); !strings.Contains(line, "POST") || !strings.Contains(line, "/isahit/annotation") {
		t.Fatalf("capture line %q", line)
	}
	var c struct {
		BodyBase64 string `json:"body_base64"`
		Via        string `json:"via"`
	}
	r, err := http.Get("http://" + addr + "/_hookscope/api/captures/" + id)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(r.Body).Decode(&c)
	r.Body.Close()
	if got, _ := base64.StdEncoding.DecodeString(c.BodyBase64); !bytes.Equal(got, body) || c.Via != "cloudflared" {
		t.Fatalf("capture via %q body %q", c.Via, got)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v (%s)", err, p.errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("did not stop within 15 s of SIGTERM")
	}
	// Run waits for cloudflared: it is gone once Hookscope has exited.
	if err := syscall.Kill(in.PID, 0); err == nil {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(in.PID) + "/stat")
		if _, rest, _ := strings.Cut(string(b), ") "); !strings.HasPrefix(rest, "Z") {
			t.Fatalf("cloudflared (pid %d) still runs after SIGTERM: %s", in.PID, b)
		}
	}
}
