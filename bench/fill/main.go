// Command fill writes a store of realistic captures, reopens it and times
// what the window and the API do at that scale.
//
//	go run ./bench/fill -n 1000000 -db /tmp/hookscope-1m.db
//
// With -search it writes nothing and times the text searches of an existing
// store instead, with their CPU time:
//
//	go run ./bench/fill -search -runs 3 -db /tmp/hookscope-1m.db
//
// The captures look like webhooks from a handful of platforms: 1 KiB JSON
// bodies with ids, nested objects and arrays, a mix of paths, methods and
// projects, and the headers senders really send (signatures, request ids,
// user agents). One capture in 50,000 carries a rare word, so a search for
// it must look at every capture, as a search that finds little does.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hookscope/store"
)

// rareWord is in one capture of every rareEvery, in the body.
const (
	rareWord  = "quetzalcoatl"
	rareEvery = 50_000
)

func main() {
	n := flag.Int("n", 1_000_000, "captures to write")
	dbPath := flag.String("db", "", "database file to create (default: in a temp dir, removed afterwards); must not exist")
	workers := flag.Int("workers", 256, "concurrent writers (group commit shares one fsync among them)")
	pruneTo := flag.Int("prune-to", 0, "retention count to prune to at the end (default: 90% of -n)")
	search := flag.Bool("search", false, "time the text searches of the existing store -db instead of filling one")
	runs := flag.Int("runs", 3, "with -search: times each search runs")
	profile := flag.String("cpuprofile", "", "with -search: write a CPU profile of the searches to this file")
	flag.Parse()
	if *search {
		if err := searchOnly(*dbPath, *runs, *profile); err != nil {
			fatal(err)
		}
		return
	}
	if *pruneTo == 0 {
		*pruneTo = *n * 9 / 10
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "hookscope-fill-")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(dir)
		*dbPath = filepath.Join(dir, "hookscope.db")
	} else if _, err := os.Stat(*dbPath); err == nil {
		fatal(fmt.Errorf("%s exists: fill measures a fresh store", *dbPath))
	}
	if err := run(*dbPath, *n, *workers, *pruneTo); err != nil {
		fatal(err)
	}
}

func run(path string, n, workers, pruneTo int) error {
	st, err := store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		return err
	}
	fmt.Printf("filling %s with %d captures, %d writers ...\n", path, n, workers)
	var next, rawBytes atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	start := time.Now()
	stopProgress := progress(&next, n, start)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				c := makeCapture(st, int(i))
				rawBytes.Add(rawSize(c))
				if err := st.Put(c); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	stopProgress()
	fillTime := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	fmt.Printf("filled in %s: %.0f captures/s\n\n", fillTime.Round(time.Millisecond), float64(n)/fillTime.Seconds())

	var rows [][2]string
	add := func(what string, v string) {
		rows = append(rows, [2]string{what, v})
		fmt.Printf("  %-58s %s\n", what, v)
	}

	t := time.Now()
	st, err = store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		return err
	}
	defer st.Close()
	openTime := time.Since(t)
	add("open (page cache warm from the fill)", dur(openTime))

	t = time.Now()
	page, _, err := st.List(store.Filter{}, 0, 50)
	if err != nil {
		return err
	}
	firstPage := time.Since(t)
	add(fmt.Sprintf("first page (%d summaries)", len(page)), dur(firstPage))
	add("open + first page", dur(openTime+firstPage))

	// Walk to half depth the way the API pages, 1000 at a time; only the
	// last page is timed, since that is what a client asking for a deep page
	// waits for.
	depth := n / 2
	var before store.ID
	walked := 0
	t = time.Now()
	for walked < depth {
		p, nxt, err := st.List(store.Filter{}, before, min(1000, depth-walked))
		if err != nil {
			return err
		}
		walked += len(p)
		before = p[len(p)-1].ID
		if nxt == 0 {
			break
		}
	}
	walk := time.Since(t)
	t = time.Now()
	deep, _, err := st.List(store.Filter{}, before, 50)
	if err != nil {
		return err
	}
	add(fmt.Sprintf("page %d deep via the cursor (%d summaries)", walked, len(deep)), dur(time.Since(t)))
	add(fmt.Sprintf("  (walking there in pages of 1000: %d pages)", (walked+999)/1000), dur(walk))

	t = time.Now()
	count, err := st.Count()
	if err != nil {
		return err
	}
	add(fmt.Sprintf("Count (= %d)", count), dur(time.Since(t)))

	t = time.Now()
	ids, err := st.IDs(store.Filter{})
	if err != nil {
		return err
	}
	add(fmt.Sprintf("IDs(Filter{}) (%d ids)", len(ids)), dur(time.Since(t)))

	// The newest 100,000: a Since bound at the 100,000th newest capture.
	// This is also what a store at the default retention holds.
	newest := min(100_000, len(ids))
	sums, err := st.Summaries(ids[len(ids)-newest : len(ids)-newest+1])
	if err != nil || len(sums) != 1 {
		return fmt.Errorf("summary of the %dth newest: %v", newest, err)
	}
	since := sums[0].ReceivedAt
	for _, s := range []struct {
		label string
		f     store.Filter
	}{
		{fmt.Sprintf("search %q, newest %d (Since bound)", rareWord, newest), store.Filter{Text: rareWord, Since: since}},
		{fmt.Sprintf("search %q, all %d", rareWord, len(ids)), store.Filter{Text: rareWord}},
		{fmt.Sprintf("search %q, all %d, again (warm)", rareWord, len(ids)), store.Filter{Text: rareWord}},
	} {
		t = time.Now()
		hits, _, err := st.List(s.f, 0, 50)
		if err != nil {
			return err
		}
		add(fmt.Sprintf("%s: %d hits", s.label, len(hits)), dur(time.Since(t)))
	}
	timeWindowSearch(st, len(ids), add)

	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	raw := rawBytes.Load()
	add("file size / raw data (bodies + header names and values)", fmt.Sprintf("%s / %s = %.2f×", mib(fi.Size()), mib(raw), float64(fi.Size())/float64(raw)))

	// Retention: lower the cap and wait for the store to get there. The
	// background pruner and this Prune share the work; the figure is the
	// time until the count is down, which is what a user changing the
	// setting waits for.
	t = time.Now()
	st.SetRetention(pruneTo, 0)
	if _, err := st.Prune(); err != nil {
		return err
	}
	for {
		c, err := st.Count()
		if err != nil {
			return err
		}
		if c <= pruneTo {
			break
		}
		time.Sleep(time.Millisecond)
	}
	prune := time.Since(t)
	add(fmt.Sprintf("prune %d → %d by retention (%.0f deletions/s)", n, pruneTo, float64(n-pruneTo)/prune.Seconds()), dur(prune))
	if err := st.Close(); err != nil {
		return err
	}
	fi, _ = os.Stat(path)
	add("file size after pruning (bbolt reuses pages, never shrinks)", mib(fi.Size()))

	fmt.Printf("\n%d captures, GOMAXPROCS %d, fill %s (%.0f captures/s)\n", n, runtime.GOMAXPROCS(0), fillTime.Round(time.Millisecond), float64(n)/fillTime.Seconds())
	fmt.Println("| measurement | result |")
	fmt.Println("|---|---:|")
	for _, r := range rows {
		fmt.Printf("| %s | %s |\n", r[0], r[1])
	}
	return nil
}

// timeWindowSearch times the window's search: every hit's ID, one worker
// per core. A failure is its row's result.
func timeWindowSearch(st *store.Store, n int, add func(label, value string)) {
	label := fmt.Sprintf("search %q, all %d, every hit's ID (IDs, the window)", rareWord, n)
	t := time.Now()
	hits, err := st.IDs(store.Filter{Text: rareWord})
	if err != nil {
		add(label, "failed: "+err.Error())
		return
	}
	add(fmt.Sprintf("%s: %d hits", label, len(hits)), dur(time.Since(t)))
}

func progress(done *atomic.Int64, n int, start time.Time) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				d := min(done.Load(), int64(n))
				fmt.Printf("  %d / %d (%.0f/s)\n", d, n, float64(d)/time.Since(start).Seconds())
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

type source struct {
	weight  int
	method  func(r *rand.Rand) string
	path    func(r *rand.Rand, i int) string
	project string
	agent   string
	event   func(r *rand.Rand) string
	sigName string
}

func post(*rand.Rand) string { return "POST" }

func pick(r *rand.Rand, xs ...string) string { return xs[r.IntN(len(xs))] }

// sources are the senders; weights roughly follow how chatty each is.
var sources = []source{
	{30, func(r *rand.Rand) string { return pick(r, "POST", "POST", "POST", "PUT", "PATCH", "DELETE") },
		func(r *rand.Rand, i int) string { return "/shop/orders/" + strconv.Itoa(100000+i) }, "shop",
		"Shopify-Captain-Hook", func(r *rand.Rand) string {
			return pick(r, "orders/create", "orders/updated", "orders/paid", "orders/cancelled")
		}, "X-Shopify-Hmac-Sha256"},
	{10, post, func(r *rand.Rand, i int) string { return "/shop/refunds/" + strconv.Itoa(5000+i%9000) }, "shop",
		"Shopify-Captain-Hook", func(*rand.Rand) string { return "refunds/create" }, "X-Shopify-Hmac-Sha256"},
	{20, post, func(*rand.Rand, int) string { return "/isahit/annotation" }, "isahit",
		"isahit-webhooks/2.3", func(r *rand.Rand) string {
			return pick(r, "annotation.completed", "annotation.reviewed", "batch.closed")
		}, "X-Isahit-Signature"},
	{15, post, func(*rand.Rand, int) string { return "/kili/onSubmit" }, "kili",
		"python-requests/2.31.0", func(r *rand.Rand) string { return pick(r, "onSubmit", "onReview") }, ""},
	{10, post, func(*rand.Rand, int) string { return "/stripe/webhook" }, "stripe",
		"Stripe/1.0 (+https://stripe.com/docs/webhooks)", func(r *rand.Rand) string {
			return pick(r, "payment_intent.succeeded", "charge.refunded", "customer.subscription.updated", "invoice.paid")
		}, "Stripe-Signature"},
	{8, post, func(*rand.Rand, int) string { return "/github/push" }, "github",
		"GitHub-Hookshot/2b3c4d5", func(r *rand.Rand) string { return pick(r, "push", "pull_request", "issues", "workflow_run") }, "X-Hub-Signature-256"},
	{4, func(r *rand.Rand) string { return pick(r, "GET", "HEAD") }, func(r *rand.Rand, i int) string { return "/health?probe=" + strconv.Itoa(i%7) }, "",
		"kube-probe/1.29", func(*rand.Rand) string { return "probe" }, ""},
	{3, post, func(r *rand.Rand, i int) string { return "/demo/ingested?source=" + pick(r, "crm", "erp", "form") }, "",
		"curl/8.5.0", func(*rand.Rand) string { return "ingested" }, ""},
}

var totalWeight = func() int {
	t := 0
	for _, s := range sources {
		t += s.weight
	}
	return t
}()

var words = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
	"kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform",
	"victor", "whiskey", "xray", "yankee", "zulu", "parcel", "invoice", "label", "review", "bounding", "box"}

// makeCapture builds capture i deterministically (same -n, same data), with
// the ID taken the way the receiver takes it: before storing, because the
// answer that names it is stored too.
func makeCapture(st *store.Store, i int) *store.Capture {
	r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
	w := r.IntN(totalWeight)
	src := sources[0]
	for _, s := range sources {
		if w < s.weight {
			src = s
			break
		}
		w -= s.weight
	}
	method := src.method(r)
	target := src.path(r, i)
	path, query := target, ""
	if p, q, ok := strings.Cut(target, "?"); ok {
		path, query = p, q
	}
	now := time.Now()
	var body []byte
	if method != "GET" && method != "HEAD" {
		body = jsonBody(r, i, src.event(r))
	}
	h := http.Header{
		"User-Agent":      {src.agent},
		"Accept":          {"*/*"},
		"Accept-Encoding": {"gzip"},
		"X-Request-Id":    {fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xffff, r.Uint32()&0xffff, r.Uint64()&0xffffffffffff)},
		"X-Forwarded-For": {fmt.Sprintf("%d.%d.%d.%d", 3+r.IntN(200), r.IntN(256), r.IntN(256), 1+r.IntN(254))},
	}
	if len(body) > 0 {
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	if src.sigName != "" {
		h[src.sigName] = []string{fmt.Sprintf("t=%d,v1=%016x%016x%016x%016x", now.Unix(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())}
	}
	c := &store.Capture{
		ReceivedAt: now,
		Method:     method,
		Path:       path,
		RawQuery:   query,
		Proto:      "HTTP/1.1",
		Host:       "127.0.0.1:8787",
		RemoteAddr: fmt.Sprintf("127.0.0.1:%d", 30000+r.IntN(30000)),
		Header:     h,
		Body:       body,
		Project:    src.project,
	}
	c.ID = st.NewID(now)
	c.Response = store.Response{
		Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}, "X-Hookscope-Capture-Id": {c.ID.String()}},
		Body:   []byte(`{"ok":true,"id":"` + c.ID.String() + `"}` + "\n"),
	}
	return c
}

// jsonBody is a webhook payload of about 1 KiB: an envelope, a nested
// object with a customer and line items, and free text.
func jsonBody(r *rand.Rand, i int, event string) []byte {
	b := make([]byte, 0, 1100)
	b = fmt.Appendf(b, `{"id":"evt_%016x","type":%q,"created":%d,"livemode":false,"data":{"object":{"id":"obj_%d","status":%q,`,
		r.Uint64(), event, 1_700_000_000+i, i, pick(r, "pending", "paid", "fulfilled", "refunded", "review"))
	b = fmt.Appendf(b, `"customer":{"id":"cus_%06d","email":"user%d@example.com","name":"%s %s","address":{"city":%q,"country":%q}},`,
		r.IntN(1_000_000), r.IntN(100_000), pick(r, "Ada", "Grace", "Alan", "Linus", "Barbara", "Ken"), pick(r, "Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson"),
		pick(r, "Paris", "Lyon", "Berlin", "Lisbon", "Nairobi", "Montreal"), pick(r, "FR", "DE", "PT", "KE", "CA"))
	b = append(b, `"items":[`...)
	for k := 0; len(b) < 760; k++ {
		if k > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"sku":"SKU-%05d","qty":%d,"price":%d,"tags":[%q,%q]}`, r.IntN(100_000), 1+r.IntN(5), 100+r.IntN(90_000), pick(r, words...), pick(r, words...))
	}
	b = append(b, `],"note":"`...)
	if i%rareEvery == rareEvery/2 {
		b = append(b, "found a "+rareWord+" in the warehouse "...)
	}
	for len(b) < 1024-40 {
		b = append(b, pick(r, words...)...)
		b = append(b, ' ')
	}
	return fmt.Appendf(b, `"}},"attempt":%d}`, 1+r.IntN(3))
}

func rawSize(c *store.Capture) int64 {
	n := int64(len(c.Body))
	for name, vals := range c.Header {
		for _, v := range vals {
			n += int64(len(name) + len(v))
		}
	}
	return n
}

func dur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "fill:", err)
	os.Exit(1)
}
