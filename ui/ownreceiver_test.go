package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hookscope/delivery"
)

// TestProjectEditorRefusesTheReceiversOwnURL: a webhook URL that is the
// receiver itself is marked under its field, as the API refuses it.
func TestProjectEditorRefusesTheReceiversOwnURL(t *testing.T) {
	h := newHarness(t)
	port := h.srv.URL()[strings.LastIndex(h.srv.URL(), ":")+1:]
	e := h.newProjectEditor()
	test.Type(e.name, "Loop")
	r := e.addChoice(t, "ingested")
	test.Type(r.url, h.srv.URL()+"/loop/ingested")
	if got := shownError(r.urlErr); got != delivery.OwnReceiverMessage {
		t.Fatalf("URL error %q", got)
	}
	if !e.save.Disabled() {
		t.Fatal("Save enabled with a webhook to the receiver itself")
	}
	r.url.SetText("http://127.0.0.1:1/in")
	if got := shownError(r.urlErr); got != "" || e.save.Disabled() {
		t.Fatalf("another port: error %q, Save disabled %v", got, e.save.Disabled())
	}

	test.Type(e.applyURL, "http://localhost:"+port+"/all")
	if got := shownError(e.applyURLErr); got != delivery.OwnReceiverMessage {
		t.Fatalf("apply-to-all URL error %q", got)
	}
	if !e.applyAll.Disabled() {
		t.Fatal("Apply enabled with the receiver's own URL")
	}
}
