package ui

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hookscope/receiver"
	"hookscope/store"
)

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

	a := test.NewTempApp(b)
	a.Settings().SetTheme(theme.DefaultTheme())
	q := make(uiQueue, 1<<16)
	var worst time.Duration
	timed := func(f func()) {
		start := time.Now()
		f()
		worst = max(worst, time.Since(start))
	}
	srv := receiver.New(st, receiver.Options{})
	w := newWindow(a, st, srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, q.do)
	w.win.Resize(fyne.NewSize(1200, 800))
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
		a := test.NewTempApp(b)
		a.Settings().SetTheme(theme.DefaultTheme())
		q := make(uiQueue, 1<<16)
		srv := receiver.New(st, receiver.Options{})
		w := newWindow(a, st, srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, q.do)
		w.win.Resize(fyne.NewSize(1200, 800))
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
