package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
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

// binary is the hookscope executable built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(cloudflaredtest.Env) != "" {
		// This test binary, linked as cloudflared, stands in for it.
		cloudflaredtest.Main()
	}
	dir, err := os.MkdirTemp("", "hookscope-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hookscope")
	build := exec.Command("go", "build", "-race="+strconv.FormatBool(raceBuild), "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hookscope:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// command runs the binary in a UTF-8 locale, as a desktop session has one
// (TestHeadlessUnderTheCLocalePrintsNothingFromFyne covers the C locale).
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=")
	return cmd
}

type proc struct {
	cmd  *exec.Cmd
	out  *bufio.Scanner
	errb *bytes.Buffer
}

// startHeadless runs the real binary and waits for its "listening on" line.
func startHeadless(t *testing.T, addr, db string, flags ...string) *proc {
	t.Helper()
	p := startProc(t, command(append([]string{"--headless", "--addr", addr, "--db", db}, flags...)...))
	line := p.nextLine(t)
	if line != "listening on http://"+addr {
		t.Fatalf("first line %q, want listening on http://%s (stderr: %s)", line, addr, p.errb.String())
	}
	return p
}

// startProc starts cmd with its standard output read line by line and its
// standard error kept; it is killed when the test ends.
func startProc(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return &proc{cmd: cmd, out: bufio.NewScanner(stdout), errb: &stderr}
}

// terminate sends SIGTERM and expects a clean exit within the given time.
func (p *proc) terminate(t *testing.T, within time.Duration) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v (%s)", err, p.errb.String())
		}
	case <-time.After(within):
		t.Fatalf("did not stop within %v of SIGTERM", within)
	}
}

func (p *proc) nextLine(t *testing.T) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		if p.out.Scan() {
			got <- p.out.Text()
		} else {
			got <- ""
		}
	}()
	select {
	case l := <-got:
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no output within 10 s")
		return ""
	}
}

func post(t *testing.T, url, ctype string, body []byte) string {
	t.Helper()
	resp, err := http.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: %d", url, resp.StatusCode)
	}
	return resp.Header.Get("X-Hookscope-Capture-Id")
}

type captureJSON struct {
	ID         string `json:"id"`
	Method     string `json:"method"`
	Path       string `json:"path"`
	BodyBase64 string `json:"body_base64"`
}

func fetch(t *testing.T, addr, id string) captureJSON {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/_hookscope/api/captures/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("capture %s after restart: status %d", id, resp.StatusCode)
	}
	var c captureJSON
	json.NewDecoder(resp.Body).Decode(&c)
	return c
}

func TestHeadlessCapturesSurviveRestartAndKill(t *testing.T) {
	addr, db := receivertest.FreeAddr(t), filepath.Join(t.TempDir(), "e2e.db")
	p := startHeadless(t, addr, db)

	bodies := map[string][]byte{}
	send := func(path, ctype string, body []byte) {
		id := post(t, "http://"+addr+path, ctype, body)
		bodies[id] = body
		line := p.nextLine(t)
		if !strings.Contains(line, "POST") || !strings.Contains(line, path) || !strings.Contains(line, fmt.Sprint(len(body))) {
			t.Fatalf("capture line %q does not show method, path and size", line)
		}
	}
	send("/isahit/annotation", "application/json", []byte(`{"workflowId":"w","type":"annotation","taskId":"t"}`))
	send("/bin", "application/octet-stream", []byte{0, 0xff, 0xfe, 1})
	send("/form?a=1&a=2", "application/x-www-form-urlencoded", []byte("x=1&y=%2B"))

	// SIGTERM: a clean stop, then everything is there after a restart.
	p.terminate(t, 5*time.Second)
	p = startHeadless(t, addr, db)
	for id, body := range bodies {
		got, _ := base64.StdEncoding.DecodeString(fetch(t, addr, id).BodyBase64)
		if !bytes.Equal(got, body) {
			t.Fatalf("capture %s after restart: body %q, want %q", id, got, body)
		}
	}

	// kill -9 right after the answer: an acknowledged capture is on disk.
	id := post(t, "http://"+addr+"/acked", "text/plain", []byte("must survive"))
	p.cmd.Process.Kill()
	p.cmd.Wait()
	startHeadless(t, addr, db)
	if got, _ := base64.StdEncoding.DecodeString(fetch(t, addr, id).BodyBase64); string(got) != "must survive" {
		t.Fatalf("after kill -9: %q", got)
	}
}

// An oversized body is stored cut and answered 413, and the headless line
// says so.
func TestHeadlessMarksCutCaptures(t *testing.T) {
	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, filepath.Join(t.TempDir(), "cut.db"), "--max-body", "8")
	resp, err := http.Post("http://"+addr+"/big", "text/plain", strings.NewReader("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body answered %d", resp.StatusCode)
	}
	if line := p.nextLine(t); !strings.Contains(line, "/big 8 (cut at --max-body, answered 413)") {
		t.Fatalf("line %q does not say the capture was cut", line)
	}
}

func TestHeadlessRefusesBusyPortAndHeldDatabase(t *testing.T) {
	addr, db := receivertest.FreeAddr(t), filepath.Join(t.TempDir(), "held.db")
	startHeadless(t, addr, db)

	tests := map[string]struct {
		addr, db, want string
	}{
		"port in use":   {addr, filepath.Join(t.TempDir(), "other.db"), addr},
		"database held": {receivertest.FreeAddr(t), db, db},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			startup := refusalTime(t)
			start := time.Now()
			out, err := command("--headless", "--addr", tc.addr, "--db", tc.db).CombinedOutput()
			if err == nil {
				t.Fatalf("second instance exited 0: %s", out)
			}
			if d := time.Since(start) - startup; d > 2*time.Second {
				t.Fatalf("took %v more than refusing a bad flag (%v) to fail, want < 2 s", d, startup)
			}
			msg := strings.TrimSpace(string(out))
			if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q: want one line naming %s", msg, tc.want)
			}
		})
	}
}

// refusalTime is how long the binary takes to start and refuse a bad flag:
// the part of any run that is not Hookscope's own waiting. A race-built
// binary on a loaded 2-core machine takes over a second for it, a plain one
// a few tenths.
func refusalTime(t *testing.T) time.Duration {
	t.Helper()
	start := time.Now()
	if err := command("--headless", "--max-body", "-5").Run(); err == nil {
		t.Fatal("--max-body -5 was accepted")
	}
	return time.Since(start)
}

func TestHeadlessRefusesANonPositiveMaxBody(t *testing.T) {
	out, err := command("--headless", "--addr", receivertest.FreeAddr(t), "--db", filepath.Join(t.TempDir(), "x.db"), "--max-body", "-5").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--max-body must be") {
		t.Fatalf("err %v, output %q", err, out)
	}
}
