package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/export"
	"hookscope/receiver"
	"hookscope/receiver/receivertest"
	"hookscope/store"
)

// uiQueue stands in for fyne.Do: background work queues its UI half here and
// the test goroutine runs it, so tests read widgets without data races.
type uiQueue chan func()

func (q uiQueue) do(f func()) { q <- f }

// until runs queued UI work until cond holds. The wait only bounds a test
// that fails: it is long enough for a loaded 2-core machine running the race
// detector, where 300 fsynced captures reaching the list took up to 12 s.
func (q uiQueue) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	q.untilFor(t, what, 30*time.Second, cond)
}

// untilFor is until with a longer wait, for what is due seconds later by
// design (a coalesced notification).
func (q uiQueue) untilFor(t *testing.T, what string, wait time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.After(wait)
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
func newHarness(t *testing.T) *harness { return newHarnessWith(t, nil) }

// newHarnessWith is newHarness with setup run on the window before it
// starts (a test's stand-ins for the desktop).
func newHarnessWith(t *testing.T, setup func(*Window)) *harness {
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
	w := newWindow(a, st, srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, q.do)
	w.win.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() {
		w.bridge.stop()
		w.notes.stop()
		srv.Stop(context.Background())
		st.Close()
	})
	if setup != nil {
		setup(w)
	}
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
	r := h.w.list.newRow().(*captureRow)
	h.w.list.updateRow(row, r)
	return r.method.Text + " " + r.path.full
}

func gridText(o fyne.CanvasObject) string {
	var b strings.Builder
	eachObject(o, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *widget.TextGrid:
			b.WriteString(v.Text())
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		default:
			return true
		}
		return false
	})
	return b.String()
}

func TestEmptyStateShowsURLAndCurl(t *testing.T) {
	h := newHarness(t)
	if !h.w.list.ids.Loaded() && h.w.list.emptyMsg.Text != "Reading captures…" {
		t.Fatalf("before the store is read the list says %q", h.w.list.emptyMsg.Text)
	}
	h.q.until(t, "the store read", func() bool { return h.w.list.ids.Loaded() })
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

	test.Type(h.w.top.search, "no-such-thing")
	h.q.until(t, "no match", func() bool { return h.rows() == 0 && h.w.list.ids.Loaded() })
	if !h.w.list.empty.Visible() || h.w.list.emptyMsg.Text != "No capture matches the search." || h.w.list.copyCurl.Visible() {
		t.Fatalf("no-match state: %q, Copy curl shown %v", h.w.list.emptyMsg.Text, h.w.list.copyCurl.Visible())
	}
	h.w.top.search.SetText("")
	test.Type(h.w.top.search, "rf-77")
	h.q.until(t, "the search result", func() bool { return h.rows() == 1 })
	h.q.until(t, "its summary", func() bool { return h.rowText(0) == "POST /shop/refunds" })
	h.q.until(t, "the count of the result among all", func() bool { return h.w.top.count.Text == "1 of 3 captures" })

	// A new capture that matches joins the result live; one that does not stays out.
	h.post("/later", "application/json", `{"refund":"rf-77 again"}`)
	h.post("/unrelated", "text/plain", "nothing")
	h.q.until(t, "the live match", func() bool { return h.rows() == 2 })
	time.Sleep(100 * time.Millisecond)
	h.q.until(t, "settling", func() bool { return len(h.q) == 0 })
	if h.rows() != 2 {
		t.Fatalf("rows = %d, want 2 (the unrelated capture must not join)", h.rows())
	}

	h.q.until(t, "the live count", func() bool { return h.w.top.count.Text == "2 of 5 captures" })

	h.w.top.search.SetText("")
	h.q.until(t, "the full list", func() bool { return h.rows() == 5 })
	h.q.until(t, "the plain count", func() bool { return h.w.top.count.Text == "5 captures" })
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 1000000: "1,000,000", -4200: "-4,200"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
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
	gone := h.deleteFromDetail(t)
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
	w2 := newWindow(a, st2, srv2, Config{Addr: taken, AddrSet: true}, q.do)
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

func buttonNamed(t *testing.T, c *fyne.Container, text string) *widget.Button {
	t.Helper()
	for _, o := range c.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func TestSidebarCountsAndFiltersByProject(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutProject(store.Project{Slug: "shop", Name: "Shop"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	h.post("/shop/orders", "application/json", `{}`)
	h.post("/elsewhere", "text/plain", "x")
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	want := map[int]string{0: "All 2", 1: "Unsorted 1", 2: "Shop 1"}
	for row, text := range want {
		label, _, n := h.w.side.entry(row)
		if got := fmt.Sprintf("%s %d", label, n); got != text {
			t.Errorf("sidebar row %d = %q, want %q", row, got, text)
		}
	}
	h.w.side.list.Select(2)
	h.q.until(t, "the project's captures", func() bool { return h.rows() == 1 })
	h.q.until(t, "its summary", func() bool { return h.rowText(0) == "POST /shop/orders" })
	h.w.side.list.Select(1)
	h.q.until(t, "the unsorted captures", func() bool { return h.rows() == 1 && h.rowText(0) == "POST /elsewhere" })
}

func TestSignatureTabExplainsAFailure(t *testing.T) {
	h := newHarness(t)
	if err := h.st.PutProject(store.Project{Slug: "gh", Name: "GitHub app", Secret: "It's a Secret to Everybody", Scheme: "github"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project", func() bool { return h.w.side.list.Length() == 3 })
	time.Sleep(50 * time.Millisecond) // the receiver's project cache reloads on the same event
	body := `Hello, World!`
	req, _ := http.NewRequest("POST", h.srv.URL()+"/gh/push", strings.NewReader(body))
	// The right HMAC, but base64 instead of GitHub's hex.
	req.Header.Set("X-Hub-Signature-256", "sha256=dXEH6g6yUJ/CESIczphLijdXC211hsIsRvQ3nIsEPhc=")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil })
	text := gridText(h.w.detail.sig)
	if !strings.Contains(text, "Invalid signature (GitHub") || !strings.Contains(strings.ToLower(text), "base64") {
		t.Fatalf("signature tab:\n%s", text)
	}
	if h.w.detail.capture.Signature.Status != "invalid" {
		t.Fatalf("status %q", h.w.detail.capture.Signature.Status)
	}
	h.q.until(t, "the list icon", func() bool {
		r := h.w.list.newRow().(*captureRow)
		h.w.list.updateRow(0, r)
		return sameIcon(r.sig.Resource, signatureIcon("invalid"))
	})
}

func TestKeyboardMovesSelectionAndDeletes(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/a", "/b", "/c"} {
		h.post(p, "text/plain", p)
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	key := func(k fyne.KeyName) { h.w.onKey(&fyne.KeyEvent{Name: k}) }
	key(fyne.KeyDown) // nothing selected yet: the newest
	h.q.until(t, "the newest capture", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.Path == "/c" })
	key(fyne.KeyDown)
	h.q.until(t, "the next capture", func() bool { return h.w.detail.capture.Path == "/b" })
	key(fyne.KeyUp)
	h.q.until(t, "back up", func() bool { return h.w.detail.capture.Path == "/c" })
	// A tapped list has the keyboard focus: its keys act the same.
	h.w.list.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	h.q.until(t, "down from the focused list", func() bool { return h.w.detail.capture.Path == "/b" })
	h.w.list.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	h.q.until(t, "up from the focused list", func() bool { return h.w.detail.capture.Path == "/c" })
	key(fyne.KeyDelete)
	h.q.until(t, "the deletion", func() bool { return h.rows() == 2 })
	if h.rowText(0) != "POST /b" {
		t.Fatalf("after delete the newest row is %q", h.rowText(0))
	}
	// The next capture takes the deleted one's place, shown and deletable.
	h.q.until(t, "the next capture shown", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.Path == "/b" })
	key(fyne.KeyDelete)
	h.q.until(t, "the second deletion", func() bool { return h.rows() == 1 && h.rowText(0) == "POST /a" })
}

func TestSettingsMoveTheReceiverAndPersist(t *testing.T) {
	h := newHarness(t)
	f := h.w.newSettingsForm()
	f.addr.SetText("127.0.0.1:99999")
	if f.form.Validate() == nil {
		t.Fatal("a port above 65535 passed validation")
	}
	next := receivertest.FreeAddr(t)
	f.addr.SetText(next)
	f.count.SetText("500")
	f.hours.SetText("24")
	f.maxBody.SetText("2")
	h.w.saveSettings(f)
	h.q.until(t, "the receiver on the new address", func() bool { return h.srv.Addr() == next && strings.Contains(h.w.top.url.Text, next) })
	// The retention is applied once a background count says it deletes
	// nothing, which may come after the receiver moved.
	h.q.until(t, "the new retention", func() bool { n, age := h.st.Retention(); return n == 500 && age == 24*time.Hour })
	if h.srv.MaxBody() != 2<<20 {
		t.Fatalf("max body %d", h.srv.MaxBody())
	}
	p := h.w.app.Preferences()
	if p.String(prefAddr) != next || p.Int(prefRetentionCount) != 500 || p.Int(prefMaxBody) != 2<<20 {
		t.Fatalf("not persisted: %q %d %d", p.String(prefAddr), p.Int(prefRetentionCount), p.Int(prefMaxBody))
	}
	resp, err := http.Post("http://"+next+"/moved", "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("capture on the new address: %v", err)
	}
	resp.Body.Close()
}

// The signature tab paints signature.Compare's lines (their breaking and
// alignment are tested there): labels, and the differing characters marked.
func TestDiffRowsAlignAndMarkDifferences(t *testing.T) {
	rows := diffRows("t=17,v1=abcd", "v1=abXd", 64)
	if len(rows) != 2 {
		t.Fatalf("rows = %d", len(rows))
	}
	text := func(r widget.TextGridRow) (s string, marked string) {
		for _, c := range r.Cells {
			s += string(c.Rune)
			if c.Style != nil {
				marked += string(c.Rune)
			}
		}
		return
	}
	recv, recvMarked := text(rows[0])
	comp, compMarked := text(rows[1])
	if recv != "Received  t=17,v1=abcd" || comp != "Computed       v1=abXd" {
		t.Fatalf("rows:\n%q\n%q", recv, comp)
	}
	if recvMarked != "c" || compMarked != "X" {
		t.Fatalf("marked %q / %q", recvMarked, compMarked)
	}
}

func TestDetailShowsWhatTheForwardGot(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }))
	defer target.Close()
	h := newHarness(t)
	err := h.st.PutProject(store.Project{Slug: "fwd", Name: "Fwd", Forward: true, Webhooks: []store.Webhook{
		{Action: "ingested", URL: target.URL, Enabled: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project", func() bool { return h.w.side.list.Length() == 3 })
	time.Sleep(50 * time.Millisecond) // the receiver's project cache reloads on the same event
	id := h.post("/fwd/ingested", "application/json", `{"docs":[]}`)
	deadline := time.Now().Add(3 * time.Second)
	for {
		if as, _ := h.st.CaptureDeliveries(id); len(as) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no forward recorded")
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the forward outcome", func() bool {
		return h.w.detail.forwarded.Visible() && strings.HasPrefix(h.w.detail.forwarded.Text, "Forwarded to ingested → 201 Created")
	})
}

func TestRetentionDropsTheOldestRowsLive(t *testing.T) {
	h := newHarness(t)
	h.st.SetRetention(3, 0)
	for i := 0; i < 6; i++ {
		h.post(fmt.Sprintf("/r/%d", i), "text/plain", "x")
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	h.q.until(t, "the newest three", func() bool {
		return h.rowText(0) == "POST /r/5" && h.rowText(2) == "POST /r/3"
	})
}

// The store prunes as soon as it opens, so the saved retention must be in
// its options, not applied later: with "keep all" saved, captures over the
// default cap would otherwise be deleted at every start.
func TestStoreOptionsFollowSavedRetention(t *testing.T) {
	a := test.NewTempApp(t)
	if o := StoreOptions(a); o.MaxCount != store.DefaultMaxCount || o.MaxAge != 0 {
		t.Fatalf("nothing saved: got %+v, want the store's default cap and no age limit", o)
	}
	a.Preferences().SetInt(prefRetentionCount, -1)
	a.Preferences().SetFloat(prefRetentionHours, 1.5)
	o := StoreOptions(a)
	if o.MaxCount != -1 || o.MaxAge != 90*time.Minute {
		t.Fatalf("saved keep-all and 1.5 h: got %+v", o)
	}

	// A capture older than the default age passes through an open with the
	// saved options only when they keep it.
	path := filepath.Join(t.TempDir(), "kept.db")
	st, err := store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		t.Fatal(err)
	}
	old := &store.Capture{ReceivedAt: time.Now().Add(-time.Hour), Method: "POST", Path: "/old"}
	if err := st.Put(old); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = store.Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Prune(); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Count(); n != 1 {
		t.Fatalf("the store opened with saved settings (keep 1.5 h) pruned a 1 h old capture: count %d", n)
	}
}

// The Capture and File menus show the keyboard shortcuts, and the keys do
// what the menu items do.
func TestMenusShowTheShortcutsTheKeysRun(t *testing.T) {
	h := newHarness(t)
	want := map[string]string{
		"Search captures":  "CustomDesktop:Control+F",
		"Replay":           "CustomDesktop:Control+R",
		"Edit and replay…": "CustomDesktop:Shift+Control+R",
		"Copy as curl":     "CustomDesktop:Shift+Control+C",
		"Settings…":        "CustomDesktop:Control+,",
	}
	for _, m := range h.w.mainMenu().Items {
		for _, it := range m.Items {
			if w, ok := want[it.Label]; ok {
				if it.Shortcut == nil || it.Shortcut.ShortcutName() != w {
					t.Errorf("menu item %q shortcut = %v, want %s", it.Label, it.Shortcut, w)
				}
				delete(want, it.Label)
			}
			if it.Label == "Copy body" && it.Shortcut != nil {
				t.Errorf("Copy body claims %s: it would take Ctrl+C from the search field", it.Shortcut.ShortcutName())
			}
		}
	}
	for label := range want {
		t.Errorf("no menu item %q", label)
	}

	c := h.w.win.Canvas()
	c.(fyne.Shortcutable).TypedShortcut(keySearch)
	if c.Focused() != h.w.top.search {
		t.Fatalf("Ctrl+F focused %T, want the search field", c.Focused())
	}
}

// A store with more captures than the first page shows the newest ones, then
// all of them, and the sidebar counts only once it has counted.
func TestLargeStoreListsNewestFirstThenAll(t *testing.T) {
	h := newHarness(t)
	for i := 0; i < firstPage+50; i++ {
		if err := h.st.Put(&store.Capture{Method: "POST", Path: fmt.Sprintf("/n/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h.w.list.reload()
	h.q.until(t, "every capture listed", func() bool { return h.rows() == firstPage+50 && h.w.list.ids.Loaded() })
	h.q.until(t, "the newest on top", func() bool { return h.rowText(0) == fmt.Sprintf("POST /n/%d", firstPage+49) })
	h.q.until(t, "the sidebar count", func() bool { return h.w.side.counted && h.w.side.total == firstPage+50 })
}

func TestImportMessageSaysWhatWasSkipped(t *testing.T) {
	for _, tc := range []struct {
		r    export.ImportResult
		want string
	}{
		{export.ImportResult{Stored: 3}, "Imported 3 captures from a.har"},
		{export.ImportResult{Stored: 1}, "Imported 1 capture from a.har"},
		{export.ImportResult{Stored: 0, Duplicates: 5}, "Imported 0 captures from a.har (5 were already here and were skipped)"},
		{export.ImportResult{Stored: 2, Duplicates: 1}, "Imported 2 captures from a.har (1 was already here and was skipped)"},
	} {
		if got := importMessage(tc.r, "a.har"); got != tc.want {
			t.Errorf("importMessage(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

// "Last 5 minutes" moves with the clock: captures that fall out of the range
// leave the list (and the selection) without a reload.
func TestTimeFilterMovesWithTheClock(t *testing.T) {
	h := newHarness(t)
	between := h.postApart(t, "/older", "/newer")
	h.w.top.since.SetSelected("Last 5 minutes")
	h.q.until(t, "the filtered list", func() bool { return h.w.list.ids.Loaded() && h.rows() == 2 && h.w.top.count.Text == "2 of 2 captures" })
	h.w.list.list.Select(1) // /older
	h.q.until(t, "the older capture shown", func() bool { return h.w.list.selected != 0 })

	h.w.list.narrowSince(between) // as the clock passing the older capture's time would
	if h.rows() != 1 || h.rowText(0) != "POST /newer" {
		t.Fatalf("after the range moved: %d rows, first %q", h.rows(), h.rowText(0))
	}
	if h.w.list.selected != 0 || h.w.detail.capture != nil {
		t.Fatal("the capture that left the range is still selected or shown")
	}
	if h.w.top.count.Text != "1 of 2 captures" {
		t.Fatalf("count %q", h.w.top.count.Text)
	}
}

func TestTruncatedNoteSaysTheSizeTheSenderGave(t *testing.T) {
	c := &store.Capture{Truncated: true, Body: make([]byte, 10<<20), Header: http.Header{"Content-Length": {"11000000"}}}
	if got := truncatedNote(c); !strings.Contains(got, "11,000,000 B by its Content-Length") || !strings.Contains(got, "first 10.0 MiB were stored") || !strings.Contains(got, "413") {
		t.Fatalf("note %q", got)
	}
	c.Header = nil // chunked: no declared size
	if got := truncatedNote(c); !strings.Contains(got, "larger than the receiver's limit") {
		t.Fatalf("note without Content-Length %q", got)
	}
}

// A capture imported from a HAR lists at its receive time among those that
// arrived, not on top as the newest.
func TestImportedCapturesListAtTheirTime(t *testing.T) {
	h := newHarness(t)
	between := h.postApart(t, "/first", "/third")
	if _, err := export.Import(h.st, []*store.Capture{{ReceivedAt: between, Method: "POST", Path: "/second", Body: []byte("2")}}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the import listed", func() bool { return h.rows() == 3 })
	h.q.until(t, "the rows in time order", func() bool {
		return h.rowText(0) == "POST /third" && h.rowText(1) == "POST /second" && h.rowText(2) == "POST /first"
	})
}

// Captures arriving while the sidebar recounts are counted once, whichever
// lands first: the count or their events.
func TestSidebarCountsCapturesArrivingDuringARecountOnce(t *testing.T) {
	h := newHarness(t)
	h.q.until(t, "the first count", func() bool { return h.w.side.counted })
	for i := 0; i < 8; i++ {
		// Alternate: the capture before the recount starts (its event may
		// land after the count that read it) and after.
		if i%2 == 0 {
			h.post(fmt.Sprintf("/during/%d", i), "text/plain", "x")
			h.w.side.reload()
		} else {
			h.w.side.reload()
			h.post(fmt.Sprintf("/during/%d", i), "text/plain", "x")
		}
		want := i + 1
		h.q.until(t, "the list", func() bool { return h.rows() == want })
		time.Sleep(50 * time.Millisecond) // let the recount and the events both land
		h.q.until(t, "settled", func() bool { return len(h.q) == 0 })
		if h.w.side.total != want || h.w.side.counts[""] != want {
			t.Fatalf("after %d captures the sidebar counts %d (Unsorted %d)", want, h.w.side.total, h.w.side.counts[""])
		}
	}
}

// Picking a row after searching hands the keyboard to the list: Down then
// moves the selection instead of the search field's cursor.
func TestPickingARowTakesTheKeyboardFromTheSearch(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/a", "/b", "/c"} {
		h.post(p, "text/plain", p)
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	c := h.w.win.Canvas()
	c.Focus(h.w.top.search)
	h.w.list.list.Select(1) // as a click on the row does
	if c.Focused() != h.w.list.list {
		t.Fatalf("the keyboard stayed with %T", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	h.q.until(t, "the next row selected", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.Path == "/a" })
}

// A capture retention removes leaves the detail, so Replay cannot send it.
func TestPrunedCaptureLeavesTheDetail(t *testing.T) {
	h := newHarness(t)
	h.st.SetRetention(2, 0)
	h.post("/old", "text/plain", "1")
	h.post("/mid", "text/plain", "2")
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	h.w.list.list.Select(1) // /old
	h.q.until(t, "the old capture shown", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.Path == "/old" })
	h.post("/new", "text/plain", "3")
	h.q.until(t, "the old one pruned from the list", func() bool { return h.rows() == 2 && h.rowText(1) == "POST /mid" })
	h.q.until(t, "the detail emptied", func() bool { return h.w.detail.capture == nil })
}

// The generic HMAC's verification code is written for the project's header,
// algorithm, encoding and prefix.
func TestVerificationCodeFollowsTheProjectsHMACSettings(t *testing.T) {
	h := newHarness(t)
	p := store.Project{Slug: "custom", Secret: "s", Scheme: "hmac",
		Signature: store.SignatureOptions{Header: "X-My-Sig", Algorithm: "sha512", Encoding: "base64", Prefix: "v1="}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	c := &store.Capture{Method: "POST", Path: "/custom/x", Project: "custom", Signature: store.Signature{Scheme: "hmac", Status: "invalid"}}
	view := h.w.signatureView(c, func() {})
	test.Tap(findButton(t, view, "Copy Go verification code"))
	h.q.until(t, "the code copied", func() bool { return strings.Contains(h.w.app.Clipboard().Content(), "func verify(") })
	code := h.w.app.Clipboard().Content()
	for _, want := range []string{`"X-My-Sig"`, `"v1="`, "sha512.New", "base64.StdEncoding.DecodeString"} {
		if !strings.Contains(code, want) {
			t.Errorf("the code lacks %s:\n%s", want, code)
		}
	}
}

// Retention that would delete captures now asks first.
func TestStricterRetentionAsksFirst(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/1", "/2", "/3"} {
		h.post(p, "text/plain", "x")
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	before, _ := h.st.Retention()
	f := h.w.newSettingsForm()
	f.count.SetText("1")
	h.w.saveSettings(f)
	h.q.until(t, "the question", func() bool {
		top := h.w.win.Canvas().Overlays().Top()
		return top != nil && strings.Contains(gridText(top), "deletes about 2 of the stored captures")
	})
	if n, _ := h.st.Retention(); n != before {
		t.Fatalf("retention changed to %d before the user answered", n)
	}
	test.Tap(findButton(t, h.w.win.Canvas().Overlays().Top(), "Delete them"))
	if n, _ := h.st.Retention(); n != 1 || h.w.app.Preferences().Int(prefRetentionCount) != 1 {
		t.Fatalf("retention after confirming: %d (saved %d)", n, h.w.app.Preferences().Int(prefRetentionCount))
	}
	h.q.until(t, "the pruned list", func() bool { return h.rows() == 1 })
}
