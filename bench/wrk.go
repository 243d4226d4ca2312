// Package bench holds what the benchmark commands under bench/ share: the
// wrk script they load servers with and the parser of wrk's report.
package bench

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WrkResult is what one wrk run reports.
type WrkResult struct {
	Requests    int64         // completed responses, 2xx or not
	Duration    time.Duration // measured run time
	ReqPerSec   float64
	P50, P99    time.Duration
	Non2xx      int64 // responses with a status outside 2xx/3xx
	ConnectErrs int64
	ReadErrs    int64
	WriteErrs   int64
	Timeouts    int64
	// FromScript is true when the figures came from the done() line of
	// LuaScript: microsecond percentiles instead of the report's rounded
	// "1.30ms", and counters that do not depend on the report's layout.
	FromScript bool
}

// SocketErrors is the sum of wrk's socket error counters.
func (r WrkResult) SocketErrors() int64 {
	return r.ConnectErrs + r.ReadErrs + r.WriteErrs + r.Timeouts
}

// setSocketErrors sets the counter of one kind of wrk's socket errors, by
// the name both the report and the done() line give it.
func (r *WrkResult) setSocketErrors(kind string, n int64) {
	switch kind {
	case "connect":
		r.ConnectErrs = n
	case "read":
		r.ReadErrs = n
	case "write":
		r.WriteErrs = n
	case "timeout":
		r.Timeouts = n
	}
}

// Acked is how many requests the server answered with 2xx or 3xx.
func (r WrkResult) Acked() int64 { return r.Requests - r.Non2xx }

// doneTag starts the machine-readable line LuaScript's done() prints.
const doneTag = "HOOKSCOPE_WRK"

// LuaScript is a wrk script that POSTs body as JSON on every request and, at
// the end, prints its counters on one machine-readable line: the human
// report rounds latencies to three digits and its layout varies between wrk
// versions. done() costs nothing per request, unlike request()/response(),
// which would make wrk itself slower and skew the comparison.
func LuaScript(body []byte) string {
	// A long bracket whose level the body cannot close.
	eq := "="
	for strings.Contains(string(body), "]"+eq+"]") {
		eq += "="
	}
	return fmt.Sprintf(`wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "hookscope-bench"
wrk.body = [%[1]s[%[2]s]%[1]s]

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%[3]s requests=%%d duration_us=%%d non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d p50_us=%%d p99_us=%%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`, eq, body, doneTag)
}

// JSONBody returns a webhook-like JSON document of exactly size bytes
// (size >= 128), so runs with the same size are comparable byte for byte.
func JSONBody(size int) []byte {
	head := `{"event":"order.created","id":"evt_1NirD82eZvKYlo2C","created":1700000000,"data":{"object":{"id":"ord_8812","amount":4200,"currency":"eur","note":"`
	tail := `"}}}`
	if size < len(head)+len(tail) {
		size = len(head) + len(tail)
	}
	b := make([]byte, 0, size)
	b = append(b, head...)
	const filler = "lorem ipsum dolor sit amet "
	for i := 0; len(b) < size-len(tail); i++ {
		b = append(b, filler[i%len(filler)])
	}
	return append(b, tail...)
}

// ParseWrk reads wrk's report. It takes the exact counters from the done()
// line when the script printed one, and otherwise the human report:
// "Requests/sec:", the "Latency Distribution" percentiles (printed only with
// --latency), "Non-2xx or 3xx responses:" and "Socket errors:".
func ParseWrk(out string) (WrkResult, error) {
	var r WrkResult
	var haveRPS, haveP50, haveP99, haveReqs bool
	inDist := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, doneTag+" "):
			if err := parseDoneLine(line, &r); err != nil {
				return r, err
			}
			r.FromScript, haveReqs, haveP50, haveP99 = true, true, true, true
		case strings.HasPrefix(line, "Latency Distribution"):
			inDist = true
		case inDist && strings.HasSuffix(strings.Fields(line + " x")[0], "%"):
			f := strings.Fields(line)
			if len(f) != 2 {
				return r, fmt.Errorf("wrk latency line %q", line)
			}
			d, err := parseWrkDuration(f[1])
			if err != nil {
				return r, err
			}
			if r.FromScript {
				continue // the done() line is exact to the microsecond
			}
			switch f[0] {
			case "50%", "50.000%":
				r.P50, haveP50 = d, true
			case "99%", "99.000%":
				r.P99, haveP99 = d, true
			}
		case strings.Contains(line, " requests in "):
			inDist = false
			f := strings.Fields(line)
			if len(f) < 4 {
				return r, fmt.Errorf("wrk summary line %q", line)
			}
			d, err := parseWrkDuration(strings.TrimSuffix(f[3], ","))
			if err != nil {
				return r, err
			}
			if !r.FromScript {
				n, err := parseMetric(f[0])
				if err != nil {
					return r, fmt.Errorf("wrk summary line %q: %w", line, err)
				}
				r.Requests, r.Duration, haveReqs = n, d, true
			}
		case strings.HasPrefix(line, "Socket errors:"):
			// Socket errors: connect 0, read 12, write 0, timeout 3
			f := strings.Fields(strings.NewReplacer(",", " ", ":", " ").Replace(line))
			for i := 2; i+1 < len(f); i += 2 {
				n, err := strconv.ParseInt(f[i+1], 10, 64)
				if err != nil {
					return r, fmt.Errorf("wrk socket errors %q: %w", line, err)
				}
				if !r.FromScript {
					r.setSocketErrors(f[i], n)
				}
			}
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:"):
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "Non-2xx or 3xx responses:")), 10, 64)
			if err != nil {
				return r, fmt.Errorf("wrk non-2xx %q: %w", line, err)
			}
			if !r.FromScript {
				r.Non2xx = n
			}
		case strings.HasPrefix(line, "Requests/sec:"):
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, "Requests/sec:")), 64)
			if err != nil {
				return r, fmt.Errorf("wrk requests/sec %q: %w", line, err)
			}
			r.ReqPerSec, haveRPS = v, true
		}
	}
	var missing []string
	if !haveRPS {
		missing = append(missing, "Requests/sec")
	}
	if !haveReqs {
		missing = append(missing, "request count")
	}
	if !haveP50 || !haveP99 {
		missing = append(missing, "latency distribution (run wrk with --latency)")
	}
	if len(missing) > 0 {
		return r, fmt.Errorf("wrk output lacks %s", strings.Join(missing, ", "))
	}
	return r, nil
}

func parseDoneLine(line string, r *WrkResult) error {
	for _, kv := range strings.Fields(line)[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("wrk done line %q", line)
		}
		// Lua may print integral numbers as floats ("12.0") on some builds.
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("wrk done line %q: %w", line, err)
		}
		n := int64(f)
		switch k {
		case "requests":
			r.Requests = n
		case "duration_us":
			r.Duration = time.Duration(n) * time.Microsecond
		case "non2xx":
			r.Non2xx = n
		case "connect", "read", "write", "timeout":
			r.setSocketErrors(k, n)
		case "p50_us":
			r.P50 = time.Duration(n) * time.Microsecond
		case "p99_us":
			r.P99 = time.Duration(n) * time.Microsecond
		}
	}
	return nil
}

// parseWrkDuration reads wrk's times: "812.00us", "1.23ms", "2.00s", "1.50m",
// "1.00h".
func parseWrkDuration(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("wrk duration %q: %w", s, err)
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("wrk duration %q: unknown unit", s)
}

// parseMetric reads wrk's scaled counts: "812", "41.23k", "1.20M", "2.00G".
func parseMetric(s string) (int64, error) {
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1e3, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "M"):
		mult, s = 1e6, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1e9, strings.TrimSuffix(s, "G")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	return int64(v*mult + 0.5), nil
}
