package ui

import (
	"strings"
	"testing"

	"hookscope/store"
)

func TestSettingsKeepCredentialsInHistoryPersists(t *testing.T) {
	h := newHarness(t)
	f := h.w.newSettingsForm()
	if f.keepCreds.Checked || h.st.KeepCredentialsInHistory() {
		t.Fatal("credentials are kept by default")
	}
	if f.keepCreds.Text != "Keep credentials in replay and forward history" {
		t.Fatalf("label %q", f.keepCreds.Text)
	}
	f.keepCreds.SetChecked(true)
	h.w.saveSettings(f)
	if !h.st.KeepCredentialsInHistory() {
		t.Fatal("the store still masks credentials")
	}
	if !StoreOptions(h.w.app).KeepCredentialsInHistory {
		t.Fatal("not persisted: the next start would mask them")
	}
	if !h.w.newSettingsForm().keepCreds.Checked {
		t.Fatal("the dialog reopens unticked")
	}
}

// A delivery no longer announces a project change; the open editor's log
// still follows it.
func TestTheEditorsLogFollowsDeliveries(t *testing.T) {
	h := newHarness(t)
	p := store.Project{Slug: "lab", Webhooks: []store.Webhook{{Action: "review", URL: "http://127.0.0.1:9/x", Enabled: true}}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	p, _ = h.st.Project("lab")
	e := h.openEditor(p, false)
	r := e.row(t, "review")
	if err := h.st.RecordDelivery(&store.Attempt{Project: "lab", Action: "review", StatusCode: 202, Status: "202 Accepted"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the new lastCall", func() bool { return strings.HasPrefix(r.lastCall.Text, "202 Accepted") })
}
