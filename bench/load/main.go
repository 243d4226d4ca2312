// Command load compares Hookscope's receiver with a Go server that does
// nothing and with the cheapest server that answers only after fsync (the
// "fsync floor"), under the same wrk load in the same run.
//
//	go run ./bench/load [-duration 10s] [-rounds 2] [-quick] [-base BIN] [-conns 64,256]
//
// Both servers share the 2 cores with wrk, so a fixed req/s figure would say
// more about the machine than about Hookscope: only the ratio to the no-op
// server measured minutes apart is meaningful. Runs alternate no-op and
// Hookscope so a drift in the machine (thermal, a neighbour's build) hits
// both. Every Hookscope run gets a fresh database, and afterwards the stored
// captures are counted through the API and compared with what wrk saw
// acknowledged.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"hookscope/bench"
	"hookscope/store"
)

type scenario struct {
	conns int
	body  int // bytes
}

// The 64-connection 1 KiB row is the one the 0.5 throughput target is
// about; the others show where each server bends.
var scenarios = []scenario{
	{64, 1 << 10},
	{1, 1 << 10},
	{8, 1 << 10},
	{256, 1 << 10},
	{64, 64 << 10},
}

func main() {
	noop := flag.String("noop", "", "internal: serve as the no-op server on `ADDR` (reads the body, answers 200)")
	floor := flag.String("floor", "", "internal: serve as the fsync floor on `ADDR` (appends bodies to -journal, answers after fdatasync)")
	journal := flag.String("journal", "", "internal: the fsync floor's journal file")
	duration := flag.Duration("duration", 10*time.Second, "length of each wrk run")
	rounds := flag.Int("rounds", 2, "no-op/Hookscope alternations per row")
	threads := flag.Int("threads", 2, "wrk threads (-t)")
	quick := flag.Bool("quick", false, "smoke test: 3 s runs, 1 round")
	keep := flag.Bool("keep", false, "keep the temp dir (binary, databases, logs, wrk output)")
	var ab abOptions
	flag.StringVar(&ab.base, "base", "", "A/B: also load this Hookscope `binary` (say, one built from main) in every round, right after this tree's, and print their ratio")
	flag.Var(&ab.env, "env", "A/B: `K=V` added to this tree's Hookscope environment (repeatable; GOGC=200)")
	flag.Var(&ab.baseEnv, "base-env", "A/B: `K=V` added to -base's environment (repeatable); with -base-env and no -base, -base is this tree's binary")
	conns := flag.String("conns", "", "run only the rows with these connection counts (`LIST`: 64,256)")
	flag.Parse()
	if *noop != "" {
		if err := serveNoop(*noop); err != nil {
			fmt.Fprintln(os.Stderr, "noop:", err)
			os.Exit(1)
		}
		return
	}
	if *floor != "" {
		if err := serveFloor(*floor, *journal); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	if *quick {
		*duration, *rounds = 3*time.Second, 1
	}
	if err := ab.selectRows(*conns); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	if err := run(*duration, *rounds, *threads, *keep, ab); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// serveNoop is the ceiling: net/http with a handler that only drains the
// body, as cheap as a Go server that reads the request can be.
func serveNoop(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	return http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
}

type sample struct {
	res bench.WrkResult
	// Hookscope only: what the API holds after the run.
	stored   int64
	verified string
	cpu      time.Duration // user + system CPU the process used up to the end of the wrk run
}

type row struct {
	sc                scenario
	noop, floor, hook []sample
	base              []sample // A/B: -base's runs, when given
}

func run(duration time.Duration, rounds, threads int, keep bool, ab abOptions) error {
	wrk, err := ensureWrk()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hookscope-load-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("temp dir:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	hookBin := filepath.Join(tmp, "hookscope")
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	fmt.Printf("building hookscope (%s) ...\n", root)
	build := exec.Command("go", "build", "-o", hookBin, ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build hookscope: %w", err)
	}
	ab.resolve(hookBin)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	scripts := map[int]string{}
	for _, sc := range scenarios {
		if _, ok := scripts[sc.body]; ok {
			continue
		}
		p := filepath.Join(tmp, fmt.Sprintf("post-%d.lua", sc.body))
		if err := os.WriteFile(p, []byte(bench.LuaScript(bench.JSONBody(sc.body))), 0o644); err != nil {
			return err
		}
		scripts[sc.body] = p
	}

	noop, err := startServer(tmp, "noop", self, "-noop", "ADDR")
	if err != nil {
		return err
	}
	defer noop.stop()

	fmt.Printf("wrk -t%d -d%s --latency, %d round(s) per row, no-op, fsync floor and Hookscope alternating; each floor and Hookscope run on fresh files\n", threads, duration, rounds)
	var rows []*row
	runNo := 0
	for _, sc := range ab.rows {
		rw := &row{sc: sc}
		rows = append(rows, rw)
		for round := 1; round <= rounds; round++ {
			res, err := runWrk(wrk, threads, sc.conns, duration, scripts[sc.body], noop.url+"/bench/orders", tmp, fmt.Sprintf("noop-%d", runNo))
			if err != nil {
				return err
			}
			rw.noop = append(rw.noop, sample{res: res})
			fmt.Printf("  c=%-3d body=%-6s round %d  no-op     %9.0f req/s  p50 %-8s p99 %-8s\n", sc.conns, size(sc.body), round, res.ReqPerSec, ms(res.P50), ms(res.P99))

			res, err = floorRun(tmp, self, wrk, threads, sc, duration, scripts[sc.body], runNo)
			if err != nil {
				return err
			}
			rw.floor = append(rw.floor, sample{res: res})
			fmt.Printf("  c=%-3d body=%-6s round %d  fsync     %9.0f req/s  p50 %-8s p99 %-8s\n", sc.conns, size(sc.body), round, res.ReqPerSec, ms(res.P50), ms(res.P99))

			if err := hookRound(rw, ab, tmp, hookBin, wrk, threads, duration, scripts[sc.body], round, runNo); err != nil {
				return err
			}
			runNo++
		}
	}
	// A Hookscope run at full speed overflows the default retention
	// (store.DefaultMaxCount; headless has no flag to lift it), after which
	// the count cannot prove anything. One more 64-connection run, short
	// enough to stay under the cap, checks the count exactly.
	verify, err := verifyRun(tmp, hookBin, ab.env, wrk, threads, scripts[1<<10], rows[0])
	if err != nil {
		return err
	}
	printTable(rows, duration, rounds, threads, verify)
	printAB(rows, ab)
	return nil
}

// hookRound loads this tree's Hookscope once, and with -base the base
// too: first in even rounds, so that neither build always follows the other.
func hookRound(rw *row, ab abOptions, tmp, hookBin, wrk string, threads int, duration time.Duration, script string, round, runNo int) error {
	if err := ab.baseRun(rw, tmp, wrk, threads, duration, script, round, runNo, round%2 == 0); err != nil {
		return err
	}
	s, err := hookRun(tmp, hookBin, ab.env, wrk, threads, rw.sc, duration, script, fmt.Sprint(runNo))
	if err != nil {
		return err
	}
	rw.hook = append(rw.hook, s)
	fmt.Printf("  c=%-3d body=%-6s round %d  hookscope %9.0f req/s  p50 %-8s p99 %-8s  %s\n", rw.sc.conns, size(rw.sc.body), round, s.res.ReqPerSec, ms(s.res.P50), ms(s.res.P99), s.verified)
	return ab.baseRun(rw, tmp, wrk, threads, duration, script, round, runNo, round%2 == 1)
}

// floorRun loads a fresh fsync floor (see floorJournal), like hookRun does
// Hookscope.
func floorRun(tmp, self, wrk string, threads int, sc scenario, duration time.Duration, script string, runNo int) (bench.WrkResult, error) {
	journal := filepath.Join(tmp, fmt.Sprintf("floor-%d.journal", runNo))
	fl, err := startServer(tmp, fmt.Sprintf("floor-%d", runNo), self, "-floor", "ADDR", "-journal", journal)
	if err != nil {
		return bench.WrkResult{}, err
	}
	defer func() {
		fl.stop()
		os.Remove(journal)
	}()
	return runWrk(wrk, threads, sc.conns, duration, script, fl.url+"/bench/orders", tmp, fmt.Sprintf("floor-%d", runNo))
}

// hookRun loads a fresh headless Hookscope (hookBin, with env added to its
// environment) and counts what it stored; name tells its files apart.
func hookRun(tmp, hookBin string, env []string, wrk string, threads int, sc scenario, duration time.Duration, script, name string) (sample, error) {
	db := filepath.Join(tmp, fmt.Sprintf("hookscope-%s.db", name))
	hs, err := startServerEnv(tmp, "hookscope-"+name, env, hookBin, "--headless", "--addr", "ADDR", "--db", db)
	if err != nil {
		return sample{}, err
	}
	defer func() {
		hs.stop()
		os.Remove(db)
	}()
	res, err := runWrk(wrk, threads, sc.conns, duration, script, hs.url+"/bench/orders", tmp, "hookscope-"+name)
	if err != nil {
		return sample{}, err
	}
	s := sample{res: res, cpu: processCPU(hs.cmd.Process.Pid)}
	s.stored, s.verified, err = verifyStored(hs.url, res, sc.conns)
	return s, err
}

// verifyStored counts the captures the API lists and compares them with
// what wrk saw acknowledged. wrk stops with requests in flight: the server
// may have stored those without wrk counting the answer, so up to one per
// connection more than acknowledged is fine; fewer is a lost capture.
func verifyStored(url string, res bench.WrkResult, conns int) (int64, string, error) {
	// Pruning runs in the background after each commit; let it settle so
	// the count is stable.
	var stored int64
	for i := 0; ; i++ {
		n, err := countCaptures(url)
		if err != nil {
			return 0, "", err
		}
		if n == stored || i == 20 {
			stored = n
			break
		}
		stored = n
		time.Sleep(100 * time.Millisecond)
	}
	acked := res.Acked()
	switch {
	case acked+int64(conns) > store.DefaultMaxCount:
		if stored != store.DefaultMaxCount {
			return stored, fmt.Sprintf("LOST? stored %d, want the retention cap %d", stored, store.DefaultMaxCount), nil
		}
		return stored, fmt.Sprintf("stored %d = retention cap (acked %d)", stored, acked), nil
	case stored < acked:
		return stored, fmt.Sprintf("LOST %d: stored %d < acked %d", acked-stored, stored, acked), nil
	case stored > acked+int64(conns):
		return stored, fmt.Sprintf("EXTRA: stored %d > acked %d + %d in flight", stored, acked, conns), nil
	default:
		return stored, fmt.Sprintf("ok: stored %d, acked %d", stored, acked), nil
	}
}

type verifyResult struct {
	conns    int
	duration time.Duration
	s        sample
}

func verifyRun(tmp, hookBin string, env []string, wrk string, threads int, script string, main *row) (verifyResult, error) {
	best := 0.0
	for _, s := range main.hook {
		best = max(best, s.res.ReqPerSec)
	}
	// Half the cap at the best rate seen, with a floor that still loads the
	// server for long enough to matter.
	d := time.Duration(float64(store.DefaultMaxCount) / 2 / max(best, 1) * float64(time.Second))
	d = min(max(d, time.Second), 10*time.Second).Round(time.Second)
	fmt.Printf("verification: %d connections for %s (stays under the %d-capture retention cap)\n", main.sc.conns, d, store.DefaultMaxCount)
	s, err := hookRun(tmp, hookBin, env, wrk, threads, main.sc, d, script, "verify")
	return verifyResult{main.sc.conns, d, s}, err
}

// countCaptures pages through the API, 1000 at a time, until next is empty.
func countCaptures(base string) (int64, error) {
	var n int64
	before := ""
	for {
		u := base + "/_hookscope/api/captures?limit=1000"
		if before != "" {
			u += "&before=" + before
		}
		resp, err := http.Get(u)
		if err != nil {
			return 0, err
		}
		var page struct {
			Captures []json.RawMessage `json:"captures"`
			Next     string            `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: %d %v", u, resp.StatusCode, err)
		}
		n += int64(len(page.Captures))
		if page.Next == "" {
			return n, nil
		}
		before = page.Next
	}
}

func runWrk(wrk string, threads, conns int, d time.Duration, script, url, tmp, name string) (bench.WrkResult, error) {
	// wrk takes whole seconds.
	secs := max(1, int(d.Round(time.Second)/time.Second))
	args := []string{fmt.Sprintf("-t%d", min(threads, conns)), fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", secs), "--latency", "-s", script, url}
	cmd := exec.Command(wrk, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	os.WriteFile(filepath.Join(tmp, name+".wrk.txt"), out.Bytes(), 0o644)
	if err != nil {
		return bench.WrkResult{}, fmt.Errorf("wrk %s: %w\n%s", strings.Join(args, " "), err, out.String())
	}
	res, err := bench.ParseWrk(out.String())
	if err != nil {
		return res, fmt.Errorf("%w\n%s", err, out.String())
	}
	return res, nil
}

type server struct {
	cmd  *exec.Cmd
	url  string
	name string
	done chan struct{}
}

// startServer runs bin with args, the argument "ADDR" replaced by a free
// loopback address, and waits for its "listening on http://..." line.
// Stdout goes to a file, not a pipe we read: headless Hookscope prints a
// line per capture, and draining that would cost this process CPU the
// servers and wrk compete for.
func startServer(tmp, name, bin string, args ...string) (*server, error) {
	return startServerEnv(tmp, name, nil, bin, args...)
}

// startServerEnv is startServer with env added to the child's environment.
func startServerEnv(tmp, name string, env []string, bin string, args ...string) (*server, error) {
	for attempt := 0; ; attempt++ {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		a := slices.Clone(args)
		for i := range a {
			if a[i] == "ADDR" {
				a[i] = addr
			}
		}
		logPath := filepath.Join(tmp, name+".log")
		logf, err := os.Create(logPath)
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(bin, a...)
		cmd.Stdout, cmd.Stderr = logf, logf
		if len(env) > 0 {
			cmd.Env = append(os.Environ(), env...)
		}
		if err := cmd.Start(); err != nil {
			logf.Close()
			return nil, fmt.Errorf("start %s: %w", name, err)
		}
		logf.Close()
		s := &server{cmd: cmd, name: name, done: make(chan struct{})}
		go func() { cmd.Wait(); close(s.done) }()
		url, err := waitListening(logPath, s.done, 15*time.Second)
		if err == nil {
			s.url = url
			return s, nil
		}
		s.stop()
		log, _ := os.ReadFile(logPath)
		// Another process may have taken the port between freeAddr and the
		// child's listen.
		if attempt < 3 && bytes.Contains(log, []byte("in use")) {
			continue
		}
		return nil, fmt.Errorf("start %s: %w\n%s", name, err, log)
	}
}

func waitListening(logPath string, done <-chan struct{}, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if f, err := os.Open(logPath); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if url, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
					f.Close()
					return strings.TrimSpace(url), nil
				}
			}
			f.Close()
		}
		select {
		case <-done:
			return "", errors.New("exited before listening")
		case <-time.After(10 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("not listening after %s", timeout)
}

// stop asks for a clean shutdown (Hookscope closes its store on SIGTERM)
// and kills only if that hangs.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run from inside the hookscope module")
	}
	return filepath.Dir(mod), nil
}

// ensureWrk finds wrk or installs Debian's package, through sudo when not
// root.
func ensureWrk() (string, error) {
	if p, err := exec.LookPath("wrk"); err == nil {
		return p, nil
	}
	fmt.Println("wrk not found: installing it with apt-get ...")
	var pre []string
	if os.Geteuid() != 0 {
		pre = []string{"sudo"}
	}
	for _, args := range [][]string{{"apt-get", "update"}, {"apt-get", "install", "-y", "wrk"}} {
		full := append(slices.Clone(pre), args...)
		cmd := exec.CommandContext(context.Background(), full[0], full[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %w", strings.Join(full, " "), err)
		}
	}
	return exec.LookPath("wrk")
}

// median of xs; the mean of the middle two for an even count.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 0 {
		return (s[m-1] + s[m]) / 2
	}
	return s[m]
}

func printTable(rows []*row, d time.Duration, rounds, threads int, v verifyResult) {
	fmt.Println()
	fmt.Printf("wrk -t%d -d%s --latency, POST application/json; %d round(s), no-op, fsync floor and Hookscope alternating; per round: req/s p50/p99\n", threads, d, rounds)
	fmt.Println("| conns | body | no-op req/s | no-op p50 / p99 | fsync floor req/s | floor / no-op | hookscope req/s | hookscope p50 / p99 | ratio | hookscope / floor | non-2xx | socket errs | stored vs acked |")
	fmt.Println("|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
	for _, rw := range rows {
		for i := range rw.hook {
			n, f, h := rw.noop[i].res, rw.floor[i].res, rw.hook[i].res
			fmt.Printf("| %d | %s | %.0f | %s / %s | %.0f | %.2f | %.0f | %s / %s | **%.2f** | %.2f | %d | %d | %s |\n",
				rw.sc.conns, size(rw.sc.body), n.ReqPerSec, ms(n.P50), ms(n.P99), f.ReqPerSec, f.ReqPerSec/n.ReqPerSec,
				h.ReqPerSec, ms(h.P50), ms(h.P99), h.ReqPerSec/n.ReqPerSec, h.ReqPerSec/f.ReqPerSec,
				n.Non2xx+f.Non2xx+h.Non2xx, n.SocketErrors()+f.SocketErrors()+h.SocketErrors(), rw.hook[i].verified)
		}
	}
	fmt.Println()
	// Other work on the machine moves both servers' figures from one
	// round to the next; the ratio of two runs seconds apart is steadier,
	// so the summary is the median of the per-round ratios.
	fmt.Println("Per row, medians over the rounds (ratio: median of the per-round ratios):")
	fmt.Println("| conns | body | no-op req/s | fsync floor req/s | floor / no-op | hookscope req/s | ratio | hookscope / floor | hookscope p50 | hookscope p99 |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, rw := range rows {
		var n, f, h, floorRatio, ratio, ofFloor, p50, p99 []float64
		for i := range rw.hook {
			n = append(n, rw.noop[i].res.ReqPerSec)
			f = append(f, rw.floor[i].res.ReqPerSec)
			h = append(h, rw.hook[i].res.ReqPerSec)
			floorRatio = append(floorRatio, rw.floor[i].res.ReqPerSec/rw.noop[i].res.ReqPerSec)
			ratio = append(ratio, rw.hook[i].res.ReqPerSec/rw.noop[i].res.ReqPerSec)
			ofFloor = append(ofFloor, rw.hook[i].res.ReqPerSec/rw.floor[i].res.ReqPerSec)
			p50 = append(p50, float64(rw.hook[i].res.P50))
			p99 = append(p99, float64(rw.hook[i].res.P99))
		}
		fmt.Printf("| %d | %s | %.0f | %.0f | %.2f | %.0f | **%.2f** | %.2f | %s | %s |\n", rw.sc.conns, size(rw.sc.body), median(n), median(f), median(floorRatio),
			median(h), median(ratio), median(ofFloor), ms(time.Duration(median(p50))), ms(time.Duration(median(p99))))
	}
	fmt.Println()
	fmt.Printf("no-loss check, %d connections for %s on a fresh database: %.0f req/s, %d non-2xx, %d socket errors; %s\n",
		v.conns, v.duration, v.s.res.ReqPerSec, v.s.res.Non2xx, v.s.res.SocketErrors(), v.s.verified)
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

func size(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}
