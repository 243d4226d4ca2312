package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
	"hookscope/tunnel"
)

func TestProjectEditorShowsPublicReceiveURLs(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := store.Project{Slug: "isahit", Name: "Isahit", Webhooks: []store.Webhook{
		{Action: "annotation", URL: "http://127.0.0.1:3000/a", Enabled: true},
		{Action: store.DefaultWebhookAction, URL: "http://127.0.0.1:3000/d", Enabled: true},
	}}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	e := h.openEditor(p, false)
	local := h.srv.URL()
	if got := e.receive.shown; len(got) != 2 || got[0] != local+"/isahit" || got[1] != local+"/isahit/annotation" {
		t.Fatalf("offline URLs %q, want the local ones", got)
	}
	if !strings.Contains(e.receive.note.Text, "start a Public URL") && !strings.Contains(e.receive.note.Text, "Start a Public URL") {
		t.Fatalf("offline note %q", e.receive.note.Text)
	}

	h.w.public.choice.SetSelected(choiceCloudflared)
	run := ft.next(t)
	const public = "https://calm-river.trycloudflare.com"
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: public})
	h.q.until(t, "the public URLs", func() bool {
		s := e.receive.shown
		return len(s) == 2 && s[0] == public+"/isahit" && s[1] == public+"/isahit/annotation"
	})
	if !strings.Contains(e.receive.note.Text, "Paste these") {
		t.Fatalf("online note %q", e.receive.note.Text)
	}
	// The copy button beside the action's URL copies it.
	row := e.receive.rows.Objects[3].(*fyne.Container)
	var cp *widget.Button
	for _, o := range row.Objects {
		if b, ok := o.(*widget.Button); ok {
			cp = b
		}
	}
	test.Tap(cp)
	if got := h.w.app.Clipboard().Content(); got != public+"/isahit/annotation" {
		t.Fatalf("clipboard = %q", got)
	}
}

func TestGeneralTabAndTitleUseThePublicURL(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := store.Project{Slug: "isahit", Name: "Isahit"}
	if err := h.st.PutProject(p); err != nil {
		t.Fatal(err)
	}
	e := h.openEditor(p, false)
	if !strings.Contains(e.heading.Text, "captures on "+h.srv.URL()+"/isahit/") {
		t.Fatalf("offline title %q", e.heading.Text)
	}
	h.w.public.choice.SetSelected(choiceCloudflared)
	run := ft.next(t)
	const public = "https://calm-river.trycloudflare.com"
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: public})
	h.q.until(t, "the public URL on the General tab", func() bool {
		s := e.receive.twin.shown
		return len(s) == 1 && s[0] == public+"/isahit"
	})
	if !strings.Contains(e.heading.Text, "captures on "+public+"/isahit/") {
		t.Fatalf("online title %q, want the public URL", e.heading.Text)
	}
	// The General tab holds it, beside the slug.
	found := false
	for _, o := range test.LaidOutObjects(e.general.Content) {
		if l, ok := o.(*widget.Label); ok && l.Text == public+"/isahit" {
			found = true
		}
	}
	if !found {
		t.Fatal("the General tab does not show the public receive URL")
	}
}

func TestEmptyListPointsAtThePublicURL(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	l := h.w.list
	h.q.until(t, "the empty list", func() bool { return strings.Contains(l.emptyMsg.Text, h.srv.URL()+"/anything") })
	h.w.public.choice.SetSelected(choiceCloudflared)
	const public = "https://calm-river.trycloudflare.com"
	ft.next(t).report(tunnel.State{Status: tunnel.StatusOnline, URL: public})
	h.q.until(t, "the public URL in the empty list", func() bool {
		return strings.Contains(l.emptyMsg.Text, "Point your webhook at "+public+"/anything")
	})
}
