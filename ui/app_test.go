package ui

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/receiver"
	"hookscope/store"
)

// uiQueue stands in for fyne.Do: background work queues its UI half here and
// the test goroutine runs it, so tests read widgets without data races.
type uiQueue chan func()

func (q uiQueue) do(f func()) { q <- f }

// until runs queued UI work until cond holds.
func (q uiQueue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

type harness struct {
	t   *testing.T
	w   *Window
	q   uiQueue
	st  *store.Store
	srv *receiver.Server
}

// newHarness opens a window over a real store with a real receiver on a free
// port, under Fyne's headless test driver.
func newHarness(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	// The real theme: the test theme lacks the bold monospace face the
	// detail title uses.
	a.Settings().SetTheme(theme.DefaultTheme())
	st, err := store.Open(filepath.Join(t.TempDir(), "ui.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := receiver.New(st, receiver.Options{})
	q := make(uiQueue, 1<<14)
	w := newWindow(a, st, srv, "127.0.0.1:0", q.do)
	w.win.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() {
		w.bridge.stop()
		srv.Stop(context.Background())
		st.Close()
	})
	w.Start()
	h := &harness{t: t, w: w, q: q, st: st, srv: srv}
	q.until(t, "the receiver to listen", func() bool { return strings.HasPrefix(w.top.status.Text, "● Listening") })
	return h
}

func (h *harness) post(path, ctype, body string) store.ID {
	h.t.Helper()
	resp, err := http.Post(h.srv.URL()+path, ctype, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get(receiver.CaptureIDHeader))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *harness) rows() int { return h.w.list.list.Length() }

// rowText is what the list shows on a row, as a user reads it.
func (h *harness) rowText(row int) string {
	r := newCaptureRow().(*captureRow)
	h.w.list.updateRow(row, r)
	return r.method.Text + " " + r.path.Text
}

func gridText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.TextGrid:
			b.WriteString(v.Text())
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

func TestEmptyStateShowsURLAndCurl(t *testing.T) {
	h := newHarness(t)
	if !h.w.list.empty.Visible() {
		t.Fatal("empty state hidden with no captures")
	}
	if !strings.Contains(h.w.list.emptyMsg.Text, h.srv.URL()) || !strings.HasPrefix(h.w.list.curl.Text, "curl -X POST "+h.srv.URL()) {
		t.Fatalf("empty state %q / %q does not show where to send", h.w.list.emptyMsg.Text, h.w.list.curl.Text)
	}
	h.post("/first", "text/plain", "hi")
	h.q.until(t, "the first capture", func() bool { return h.rows() == 1 })
	if h.w.list.empty.Visible() {
		t.Fatal("empty state still shown after a capture")
	}
}

func TestNewCapturesAppearAndSelectingShowsTheBody(t *testing.T) {
	h := newHarness(t)
	h.post("/isahit/review", "application/json", `{"workflowId":"w1","type":"review","taskId":"t9"}`)
	h.post("/form?x=1&x=2", "application/x-www-form-urlencoded", "a=1&b=hello+world")
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	h.q.until(t, "summaries", func() bool { return !strings.HasPrefix(h.rowText(0), "…") })
	if got := h.rowText(0); got != "POST /form?x=1&x=2" {
		t.Fatalf("newest row = %q", got)
	}
	if got := h.rowText(1); got != "POST /isahit/review" {
		t.Fatalf("second row = %q", got)
	}
	if !strings.Contains(h.w.top.count.Text, "2 captures") {
		h.q.until(t, "the count", func() bool { return strings.Contains(h.w.top.count.Text, "2 captures") })
	}

	h.w.list.list.Select(1)
	d := h.w.detail
	h.q.until(t, "the pretty JSON body", func() bool { return strings.Contains(gridText(d.bodyBox), `"type": "review"`) })
	if !strings.HasPrefix(d.title.Text, "POST http://") || !strings.HasSuffix(d.title.Text, "/isahit/review") {
		t.Fatalf("title %q", d.title.Text)
	}
	// Raw mode shows the bytes as received.
	d.mode.SetSelected("Raw")
	h.q.until(t, "the raw body", func() bool {
		return strings.Contains(gridText(d.bodyBox), `{"workflowId":"w1","type":"review","taskId":"t9"}`)
	})

	// The raw request tab shows an HTTP/1.1 message.
	if raw := gridText(d.raw); !strings.HasPrefix(raw, "POST /isahit/review HTTP/1.1") || !strings.Contains(raw, "Content-Type: application/json") {
		t.Fatalf("raw tab %q", raw)
	}
}

func TestSearchNarrowsTheList(t *testing.T) {
	h := newHarness(t)
	h.post("/shop/orders", "application/json", `{"id":"ORD-1"}`)
	h.post("/shop/refunds", "application/json", `{"refund":"RF-77"}`)
	h.post("/health", "text/plain", "ok")
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })

	test.Type(h.w.top.search, "rf-77")
	h.q.until(t, "the search result", func() bool { return h.rows() == 1 })
	h.q.until(t, "its summary", func() bool { return h.rowText(0) == "POST /shop/refunds" })

	// A new capture that matches joins the result live; one that does not stays out.
	h.post("/later", "application/json", `{"refund":"rf-77 again"}`)
	h.post("/unrelated", "text/plain", "nothing")
	h.q.until(t, "the live match", func() bool { return h.rows() == 2 })
	time.Sleep(100 * time.Millisecond)
	h.q.until(t, "settling", func() bool { return len(h.q) == 0 })
	if h.rows() != 2 {
		t.Fatalf("rows = %d, want 2 (the unrelated capture must not join)", h.rows())
	}

	h.w.top.search.SetText("")
	h.q.until(t, "the full list", func() bool { return h.rows() == 5 })
}

func TestSelectionAndScrollStayWhenCapturesArrive(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < 40; i++ {
		h.post(fmt.Sprintf("/n/%d", i), "text/plain", "x")
	}
	h.q.until(t, "40 rows", func() bool { return h.rows() == 40 })
	target := h.w.list.idAt(10)
	h.w.list.list.Select(10)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == target })
	h.w.list.list.ScrollToOffset(200)
	before := h.w.list.list.GetScrollOffset()
	if before == 0 {
		t.Fatal("list did not scroll; the window is too small for the test")
	}

	h.post("/new/a", "text/plain", "x")
	h.post("/new/b", "text/plain", "x")
	h.q.until(t, "42 rows", func() bool { return h.rows() == 42 })

	if h.w.list.idAt(12) != target || h.w.list.selectedRow != 12 {
		t.Fatalf("selection at row %d, want the same capture at row 12", h.w.list.selectedRow)
	}
	if h.w.detail.capture.ID != target {
		t.Fatal("the detail switched to another capture")
	}
	want := before + 2*h.w.list.rowHeight()
	if got := h.w.list.list.GetScrollOffset(); got < want-1 || got > want+1 {
		t.Fatalf("scroll offset %v, want %v (the same rows in view)", got, want)
	}
}

func TestDeleteFromDetailRemovesTheRow(t *testing.T) {
	h := newHarness(t)
	h.post("/keep", "text/plain", "k")
	gone := h.post("/gone", "text/plain", "g")
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == gone })
	test.Tap(h.w.detail.actions.Objects[2].(*widget.Button))
	h.q.until(t, "the row to go", func() bool { return h.rows() == 1 })
	if _, err := h.st.Get(gone); err == nil {
		t.Fatal("capture still stored")
	}
	if h.rowText(0) != "POST /keep" {
		t.Fatalf("remaining row %q", h.rowText(0))
	}
}

func TestBusyPortAsksForAnotherAddress(t *testing.T) {
	h := newHarness(t)
	taken := h.srv.Addr()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme())
	st2, err := store.Open(filepath.Join(t.TempDir(), "two.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	srv2 := receiver.New(st2, receiver.Options{})
	defer srv2.Stop(context.Background())
	q := make(uiQueue, 1024)
	w2 := newWindow(a, st2, srv2, taken, q.do)
	defer w2.bridge.stop()
	w2.Start()
	q.until(t, "the address dialog", func() bool {
		overlay := w2.win.Canvas().Overlays().Top()
		return overlay != nil && strings.Contains(gridText(overlay), "already in use")
	})
	if !strings.HasPrefix(w2.top.status.Text, "○ Stopped") {
		t.Fatalf("status %q", w2.top.status.Text)
	}
}
