package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hookscope/receiver"
	"hookscope/store"
)

// benchWindow opens a window on st whose UI callbacks queue on q, for the
// benchmark to run (and time) on its own goroutine.
func benchWindow(b *testing.B, st *store.Store) (*Window, uiQueue) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(theme.DefaultTheme())
	q := make(uiQueue, 1<<16)
	w := newWindow(a, st, receiver.New(st, receiver.Options{}), Config{Addr: "127.0.0.1:0", AddrSet: true}, q.do)
	w.win.Resize(fyne.NewSize(1200, 800))
	return w, q
}

// BenchmarkScroll100k fills a store with 100,000 captures, opens the window
// on it and scrolls the list from top to bottom, reporting the longest time
// any single UI callback took (the list's item updates and the queued
// results of background reads). Run: go test -run '^$' -bench Scroll100k ./ui/
func BenchmarkScroll100k(b *testing.B) {
	const n = 100_000
	st, err := store.Open(filepath.Join(b.TempDir(), "scale.db"), store.Options{MaxCount: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			st.Put(&store.Capture{Method: "POST", Path: fmt.Sprintf("/shop/orders/%d", i), Body: []byte(`{"id":1}`)})
		}()
	}
	wg.Wait()

	var worst time.Duration
	timed := func(f func()) {
		start := time.Now()
		f()
		worst = max(worst, time.Since(start))
	}
	w, q := benchWindow(b, st)
	defer w.bridge.stop()
	start := time.Now()
	w.list.reload()
	for w.list.list.Length() != n {
		timed(<-q)
	}
	toList := time.Since(start)
	b.ResetTimer()
	for b.Loop() {
		worst = 0
		h := w.list.rowHeight()
		for off := float32(0); off < h*n; off += h * 2000 {
			timed(func() { w.list.list.ScrollToOffset(off); w.list.list.Refresh() })
			for len(q) > 0 {
				timed(<-q)
			}
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ui-ms")
	b.ReportMetric(float64(toList.Milliseconds()), "ms-to-list")
}

// BenchmarkSustained2000PerSecond stores 2,000 captures a second for three
// seconds into an open window and reports the longest UI callback and how
// many the bridge needed (bursts are coalesced, so far fewer than captures).
// Run: go test -run '^$' -bench Sustained -benchtime 1x ./ui/
func BenchmarkSustained2000PerSecond(b *testing.B) {
	for b.Loop() {
		st, err := store.Open(filepath.Join(b.TempDir(), "live.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w, q := benchWindow(b, st)
		w.bridge.start()
		w.list.reload()

		const rate, seconds = 2000, 3
		done := make(chan struct{})
		go func() {
			defer close(done)
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			sem := make(chan struct{}, 32)
			var wg sync.WaitGroup
			for i := 0; i < rate*seconds; i += rate / 1000 {
				<-tick.C
				for j := 0; j < rate/1000; j++ {
					wg.Add(1)
					sem <- struct{}{}
					go func() {
						defer func() { <-sem; wg.Done() }()
						st.Put(&store.Capture{Method: "POST", Path: "/live", Body: []byte(`{"a":1}`)})
					}()
				}
			}
			wg.Wait()
		}()
		var worst time.Duration
		callbacks := 0
		run := func(f func()) {
			start := time.Now()
			f()
			worst = max(worst, time.Since(start))
			callbacks++
		}
	loop:
		for {
			select {
			case f := <-q:
				run(f)
			case <-done:
				break loop
			}
		}
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline) && w.list.list.Length() < rate*seconds; {
			select {
			case f := <-q:
				run(f)
			case <-time.After(10 * time.Millisecond):
			}
		}
		if n := w.list.list.Length(); n != rate*seconds {
			b.Fatalf("the list shows %d captures, want %d", n, rate*seconds)
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ui-ms")
		b.ReportMetric(float64(callbacks), "ui-callbacks")
		w.bridge.stop()
		st.Close()
	}
}

// BenchmarkSelectBodies selects captures with bodies from a few bytes to
// 5 MiB and reports the longest UI callback while each one opens: the body is
// read, decoded and highlighted in the background, and only widgets are set
// on the UI goroutine. Run: go test -run '^$' -bench SelectBodies ./ui/
func BenchmarkSelectBodies(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "bodies.db"), store.Options{MaxCount: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	jsonOf := func(n int) []byte {
		var sb strings.Builder
		sb.WriteString(`{"records":[`)
		for i := 0; sb.Len() < n; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"id":%d,"taskId":"t-%06d","status":"done","score":0.%d,"tags":["a","b"]}`, i, i, i%10)
		}
		sb.WriteString(`]}`)
		return []byte(sb.String())
	}
	binary := make([]byte, 1<<20)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	kinds := []struct {
		name, contentType string
		body              []byte
	}{
		{"json-200B", "application/json", jsonOf(200)},
		{"json-1MiB", "application/json", jsonOf(1 << 20)},
		{"json-5MiB", "application/json", jsonOf(5 << 20)},
		{"xml-64KiB", "application/xml", []byte("<a>" + strings.Repeat("<b k=\"v\">text</b>", 64<<10/18) + "</a>")},
		{"binary-1MiB", "application/octet-stream", binary},
	}
	ids := map[string]store.ID{}
	for _, k := range kinds {
		c := &store.Capture{Method: "POST", Path: "/" + k.name, Header: map[string][]string{"Content-Type": {k.contentType}}, Body: k.body}
		if err := st.Put(c); err != nil {
			b.Fatal(err)
		}
		ids[k.name] = c.ID
	}

	w, q := benchWindow(b, st)
	defer w.bridge.stop()
	w.list.reload()
	for w.list.list.Length() != len(kinds) {
		(<-q)()
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			var worst time.Duration
			timed := func(f func()) {
				start := time.Now()
				f()
				worst = max(worst, time.Since(start))
			}
			for b.Loop() {
				w.list.list.UnselectAll()
				w.detail.clear("")
				timed(func() { w.list.list.Select(w.list.rowOf(ids[k.name])) })
				// Opening is over when the detail shows the capture and
				// nothing more arrives for a while.
				for idle := false; !idle; {
					select {
					case f := <-q:
						timed(f)
					case <-time.After(300 * time.Millisecond):
						idle = w.detail.capture != nil && w.detail.capture.ID == ids[k.name]
					}
				}
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ui-ms")
		})
	}
}
