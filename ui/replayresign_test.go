package ui

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"hookscope/signature"
	"hookscope/store"
)

// Ctrl+R sends a capture whose signature failed with that very signature,
// byte for byte, so the failure can be reproduced; with the project's
// re-sign toggle on it sends a signature computed with the project's
// secret, and the Replays tab tells the two attempts apart.
func TestCtrlRSendsTheCapturedSignatureUnlessResignIsOn(t *testing.T) {
	const secret = "whsec_shop"
	hook := newReplayTarget(t, jsonAnswer(200, `{}`))
	h := newHarness(t)
	err := h.st.PutProject(store.Project{Slug: "shop", Name: "Shop", Secret: secret, Scheme: signature.SchemeStripe,
		Webhooks: []store.Webhook{{Action: "orders", URL: hook.URL + "/orders"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project", func() bool { return h.w.side.list.Length() == 3 })
	time.Sleep(50 * time.Millisecond) // the receiver's project cache reloads on the same event

	// A hex signature where Stripe's is expected: it fails verification.
	wrong := "t=1700000000,v1=0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9"
	c := h.capture("/shop/orders", http.Header{"Stripe-Signature": {wrong}, "Content-Type": {"application/json"}}, `{"id":"evt_1"}`)
	h.w.detail.show(c.ID)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == c.ID })
	if h.w.detail.resign.Checked || h.w.detail.resign.Disabled() {
		t.Fatalf("the re-sign toggle of a new project: checked %v, disabled %v; want off and usable", h.w.detail.resign.Checked, h.w.detail.resign.Disabled())
	}

	canvas := h.w.win.Canvas().(fyne.Shortcutable)
	canvas.TypedShortcut(keyReplay)
	h.q.until(t, "the replay as captured", func() bool {
		return strings.Contains(h.w.top.message.Text, "Replayed to webhook orders, as captured → 200 OK")
	})
	_, body, header := hook.got(0)
	if got := header["Stripe-Signature"]; !slices.Equal(got, []string{wrong}) {
		t.Fatalf("Ctrl+R sent Stripe-Signature %q, want the captured %q", got, wrong)
	}
	if got := c.Header["Stripe-Signature"]; !slices.Equal(header["Stripe-Signature"], got) {
		t.Fatalf("Ctrl+R sent Stripe-Signature %q, the capture holds %q", header["Stripe-Signature"], got)
	}
	if body != `{"id":"evt_1"}` {
		t.Fatalf("body %q", body)
	}

	// The toggle on: a signature computed with the secret, remembered for
	// the project.
	h.w.detail.resign.SetChecked(true)
	if !h.w.resignWanted("shop") {
		t.Fatal("the toggle is not remembered for the project")
	}
	h.w.top.message.SetText("")
	canvas.TypedShortcut(keyReplay)
	h.q.until(t, "the re-signed replay", func() bool {
		return strings.Contains(h.w.top.message.Text, "Replayed to webhook orders, re-signed → 200 OK")
	})
	line, body, header := hook.got(1)
	if header.Get("Stripe-Signature") == c.Header.Get("Stripe-Signature") {
		t.Fatal("with the toggle on the captured signature was sent")
	}
	res := signature.Verify(signature.Request{Method: "POST", URL: hook.URL + strings.TrimPrefix(line, "POST "), Header: header, Body: []byte(body)},
		signature.Config{Scheme: signature.SchemeStripe, Secret: secret}, time.Now())
	if res.Status != signature.Valid {
		t.Fatalf("the re-signed replay does not verify: %s: %s", res.Status, res.Reason)
	}

	// The Replays tab says which was which.
	p := h.w.replaysPane
	h.q.until(t, "both attempts listed", func() bool { return len(p.attempts) == 2 })
	if newest, oldest := p.rowText(p.attempts[0]), p.rowText(p.attempts[1]); !strings.Contains(newest, "re-signed") || !strings.Contains(oldest, "as captured") {
		t.Fatalf("the Replays tab lists %q and %q", newest, oldest)
	}

	// Another capture of the project shows the remembered choice.
	other := h.capture("/shop/orders", http.Header{"Content-Type": {"application/json"}}, `{}`)
	h.w.detail.show(other.ID)
	h.q.until(t, "the other capture", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == other.ID })
	if !h.w.detail.resign.Checked {
		t.Fatal("the project's re-sign choice was not remembered for its other captures")
	}
}
