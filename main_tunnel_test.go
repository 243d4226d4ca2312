package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hookscope/receiver/receivertest"
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

	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, filepath.Join(t.TempDir(), "tunnel.db"), "--tunnel", "cloudflared")
	var publicURL string
	starting := 0
	for publicURL == "" {
		line := p.nextLine(t)
		if rest, ok := strings.CutPrefix(line, "public URL "); ok {
			publicURL = rest
		} else if line == "tunnel: starting cloudflared" {
			starting++
		} else {
			t.Fatalf("unexpected line %q before the public URL (stderr: %s)", line, p.errb.String())
		}
	}
	if starting != 1 {
		t.Fatalf("%d starting lines, want 1", starting)
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
	if line := p.nextLine(t); !strings.Contains(line, "POST") || !strings.Contains(line, "/isahit/annotation") || !strings.HasSuffix(line, " via cloudflared") {
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

	// A client on the event stream does not hold the exit up.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/_hookscope/api/events", nil)
	events, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	bufio.NewReader(events.Body).ReadString('\n') // the stream is up

	p.terminate(t, 15*time.Second)
	// Run waits for cloudflared: it is gone once Hookscope has exited.
	if err := syscall.Kill(in.PID, 0); err == nil {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(in.PID) + "/stat")
		if _, rest, _ := strings.Cut(string(b), ") "); !strings.HasPrefix(rest, "Z") {
			t.Fatalf("cloudflared (pid %d) still runs after SIGTERM: %s", in.PID, b)
		}
	}
}

// Flags that cannot work are refused before anything starts, and never
// echo a credential.
func TestHeadlessTunnelFlagsAreCheckedFirst(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--tunnel", "ngrok"}, "NGROK_AUTHTOKEN"},
		{[]string{"--tunnel", "http://127.0.0.1:8787"}, "this machine"},
		{[]string{"--tunnel", "https://me:hunter2@hooks.example.com"}, "user name or password"},
		{[]string{"--tunnel", "https://hooks.example.com", "--tunnel-addr", "nonsense"}, "--tunnel-addr"},
	} {
		cmd := command(append([]string{"--headless", "--addr", receivertest.FreeAddr(t), "--db", filepath.Join(t.TempDir(), "x.db")}, tc.flags...)...)
		cmd.Env = append(cmd.Env, "NGROK_AUTHTOKEN=")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), tc.want) || strings.Contains(string(out), "hunter2") {
			t.Errorf("%v: %v, output %q; want exit 2 saying %q", tc.flags, err, out, tc.want)
		}
	}
}

// Your own URL: the line says where to point the tunnel, not that it works.
func TestHeadlessTunnelOwnURLSaysWhereToPointIt(t *testing.T) {
	target := receivertest.FreeAddr(t)
	p := startHeadless(t, receivertest.FreeAddr(t), filepath.Join(t.TempDir(), "own.db"), "--tunnel", "https://my.example.com", "--tunnel-addr", target)
	want := "your own URL https://my.example.com: point your tunnel at http://" + target + " (captures only; never at the receiver's own port, which serves the API)"
	line := p.nextLine(t)
	if line == "tunnel: starting custom" {
		line = p.nextLine(t)
	}
	if line != want {
		t.Fatalf("line %q, want %q", line, want)
	}
}
