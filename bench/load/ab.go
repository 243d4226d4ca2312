package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// abOptions compare two Hookscope builds (or one build under two
// environments) in the same run: on a machine shared with other work, only
// runs seconds apart say which of two is faster. In every round the base
// runs right after this tree's binary, each on a fresh database.
type abOptions struct {
	base         string   // the other binary; "" for no A/B
	env, baseEnv envFlags // added to each one's environment
	rows         []scenario
	wantBaseRuns bool
	resolvedOwn  string
	resolvedBase string
}

// envFlags collects repeated -env K=V flags.
type envFlags []string

func (e *envFlags) String() string { return strings.Join(*e, ",") }

func (e *envFlags) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return fmt.Errorf("%q: want K=V", v)
	}
	*e = append(*e, v)
	return nil
}

// selectRows keeps the scenarios whose connection count is in list (all
// when list is empty).
func (ab *abOptions) selectRows(list string) error {
	if list == "" {
		ab.rows = scenarios
		return nil
	}
	var want []int
	for f := range strings.SplitSeq(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-conns %q: want connection counts like 64,256", list)
		}
		want = append(want, n)
	}
	for _, sc := range scenarios {
		if slices.Contains(want, sc.conns) {
			ab.rows = append(ab.rows, sc)
		}
	}
	if len(ab.rows) == 0 {
		return fmt.Errorf("-conns %q: no row has those connection counts", list)
	}
	return nil
}

// resolve decides the base binary once this tree's is built: -base-env
// alone compares this tree's binary with itself under another environment.
func (ab *abOptions) resolve(own string) {
	ab.resolvedOwn = own
	ab.resolvedBase = ab.base
	if ab.base == "" && len(ab.baseEnv) > 0 {
		ab.resolvedBase = own
	}
	ab.wantBaseRuns = ab.resolvedBase != ""
}

// baseRun loads the base in this round when now is set (before or after
// this tree's run).
func (ab *abOptions) baseRun(rw *row, tmp, wrk string, threads int, d time.Duration, script string, round, runNo int, now bool) error {
	if !ab.wantBaseRuns || !now {
		return nil
	}
	s, err := hookRun(tmp, ab.resolvedBase, ab.baseEnv, wrk, threads, rw.sc, d, script, fmt.Sprintf("base-%d", runNo))
	if err != nil {
		return fmt.Errorf("base: %w", err)
	}
	rw.base = append(rw.base, s)
	fmt.Printf("  c=%-3d body=%-6s round %d  base      %9.0f req/s  p50 %-8s p99 %-8s  %s\n", rw.sc.conns, size(rw.sc.body), round, s.res.ReqPerSec, ms(s.res.P50), ms(s.res.P99), s.verified)
	return nil
}

// printAB prints, per row, both builds against the floor and against each
// other, as medians of the per-round ratios.
func printAB(rows []*row, ab abOptions) {
	if !ab.wantBaseRuns {
		return
	}
	fmt.Println()
	fmt.Printf("A/B: hookscope = %s %s; base = %s %s (medians of the per-round ratios)\n",
		ab.resolvedOwn, ab.env.String(), ab.resolvedBase, ab.baseEnv.String())
	fmt.Println("| conns | body | floor req/s | hookscope req/s | hookscope / floor | hookscope p99 | base req/s | base / floor | base p99 | **hookscope / base** | CPU µs/request hookscope / base | stored vs acked (hookscope; base) |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, rw := range rows {
		var f, h, b, hf, bf, hb, hp, bp, hc, bc []float64
		verified := []string{}
		for i := range rw.base {
			fl, hk, bs := rw.floor[i].res, rw.hook[i].res, rw.base[i].res
			f, h, b = append(f, fl.ReqPerSec), append(h, hk.ReqPerSec), append(b, bs.ReqPerSec)
			hf, bf, hb = append(hf, hk.ReqPerSec/fl.ReqPerSec), append(bf, bs.ReqPerSec/fl.ReqPerSec), append(hb, hk.ReqPerSec/bs.ReqPerSec)
			hp, bp = append(hp, float64(hk.P99)), append(bp, float64(bs.P99))
			hc, bc = append(hc, cpuPerRequest(rw.hook[i])), append(bc, cpuPerRequest(rw.base[i]))
			verified = append(verified, rw.hook[i].verified+"; "+rw.base[i].verified)
		}
		fmt.Printf("| %d | %s | %.0f | %.0f | %.2f | %s | %.0f | %.2f | %s | **%.2f** | %.1f / %.1f | %s |\n", rw.sc.conns, size(rw.sc.body),
			median(f), median(h), median(hf), ms(time.Duration(median(hp))), median(b), median(bf), ms(time.Duration(median(bp))),
			median(hb), median(hc), median(bc), strings.Join(verified, " / "))
	}
}

// cpuPerRequest is the server's CPU per request wrk counted, in µs: on a
// machine shared with other work it moves less than the throughput does.
func cpuPerRequest(s sample) float64 {
	return float64(s.cpu/time.Microsecond) / float64(max(s.res.Requests, 1))
}

// processCPU is the user and system CPU pid has used so far, from
// /proc/PID/stat (fields 14 and 15, in clock ticks: proc(5)); 0 where that
// cannot be read.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; the fields after it do not.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(utime+stime) * tick
}
