package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// highlighted reports whether a text grid under o colours some of its text.
func highlighted(o fyne.CanvasObject) bool {
	found := false
	eachObject(o, func(o fyne.CanvasObject) bool {
		g, ok := o.(*widget.TextGrid)
		if !ok {
			return true
		}
		for _, row := range g.Rows {
			for _, c := range row.Cells {
				if s, ok := c.Style.(*widget.CustomTextGridStyle); ok && s.FGColor != nil {
					found = true
				}
			}
		}
		return false
	})
	return found
}

// A row of a webhook's delivery history opens the attempt: the request as
// sent (headers, the body highlighted, the test event's template and
// batch), the answer (status, headers, body), how long it took, and the
// error of a call that got no answer.
func TestDeliveryHistoryRowOpensTheAttempt(t *testing.T) {
	h := newHarness(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Connection", "close") // the next call finds the target closed, not a kept connection
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"error":"missing taskId"}`))
	}))
	p := store.Project{Slug: "lab", Webhooks: []store.Webhook{{Action: "review", URL: target.URL + "/review", Enabled: true,
		Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t0k3n"}}}}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.Delivery().SendTestEvent(context.Background(), p, "review", "isahit", 1); err != nil {
		t.Fatal(err)
	}
	target.Close()
	if _, err := h.srv.Delivery().SendTestEvent(context.Background(), p, "review", "isahit", 1); err != nil {
		t.Fatal(err)
	}
	sent, err := h.st.Deliveries("lab", "review", 2)
	if err != nil || len(sent) != 2 || sent[1].Sample == nil || sent[0].Error == "" {
		t.Fatalf("deliveries %+v (%v)", sent, err)
	}

	e := h.storedProject(p)
	r := e.row(t, "review")
	test.Tap(r.historyBtn)
	h.q.until(t, "the history", func() bool { return r.historyDialog != nil })
	hd := r.historyDialog

	hd.list.Select(1) // the older call, answered 422
	v := hd.shown
	if v == nil || !strings.HasPrefix(v.outcome.Text, "422 Unprocessable Entity") {
		t.Fatalf("the row opened %+v", v)
	}
	facts := gridText(v.facts)
	for _, want := range []string{"Duration", "template isahit · batch " + sent[1].Sample.Batch + " · call 1 of 1 · 1 record"} {
		if !strings.Contains(facts, want) {
			t.Fatalf("the attempt's facts lack %q:\n%s", want, facts)
		}
	}
	h.q.until(t, "the request body", func() bool { return strings.Contains(gridText(v.reqBody), `"batchId": "`+sent[1].Sample.Batch) })
	if !highlighted(v.reqBody) {
		t.Fatal("the request body is not highlighted")
	}
	v.tabs.Select(v.request)
	// As stored: credential headers are masked unless Settings keeps them.
	if req := gridText(v.request.Content); !strings.Contains(req, "POST "+target.URL+"/review") || !strings.Contains(req, sent[1].Request.Header.Get("Authorization")) {
		t.Fatalf("the request sent:\n%s", req)
	}
	v.tabs.Select(v.response)
	h.q.until(t, "the response body", func() bool { return strings.Contains(gridText(v.respBody), `"missing taskId"`) })
	if resp := gridText(v.response.Content); !strings.Contains(resp, "422 Unprocessable Entity") || !strings.Contains(resp, "no-store") {
		t.Fatalf("the response:\n%s", resp)
	}

	hd.list.Select(0) // the newer call, unanswered
	v = hd.shown
	if !strings.Contains(gridText(v.facts), "Error\n"+sent[0].Error) || v.tabs.Selected() != v.response ||
		!strings.Contains(gridText(v.response.Content), "No answer: "+sent[0].Error) {
		t.Fatalf("the refused call shows:\n%s\n%s", gridText(v.facts), gridText(v.response.Content))
	}
}
