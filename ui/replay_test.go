package ui

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"hookscope/delivery"
	"hookscope/receiver/receivertest"
	"hookscope/store"
)

// replayTarget is a local server replays are sent to; answer decides what
// it says to the n-th request (from 0).
type replayTarget struct {
	*httptest.Server
	mu     sync.Mutex
	paths  []string
	bodies []string
	header []http.Header
}

func newReplayTarget(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *replayTarget {
	tg := &replayTarget{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		n := len(tg.paths)
		tg.paths = append(tg.paths, r.Method+" "+r.URL.RequestURI())
		tg.bodies = append(tg.bodies, string(b))
		tg.header = append(tg.header, r.Header.Clone())
		tg.mu.Unlock()
		answer(n, w, r)
	}))
	t.Cleanup(tg.Close)
	return tg
}

func (tg *replayTarget) count() int {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return len(tg.paths)
}

func (tg *replayTarget) got(n int) (string, string, http.Header) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.paths[n], tg.bodies[n], tg.header[n]
}

func jsonAnswer(status int, body string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// capture posts a request to the receiver and reads it back from the store.
func (h *harness) capture(path string, header http.Header, body string) *store.Capture {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL()+path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get("X-Hookscope-Capture-Id"))
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := h.st.Get(id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func TestReplayDialogSendsTheEditedRequestAndShowsTheAnswer(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(202, `{"ok":true}`))
	h := newHarness(t)
	c := h.capture("/src?x=1", http.Header{"Content-Type": {"application/json"}, "X-Drop-Me": {"1"}}, `{"n":1}`)

	d := h.w.newReplayDialog(c, nil)
	d.show()
	if !d.resign.Disabled() || d.resign.Checked {
		t.Error("re-sign offered for a capture without a project secret")
	}
	if d.body.Text != "{\n  \"n\": 1\n}" || d.method.Selected != "POST" || d.append.Selected != replayAppendQuery {
		t.Fatalf("dialog prefilled with %s %q, append %q", d.method.Selected, d.body.Text, d.append.Selected)
	}
	d.url.SetText(tg.URL + "/in")
	d.method.SetSelected("PUT")

	// JSON is checked as it is typed.
	test.Type(d.body, ` x`)
	if !strings.HasPrefix(d.jsonState.Text, "Invalid JSON: line 1, column") {
		t.Fatalf("JSON state after a bad edit: %q", d.jsonState.Text)
	}
	d.body.SetText("{\n  \"n\": 2,\n}")
	if want := "Invalid JSON: line 3, column 1"; !strings.HasPrefix(d.jsonState.Text, want) {
		t.Fatalf("JSON state %q, want %q…", d.jsonState.Text, want)
	}
	d.body.SetText("{\n  \"n\": 2\n}")
	if d.jsonState.Text != "Valid JSON" {
		t.Fatalf("JSON state %q", d.jsonState.Text)
	}

	// Edit the headers: one removed, one added.
	for _, r := range d.headers.rows {
		if r.name.Text == "X-Drop-Me" {
			d.headers.removeRow(r)
			break
		}
	}
	r := d.headers.add(store.HeaderField{})
	r.name.SetText("X-Added")
	r.value.SetText("yes")

	test.Tap(d.send)
	h.q.until(t, "the answer's status", func() bool { return strings.Contains(visibleText(d.response), "202 Accepted") })
	h.q.until(t, "the answer's body", func() bool { return strings.Contains(gridText(d.response), `"ok": true`) })

	if tg.count() != 1 {
		t.Fatalf("%d requests reached the target", tg.count())
	}
	line, body, header := tg.got(0)
	if line != "PUT /in?x=1" || body != "{\n  \"n\": 2\n}" {
		t.Fatalf("target got %s %q", line, body)
	}
	if header.Get("X-Added") != "yes" || header.Get("X-Drop-Me") != "" || header.Get("Content-Type") != "application/json" {
		t.Fatalf("target got headers %v", header)
	}
	as, err := delivery.Replays(h.st, c)
	if err != nil || len(as) != 1 {
		t.Fatalf("stored attempts %d (%v)", len(as), err)
	}
	if as[0].StatusCode != 202 || string(as[0].Request.Body) != "{\n  \"n\": 2\n}" || as[0].Request.Method != "PUT" {
		t.Fatalf("stored attempt %d %s %q", as[0].StatusCode, as[0].Request.Method, as[0].Request.Body)
	}
	if got := h.w.recentTargets(); len(got) == 0 || got[0] != tg.URL+"/in" {
		t.Fatalf("recent targets %v", got)
	}

	// An unreachable target shows the error, and is kept too.
	d.url.SetText("http://" + receivertest.FreeAddr(t) + "/")
	test.Tap(d.send)
	h.q.until(t, "the error", func() bool { return strings.Contains(visibleText(d.response), "connection refused") })
	if as, _ := delivery.Replays(h.st, c); len(as) != 2 {
		t.Fatalf("%d attempts stored after a refused one", len(as))
	}
	// A URL that is not one is refused before anything is sent.
	d.url.SetText("localhost:8000/webhook")
	test.Tap(d.send)
	if !strings.Contains(d.status.Text, "http://") {
		t.Fatalf("status for a bad URL: %q", d.status.Text)
	}
}

func TestReplayDialogSendsAnUneditedBodyByteExact(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	raw := "line one\r\nline two\r\n\ttabbed  "
	c := h.capture("/crlf", http.Header{"Content-Type": {"text/plain"}}, raw)
	d := h.w.newReplayDialog(c, nil)
	d.url.SetText(tg.URL)
	test.Tap(d.send)
	h.q.until(t, "the answer", func() bool { return strings.Contains(visibleText(d.response), "200 OK") })
	if _, body, _ := tg.got(0); body != raw {
		t.Fatalf("body arrived as %q, want %q", body, raw)
	}
}

func TestReplaysTabListsAttemptsAndComparesTwo(t *testing.T) {
	tg := newReplayTarget(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n == 0 {
			w.WriteHeader(500)
		}
		fmt.Fprintf(w, `{"same":"x","v":%d}`, n+1)
	})
	h := newHarness(t)
	c := h.capture("/x", http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
	dc := h.srv.Delivery()
	first, err := dc.Replay(t.Context(), c, nil, delivery.ReplayOptions{URL: tg.URL})
	if err != nil {
		t.Fatal(err)
	}
	second, err := dc.Replay(t.Context(), c, nil, delivery.ReplayOptions{URL: tg.URL, Body: []byte(`{"a":2}`)})
	if err != nil {
		t.Fatal(err)
	}

	h.w.replaysView(c)
	p := h.w.replaysPane
	h.q.until(t, "two attempts", func() bool { return len(p.attempts) == 2 })
	if p.attempts[0].ID != second.ID || p.attempts[1].ID != first.ID {
		t.Fatal("attempts not newest first")
	}
	if row := p.rowText(p.attempts[0]); !strings.Contains(row, "replay, edited, as captured → 200 OK") {
		t.Errorf("newest row %q", row)
	}
	if row := p.rowText(p.attempts[1]); !strings.Contains(row, "replay, as captured → 500 Internal Server Error") {
		t.Errorf("oldest row %q", row)
	}

	p.list.Select(1)
	h.q.until(t, "the first attempt's answer", func() bool { return strings.Contains(gridText(p.detail), `"v": 1`) })
	tabs := firstOf[*container.AppTabs](p.detail)
	if tabs == nil {
		t.Fatal("no tabs in the attempt's view")
	}
	tabs.SelectIndex(2)
	if got := gridText(p.detail); !strings.Contains(got, `{"a":1}`) || !strings.Contains(got, "POST "+tg.URL) {
		t.Errorf("the request sent is not shown:\n%s", got)
	}

	if !p.compare.Disabled() {
		t.Fatal("Compare enabled with nothing ticked")
	}
	p.pick(first.ID, true)
	p.pick(second.ID, true)
	if p.compare.Disabled() {
		t.Fatal("Compare disabled with two ticked")
	}
	test.Tap(p.compare)
	answers := h.openCompare()[0]
	if got := containerRows(answers.request); !slices.Contains(got, "changed | status | 500 | 200") {
		t.Errorf("the answers' status rows %q", got)
	}
	// "same" is alike in both answers: only v is listed.
	if got := bodyRows(answers); !slices.Equal(got, []string{"changed | v | 1 | 2"}) {
		t.Errorf("the answers' body changes %q", got)
	}

	// A replay sent from the window refreshes the tab.
	done := false
	h.w.sendReplay(c, nil, delivery.ReplayOptions{URL: tg.URL}, func(store.Attempt, error) { done = true })
	h.q.until(t, "the third attempt", func() bool { return done && len(p.attempts) == 3 })
}

func TestReplayCaptureChoosesItsTarget(t *testing.T) {
	hook := newReplayTarget(t, jsonAnswer(201, `{}`))
	last := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	err := h.st.PutProject(store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_shop", Scheme: "stripe", Webhooks: []store.Webhook{
		{Action: "orders", URL: hook.URL + "/orders", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer app"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project", func() bool { return h.w.side.list.Length() == 3 })
	time.Sleep(50 * time.Millisecond) // the receiver's project cache reloads on the same event

	// No project webhook and no recent target: ask.
	loose := h.capture("/loose", nil, "x")
	h.w.replayCapture(loose)
	h.q.until(t, "the replay dialog", func() bool {
		top := h.w.win.Canvas().Overlays().Top()
		return top != nil && strings.Contains(gridText(top), "Not sent yet.")
	})
	h.w.win.Canvas().Overlays().Top().Hide()
	h.w.win.Canvas().Overlays().Remove(h.w.win.Canvas().Overlays().Top())

	// A recent target: straight there.
	h.w.rememberTarget(last.URL+"/last", replayAppendQuery)
	h.w.replayCapture(loose)
	h.q.until(t, "the replay to the last target", func() bool {
		return strings.Contains(h.w.top.message.Text, "Replayed to "+last.URL+"/last, as captured → 200 OK")
	})
	// ...appending what the last replay there appended: the path, here.
	h.w.rememberTarget(last.URL+"/last", replayAppendPath)
	h.w.top.message.SetText("")
	h.w.replayCapture(loose)
	h.q.until(t, "the second replay to the last target", func() bool {
		return strings.Contains(h.w.top.message.Text, "→ 200 OK")
	})
	if line, _, _ := last.got(1); line != "POST /last/loose" {
		t.Fatalf("with the path appended last time, the quick replay went to %q", line)
	}

	// The project's webhook for the capture's action wins, with its
	// headers, the signature as captured.
	orders := h.capture("/shop/orders?id=7", http.Header{"Stripe-Signature": {"t=1,v1=00"}}, `{"id":7}`)
	if orders.Project != "shop" {
		t.Fatalf("capture in project %q", orders.Project)
	}
	h.w.replayCapture(orders)
	h.q.until(t, "the replay to the webhook", func() bool {
		return strings.Contains(h.w.top.message.Text, "Replayed to webhook orders, as captured → 201 Created")
	})
	line, _, header := hook.got(0)
	if line != "POST /orders?id=7" || header.Get("Authorization") != "Bearer app" || header.Get("Stripe-Signature") != "t=1,v1=00" {
		t.Fatalf("webhook got %s %v", line, header)
	}
}

func TestBulkReplayKeepsOrderAndSummarises(t *testing.T) {
	tg := newReplayTarget(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "fail") {
			w.WriteHeader(500)
		}
	})
	h := newHarness(t)
	var ids []store.ID
	for _, p := range []string{"/one", "/fail", "/three"} {
		ids = append(ids, h.capture(p, nil, p).ID)
	}
	b := h.w.newBulkReplay([]store.ID{ids[2], ids[0], ids[1]})
	b.show()
	b.url.SetText(tg.URL)
	b.append.SetSelected(replayAppendPath)
	test.Tap(b.start)
	h.q.until(t, "the summary", func() bool { return b.summary != nil })
	if b.status.Text != "2 succeeded, 1 failed." {
		t.Fatalf("status %q", b.status.Text)
	}
	if b.bar.Value != 3 {
		t.Errorf("progress %v", b.bar.Value)
	}
	for i, want := range []string{"POST /one", "POST /fail", "POST /three"} {
		if line, _, _ := tg.got(i); line != want {
			t.Errorf("request %d: %s, want %s (oldest first)", i, line, want)
		}
	}
	if failures := gridText(b.result); !strings.Contains(failures, ids[1].String()+"  500 Internal Server Error") {
		t.Errorf("failures:\n%s", failures)
	}
	if b.cancel.Text != "Close" {
		t.Errorf("cancel button %q after the end", b.cancel.Text)
	}
}

func TestBulkReplayCancels(t *testing.T) {
	release := make(chan struct{})
	tg := newReplayTarget(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	h := newHarness(t)
	var ids []store.ID
	for i := range 4 {
		ids = append(ids, h.capture(fmt.Sprintf("/n/%d", i), nil, "x").ID)
	}
	b := h.w.newBulkReplay(ids)
	b.url.SetText(tg.URL)
	test.Tap(b.start)
	deadline := time.Now().Add(5 * time.Second)
	for tg.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("nothing sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
	test.Tap(b.cancel)
	h.q.until(t, "the summary", func() bool { return b.summary != nil })
	if !b.summary.Canceled || !strings.HasPrefix(b.status.Text, "Canceled after 1 of 4") {
		t.Fatalf("summary %+v, status %q", b.summary, b.status.Text)
	}
	if n := tg.count(); n != 1 {
		t.Fatalf("%d requests sent after cancel", n)
	}
}

func TestReplayJSONProblem(t *testing.T) {
	tests := map[string]string{
		`{"a": 1}`:          "",
		"{\n  \"a\": 1,\n}": "line 3, column 1: invalid character '}' looking for beginning of object key string",
		`{"a": tru}`:        "line 1, column 10: invalid character '}' in literal true (expecting 'e')",
		"[1,\n 2":           "line 2, column 3: unexpected end of JSON input",
	}
	for in, want := range tests {
		if got := replayJSONProblem(in); got != want {
			t.Errorf("replayJSONProblem(%q) = %q, want %q", in, got, want)
		}
	}
}
