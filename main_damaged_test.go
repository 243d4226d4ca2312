package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"hookscope/receiver/receivertest"
)

// filledDatabase runs the binary, stores n captures through it, stops it
// and returns the database file and the bodies by capture ID.
func filledDatabase(t *testing.T, n int) (string, map[string][]byte) {
	t.Helper()
	addr, db := receivertest.FreeAddr(t), filepath.Join(t.TempDir(), "full.db")
	p := startHeadless(t, addr, db)
	bodies := map[string][]byte{}
	for i := range n {
		body := []byte(fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("x", 200+i%300)))
		bodies[post(t, fmt.Sprintf("http://%s/e2e-damage/%04d", addr, i), "application/json", body)] = body
		p.nextLine(t)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("stop: %v (%s)", err, p.errb.String())
	}
	return db, bodies
}

func cutCopy(t *testing.T, db string) string {
	t.Helper()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.db")
	if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	return cut
}

// A cut-short database: exit code 1 and one line naming the file and
// --recover, never a Go panic.
func TestHeadlessRefusesADamagedDatabaseInOneLine(t *testing.T) {
	db, _ := filledDatabase(t, 300)
	cut := cutCopy(t, db)
	cmd := command("--headless", "--addr", receivertest.FreeAddr(t), "--db", cut)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("exit code %d (%v), want 1; stderr %s", code, err, stderr.String())
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, cut) || !strings.Contains(msg, "damaged") ||
		!strings.Contains(msg, "hookscope --recover --db "+cut) || strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
		t.Fatalf("stderr %q: want one line naming %s and --recover, no panic", msg, cut)
	}
}

// --recover writes what is readable into a new file next to the damaged
// one, says how to use it, and the new file serves the saved captures.
func TestRecoverFlagSavesReadableCapturesIntoANewFile(t *testing.T) {
	db, bodies := filledDatabase(t, 300)
	cut := cutCopy(t, db)
	before, _ := os.ReadFile(cut)
	out, err := command("--recover", "--db", cut).CombinedOutput()
	if err != nil {
		t.Fatalf("--recover: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(cut); !bytes.Equal(before, after) {
		t.Fatal("--recover changed the damaged file")
	}
	m := regexp.MustCompile(`saved (\d+) captures into (\S+);`).FindStringSubmatch(string(out))
	if m == nil || m[1] == "0" || !strings.HasPrefix(m[2], cut+".recovered-") || !strings.Contains(string(out), "--db "+m[2]) {
		t.Fatalf("output %q: want the number of captures saved (> 0), the new file next to %s and how to use it", out, cut)
	}
	addr := receivertest.FreeAddr(t)
	startHeadless(t, addr, m[2])
	resp, err := http.Get("http://" + addr + "/_hookscope/api/captures?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct{ Captures []struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Captures) != 1 {
		t.Fatalf("the recovered file lists %d captures", len(page.Captures))
	}
	id := page.Captures[0].ID
	got, _ := base64.StdEncoding.DecodeString(fetch(t, addr, id).BodyBase64)
	if !bytes.Equal(got, bodies[id]) {
		t.Fatalf("recovered capture %s: body %q, want %q", id, got, bodies[id])
	}
}

// A request target with a C1 control (U+009B, CSI to some terminals) and
// invalid UTF-8 is printed escaped: the headless line holds no control
// byte but its newline.
func TestHeadlessLineEscapesControlCharacters(t *testing.T) {
	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, filepath.Join(t.TempDir(), "ctl.db"))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// net/http refuses ESC and DEL in a request target (400, nothing
	// stored); a C1 control and a stray byte reach the capture.
	fmt.Fprintf(conn, "POST /csi\xc2\x9b2J/\xff?q=\xc2\x85 HTTP/1.1\r\nHost: %s\r\nContent-Length: 2\r\n\r\nhi", addr)
	line := p.nextLine(t)
	if !strings.Contains(line, `/csi\xc2\x9b2J/\xff?q=\xc2\x85`) {
		t.Fatalf("line %q does not show the path escaped", line)
	}
	for _, r := range line + "\n" {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("line %q holds the control character %U", line, r)
		}
	}
}

// A busy port with a database file that did not exist: exit 1 and no file.
func TestHeadlessBusyPortLeavesNoNewDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	db := filepath.Join(t.TempDir(), "never.db")
	cmd := command("--headless", "--addr", ln.Addr().String(), "--db", db)
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("exit code %d: %s", cmd.ProcessState.ExitCode(), out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatalf("%s left behind after a failed start (%v)", db, err)
	}
}

// Under the C locale, also with a codeset as containers set it, headless
// prints nothing from Fyne.
func TestHeadlessUnderTheCLocalePrintsNothingFromFyne(t *testing.T) {
	for _, lang := range []string{"C", "C.UTF-8", "POSIX"} {
		t.Run(lang, func(t *testing.T) {
			addr := receivertest.FreeAddr(t)
			cmd := exec.Command(binary, "--headless", "--addr", addr, "--db", filepath.Join(t.TempDir(), "c.db"))
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=" + lang}
			p := startProc(t, cmd)
			if line := p.nextLine(t); !strings.HasPrefix(line, "listening on") {
				t.Fatalf("first line %q (stderr %s)", line, p.errb.String())
			}
			post(t, "http://"+addr+"/x", "text/plain", []byte("x"))
			p.nextLine(t)
			cmd.Process.Signal(syscall.SIGINT)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit: %v (%s)", err, p.errb.String())
			}
			if e := p.errb.String(); strings.Contains(strings.ToLower(e), "locale") || strings.Contains(e, "Fyne") {
				t.Fatalf("LANG=%s: stderr %q", lang, e)
			}
		})
	}
}
