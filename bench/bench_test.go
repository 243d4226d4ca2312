package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The samples in testdata are real wrk 4.1.0 (Debian) output, captured on
// the project machine against Hookscope, its API and a server that drops
// connections.
func TestParseWrk(t *testing.T) {
	us := time.Microsecond
	tests := []struct {
		file    string
		want    WrkResult
		wantErr string
	}{
		{file: "wrk-c64-hookscope.txt", want: WrkResult{
			Requests: 325935, Duration: 16013025 * us, ReqPerSec: 20354.37, P50: 2948 * us, P99: 6250 * us, FromScript: true}},
		{file: "wrk-c1-hookscope.txt", want: WrkResult{
			Requests: 1329, Duration: 1000866 * us, ReqPerSec: 1327.85, P50: 729 * us, P99: 1303 * us, FromScript: true}},
		{file: "wrk-non2xx.txt", want: WrkResult{
			Requests: 53910, Duration: 1100088 * us, ReqPerSec: 49005.17, P50: 239 * us, P99: 6233 * us, Non2xx: 53910, FromScript: true}},
		// Without the script's done() line: the human report alone, with
		// its "0.91ms"-style rounding and "1.10s" duration.
		{file: "wrk-non2xx-noscript.txt", want: WrkResult{
			Requests: 53571, Duration: 1100 * time.Millisecond, ReqPerSec: 48716.01, P50: 124 * us, P99: 5360 * us, Non2xx: 53571}},
		{file: "wrk-socket-errors.txt", want: WrkResult{
			Requests: 130417, Duration: 2099655 * us, ReqPerSec: 62113.54, P50: 40 * us, P99: 118 * us, ReadErrs: 3, FromScript: true}},
		{file: "wrk-connection-refused.txt", wantErr: "lacks Requests/sec"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			out, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseWrk(string(out))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("ParseWrk =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
}

func TestParseWrkNoScriptSocketErrorsAndUnits(t *testing.T) {
	// The report alone, as older wrk builds and scripts without done()
	// print it: scaled counts and every time unit.
	out := `Running 10s test @ http://127.0.0.1:8080/
  2 threads and 256 connections
  Latency Distribution
     50%    1.50ms
     75%    2.00ms
     90%    3.00ms
     99%    1.02s
  1.23M requests in 10.00s, 120.00MB read
  Socket errors: connect 4, read 12, write 1, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec: 123000.50
Transfer/sec:     12.00MB
`
	got, err := ParseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := WrkResult{Requests: 1_230_000, Duration: 10 * time.Second, ReqPerSec: 123000.5, P50: 1500 * time.Microsecond,
		P99: 1020 * time.Millisecond, Non2xx: 12, ConnectErrs: 4, ReadErrs: 12, WriteErrs: 1, Timeouts: 7}
	if got != want {
		t.Errorf("ParseWrk =\n %+v\nwant\n %+v", got, want)
	}
	if got.SocketErrors() != 24 || got.Acked() != 1_230_000-12 {
		t.Errorf("SocketErrors %d, Acked %d", got.SocketErrors(), got.Acked())
	}
	// Without --latency there are no percentiles: an error, not zeros.
	if _, err := ParseWrk(strings.Replace(out, "  Latency Distribution\n", "", 1)); err == nil || !strings.Contains(err.Error(), "--latency") {
		t.Errorf("report without the latency distribution: err = %v", err)
	}
}

func TestLuaScriptCarriesTheBodyVerbatim(t *testing.T) {
	for _, size := range []int{1 << 10, 64 << 10} {
		body := JSONBody(size)
		if len(body) != size {
			t.Fatalf("JSONBody(%d) is %d bytes", size, len(body))
		}
		s := LuaScript(body)
		if !strings.Contains(s, "[=["+string(body)+"]=]") {
			t.Errorf("script for %d bytes does not hold the body in a level-1 long bracket", size)
		}
	}
	// A body that closes the default bracket gets a deeper one.
	s := LuaScript([]byte(`{"a":"]=]"}`))
	if !strings.Contains(s, `[==[{"a":"]=]"}]==]`) {
		t.Errorf("script = %s", s)
	}
}

// TestLoadQuick runs the real benchmark command in its smoke-test mode. It
// takes about a minute and loads the machine, so it runs only when asked:
//
//	HOOKSCOPE_BENCH=1 go test -run TestLoadQuick -v ./bench/
func TestLoadQuick(t *testing.T) {
	if os.Getenv("HOOKSCOPE_BENCH") != "1" {
		t.Skip("set HOOKSCOPE_BENCH=1 to run the load benchmark")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (the command installs it; this test does not)")
	}
	bin := filepath.Join(t.TempDir(), "load")
	if out, err := exec.Command("go", "build", "-o", bin, "./load").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-quick").CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, row := range []string{"| 64 | 1 KiB |", "| 1 | 1 KiB |", "| 8 | 1 KiB |", "| 256 | 1 KiB |", "| 64 | 64 KiB |"} {
		if !strings.Contains(text, row) {
			t.Errorf("table lacks the row %q", row)
		}
	}
	if strings.Contains(text, "LOST") || strings.Contains(text, "EXTRA") {
		t.Error("the stored count disagrees with what wrk saw acknowledged")
	}
	if !regexp.MustCompile(`no-loss check, .*; ok: stored \d+, acked \d+`).MatchString(text) {
		t.Error("no passing no-loss check in the output")
	}
}
