package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hookscope/delivery"
	"hookscope/signature"
	"hookscope/store"
)

// headerValues are the values the dialog's header rows hold for name.
func (d *replayDialog) headerValues(name string) []string {
	return d.headers.header().Values(name)
}

// After a re-signed send the header rows hold the signature that went, so
// what the dialog shows is what the target got.
func TestReplayDialogShowsTheSignatureItSent(t *testing.T) {
	const secret = "whsec_shop"
	tg := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	p := store.Project{Slug: "shop", Name: "Shop", Secret: secret, Scheme: signature.SchemeStripe}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	stale := "t=1700000000,v1=00"
	c := h.capture("/shop/orders", http.Header{"Stripe-Signature": {stale}, "Content-Type": {"application/json"}}, `{"id":"evt_1"}`)

	d := h.w.newReplayDialog(c, &p)
	d.show()
	d.url.SetText(tg.URL)
	d.resign.SetChecked(true)
	test.Tap(d.send)
	h.q.until(t, "the answer", func() bool { return d.last != nil })

	_, _, sent := tg.got(0)
	if sent.Get("Stripe-Signature") == stale {
		t.Fatal("the replay was not re-signed; the test proves nothing")
	}
	if got := d.headerValues("Stripe-Signature"); len(got) != 1 || got[0] != sent.Get("Stripe-Signature") {
		t.Fatalf("the header rows show Stripe-Signature %q; the target got %q", got, sent.Get("Stripe-Signature"))
	}
	// Sent again without re-signing, what the rows show is what goes.
	d.resign.SetChecked(false)
	test.Tap(d.send)
	h.q.until(t, "the second answer", func() bool { return tg.count() == 2 && !d.send.Disabled() })
	if _, _, again := tg.got(1); again.Get("Stripe-Signature") != sent.Get("Stripe-Signature") {
		t.Fatalf("sent as shown: %q, the rows said %q", again.Get("Stripe-Signature"), sent.Get("Stripe-Signature"))
	}
}

// A JSON body is shown pretty-printed, Raw shows it as captured, and a body
// nobody edited goes byte for byte as captured whichever is shown.
func TestReplayDialogPrettyPrintsJSONAndSendsItUntouched(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	raw := `{"id":7,"tags":["a","b"],"price":1.50,"note":"\u00e9<>"}`
	c := h.capture("/orders", http.Header{"Content-Type": {"application/json"}}, raw)

	d := h.w.newReplayDialog(c, nil)
	d.show()
	d.url.SetText(tg.URL)
	pretty := "{\n  \"id\": 7,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ],\n  \"price\": 1.50,\n  \"note\": \"\\u00e9<>\"\n}"
	if d.bodyMode.Selected != replayBodyPretty || d.body.Text != pretty {
		t.Fatalf("the body shows (%s):\n%s\nwant (Pretty):\n%s", d.bodyMode.Selected, d.body.Text, pretty)
	}
	// send checks the body is valid JSON, sends it and checks the target
	// got want as its n-th request.
	send := func(n int, want, what string) {
		t.Helper()
		if d.jsonState.Text != "Valid JSON" {
			t.Fatalf("JSON state %q", d.jsonState.Text)
		}
		test.Tap(d.send)
		h.q.until(t, "answer "+what, func() bool { return tg.count() == n && !d.send.Disabled() })
		if _, body, _ := tg.got(n - 1); body != want {
			t.Fatalf("%s: sent %q, want %q", what, body, want)
		}
	}
	send(1, raw, "untouched, pretty-printed")

	d.bodyMode.SetSelected(replayBodyRaw)
	if d.body.Text != raw {
		t.Fatalf("Raw shows %q, want %q", d.body.Text, raw)
	}
	d.bodyMode.SetSelected(replayBodyPretty)
	if d.body.Text != pretty {
		t.Fatalf("Pretty again shows %q", d.body.Text)
	}

	// An edit in the pretty view is checked, and sent as typed.
	d.body.SetText(strings.Replace(pretty, `"id": 7,`, `"id": 8`, 1))
	if !strings.HasPrefix(d.jsonState.Text, "Invalid JSON: line 3") {
		t.Fatalf("JSON state after a bad edit: %q", d.jsonState.Text)
	}
	edited := strings.Replace(pretty, `"id": 7,`, `"id": 8,`, 1)
	d.body.SetText(edited)
	send(2, edited, "edited")
	// Raw of an edited body is the edit, compacted.
	d.bodyMode.SetSelected(replayBodyRaw)
	if want := `{"id":8,"tags":["a","b"],"price":1.50,"note":"\u00e9<>"}`; d.body.Text != want {
		t.Fatalf("Raw of the edit shows %q, want %q", d.body.Text, want)
	}

	// A body that is not JSON opens raw, and stays so.
	text := h.capture("/t", http.Header{"Content-Type": {"text/plain"}}, "a  b\r\n")
	dt := h.w.newReplayDialog(text, nil)
	if dt.bodyMode.Selected != replayBodyRaw {
		t.Fatalf("a text body opens %s", dt.bodyMode.Selected)
	}
	dt.bodyMode.SetSelected(replayBodyPretty)
	if dt.bodyMode.Selected != replayBodyRaw || !strings.Contains(dt.jsonState.Text, "not JSON") {
		t.Fatalf("Pretty on a text body: mode %s, says %q", dt.bodyMode.Selected, dt.jsonState.Text)
	}
}

// The outcome of a send is said once, not once in a status line and again
// above the answer.
func TestReplayDialogSaysTheOutcomeOnce(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(202, `{"ok":true}`))
	h := newHarness(t)
	c := h.capture("/src", http.Header{"Content-Type": {"application/json"}}, `{"n":1}`)
	d := h.w.newReplayDialog(c, nil)
	d.show()
	d.url.SetText(tg.URL)
	test.Tap(d.send)
	h.q.until(t, "the answer's body", func() bool { return strings.Contains(gridText(d.response), `"ok": true`) })
	if n := strings.Count(visibleText(d.content), "202 Accepted"); n != 1 {
		t.Fatalf("the outcome shows %d times:\n%s", n, visibleText(d.content))
	}
	// A refusal before sending is said, once too.
	d.url.SetText("localhost:8000/webhook")
	test.Tap(d.send)
	if n := strings.Count(visibleText(d.content), "must be http:// or https://"); n != 1 {
		t.Fatalf("the refusal shows %d times:\n%s", n, visibleText(d.content))
	}
}

// Compare opens as wide as the window and compares what was sent as well
// as what was answered.
func TestReplaysCompareIsWideAndComparesTheRequests(t *testing.T) {
	tg := newReplayTarget(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"same":"x","v":%d}`, n+1)
	})
	h := newHarness(t)
	c := h.capture("/x", http.Header{"Content-Type": {"application/json"}}, `{"a":1,"keep":true}`)
	first := h.replay(c, delivery.ReplayOptions{URL: tg.URL})
	second := h.replay(c, delivery.ReplayOptions{URL: tg.URL + "/v2", Body: []byte(`{"a":2,"keep":true}`)})
	_, panes := h.compareAttempts(c, first.ID, second.ID)
	if top, win := h.topOverlay().Size().Width, h.w.win.Canvas().Size().Width; top < 0.9*win {
		t.Errorf("the comparison is %.0f wide in a %.0f window", top, win)
	}
	if len(panes) != 2 || panes[0].name != "Answers" || panes[1].name != "Requests sent" {
		t.Fatalf("the comparison has %d tabs", len(panes))
	}
	// The answers: the value that changed, by its key.
	if got := bodyRows(panes[0]); !slices.Equal(got, []string{"changed | v | 1 | 2"}) {
		t.Errorf("answers' body changes %q", got)
	}
	// The requests: the URL's path and the body's value that changed.
	sent := panes[1]
	if got := containerRows(sent.request); !slices.Contains(got, "added | path |  | /v2") {
		t.Errorf("requests' rows %q lack the path /v2", got)
	}
	if got := bodyRows(sent); !slices.Equal(got, []string{"changed | a | 1 | 2"}) {
		t.Errorf("requests' body changes %q", got)
	}
}

// Replay brings the Replays tab forward, found by what it holds: a label
// that says more (a count, another wording) does not lose it.
func TestReplayBringsTheReplaysTabForward(t *testing.T) {
	tg := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	c := h.capture("/loose", nil, "x")
	h.w.rememberTarget(tg.URL, replayAppendNothing)
	h.w.detail.show(c.ID)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == c.ID })
	for _, item := range h.w.detail.tabs.Items {
		if tabHolds(item, h.w.detail.replays) {
			item.Text = "Replays (0)"
		}
	}
	h.w.detail.tabs.SelectIndex(0)
	h.w.replayCapture(c)
	h.q.until(t, "the Replays tab forward", func() bool { return tabHolds(h.w.detail.tabs.Selected(), h.w.detail.replays) })
}
