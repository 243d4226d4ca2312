package ui

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hookscope/receiver"
	"hookscope/store"
	"hookscope/tunnel"
)

// fakeRun is one run of a fake tunnel provider, driven by the test: it
// reports states through report and ends when the test sends on end (or the
// manager stops it).
type fakeRun struct {
	cfg    tunnel.Config
	report func(tunnel.State)
	end    chan error
}

// fakeTunnels builds providers whose runs the test receives on runs.
type fakeTunnels struct{ runs chan *fakeRun }

type fakeProvider struct {
	f   *fakeTunnels
	cfg tunnel.Config
}

func (p fakeProvider) Run(ctx context.Context, _ http.Handler, report func(tunnel.State)) error {
	r := &fakeRun{cfg: p.cfg, report: report, end: make(chan error, 1)}
	p.f.runs <- r
	select {
	case <-ctx.Done():
		return nil
	case err := <-r.end:
		return err
	}
}

// next is the run the manager starts next.
func (f *fakeTunnels) next(t *testing.T) *fakeRun {
	t.Helper()
	select {
	case r := <-f.runs:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("the tunnel was not started")
		return nil
	}
}

// newTunnelHarness opens a window with a tunnel manager whose provider is
// the fake, over a store holding saved (when not nil).
func newTunnelHarness(t *testing.T, saved *store.TunnelSettings) (*harness, *fakeTunnels) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme())
	st, err := store.Open(filepath.Join(t.TempDir(), "ui.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if saved != nil {
		if err := st.PutTunnelSettings(*saved); err != nil {
			t.Fatal(err)
		}
	}
	ft := &fakeTunnels{runs: make(chan *fakeRun, 16)}
	srv := receiver.New(st, receiver.Options{})
	m := tunnel.NewManager(func(string) http.Handler { return http.NotFoundHandler() }, tunnel.Options{
		NewProvider: func(cfg tunnel.Config) (tunnel.Provider, error) { return fakeProvider{ft, cfg}, nil },
		Backoff:     []time.Duration{time.Millisecond},
	})
	q := make(uiQueue, 1<<14)
	w := newWindow(a, st, srv, Config{Addr: "127.0.0.1:0", AddrSet: true, Tunnel: m}, q.do)
	w.win.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() {
		w.bridge.stop()
		w.public.stop()
		m.Close()
		srv.Stop(context.Background())
		st.Close()
	})
	w.Start()
	h := &harness{t: t, w: w, q: q, st: st, srv: srv}
	q.until(t, "the receiver to listen", func() bool { return strings.HasPrefix(w.top.status.Text, "● Listening") })
	q.until(t, "the tunnel settings", func() bool { return w.public.loaded })
	return h, ft
}

func TestPublicURLBarFollowsTheTunnel(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := h.w.public
	if p.choice.Selected != choiceOff || !strings.Contains(p.note.Text, "cannot reach 127.0.0.1") {
		t.Fatalf("off: choice %q, note %q", p.choice.Selected, p.note.Text)
	}

	p.choice.SetSelected(choiceCloudflared)
	run := ft.next(t)
	if run.cfg.Provider != tunnel.Cloudflared {
		t.Fatalf("started %+v, want cloudflared", run.cfg)
	}
	h.q.until(t, "starting", func() bool { return p.state.Text == "Starting cloudflared…" })
	if p.copy.Visible() || p.retry.Visible() {
		t.Error("copy or Retry shown while starting")
	}

	const public = "https://lucky-words-here.trycloudflare.com"
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: public})
	h.q.until(t, "online", func() bool { return p.state.Text == public })
	if !p.copy.Visible() {
		t.Fatal("no copy button when online")
	}
	test.Tap(p.copy)
	if got := h.w.app.Clipboard().Content(); got != public {
		t.Fatalf("clipboard = %q, want %q", got, public)
	}

	run.end <- errors.New("connection to the edge lost")
	// The URL usually comes back unchanged: it stays, to copy, marked.
	h.q.until(t, "reconnecting", func() bool {
		return p.tag.Text == "reconnecting…" && strings.Contains(p.note.Text, "connection to the edge lost")
	})
	if p.state.Text != public || !p.copy.Visible() {
		t.Fatalf("reconnecting shows %q, copy %v: want the last URL and its copy button", p.state.Text, p.copy.Visible())
	}
	h.w.app.Clipboard().SetContent("")
	test.Tap(p.copy)
	if got := h.w.app.Clipboard().Content(); got != public {
		t.Fatalf("clipboard while reconnecting = %q, want %q", got, public)
	}

	run = ft.next(t)
	run.end <- &tunnel.Permanent{Err: errors.New("cloudflared: executable file not found in $PATH"), Hint: "install cloudflared or set its path in Settings"}
	h.q.until(t, "failed", func() bool { return p.state.Text == "cloudflared failed" })
	if !strings.Contains(p.note.Text, "executable file not found") || !strings.Contains(p.note.Text, "set its path in Settings") {
		t.Fatalf("failed note %q lacks the reason or the hint", p.note.Text)
	}
	if !p.retry.Visible() {
		t.Fatal("no Retry when failed")
	}

	test.Tap(p.retry)
	run = ft.next(t)
	if run.cfg.Provider != tunnel.Cloudflared {
		t.Fatalf("Retry started %+v", run.cfg)
	}
	h.q.until(t, "starting again", func() bool { return p.state.Text == "Starting cloudflared…" })

	p.choice.SetSelected(choiceOff)
	h.q.until(t, "off", func() bool { return p.state.Text == "" && strings.Contains(p.note.Text, "cannot reach") })
	h.q.until(t, "off saved", func() bool {
		ts, err := h.st.TunnelSettings()
		return err == nil && ts.Provider == tunnel.Off
	})
}

func TestPublicURLRestartsWithTheApp(t *testing.T) {
	h, ft := newTunnelHarness(t, &store.TunnelSettings{Provider: tunnel.Cloudflared, CloudflaredPath: "/opt/cf/cloudflared"})
	run := ft.next(t)
	if run.cfg.Provider != tunnel.Cloudflared || run.cfg.CloudflaredPath != "/opt/cf/cloudflared" {
		t.Fatalf("started %+v", run.cfg)
	}
	h.q.until(t, "the choice shown", func() bool { return h.w.public.choice.Selected == choiceCloudflared })
}

func TestChoosingNgrokWithoutATokenOpensSettingsAtTheToken(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := h.w.public
	p.choice.SetSelected(choiceNgrok)
	f := p.settings
	if f == nil || f.tunnel == nil {
		t.Fatal("choosing ngrok without a token did not open Settings")
	}
	if got := h.w.win.Canvas().Focused(); got != f.tunnel.ngrokToken {
		t.Fatalf("focus on %T, want the ngrok authtoken", got)
	}
	if p.choice.Selected != choiceOff {
		t.Fatalf("the bar shows %q before a token was given", p.choice.Selected)
	}
	if !f.tunnel.ngrokToken.Password {
		t.Fatal("the authtoken entry does not mask the token")
	}
	// Settings say why they opened, under the field.
	hinted := false
	for _, item := range f.form.Items {
		hinted = hinted || (item.Widget == f.tunnel.ngrokToken && strings.HasPrefix(item.HintText, "ngrok needs your authtoken"))
	}
	if !hinted {
		t.Fatal("Settings opened at the token without saying ngrok needs it")
	}
	select {
	case r := <-ft.runs:
		t.Fatalf("started %+v without a token", r.cfg)
	default:
	}

	test.Type(f.tunnel.ngrokToken, "2abcSECRETtoken")
	h.w.saveSettings(f)
	run := ft.next(t)
	if run.cfg.Provider != tunnel.Ngrok || run.cfg.NgrokAuthtoken != "2abcSECRETtoken" {
		t.Fatalf("started %+v, want ngrok with the token", run.cfg)
	}
	h.q.until(t, "the token stored", func() bool {
		ts, err := h.st.TunnelSettings()
		return err == nil && ts.NgrokAuthtoken == "2abcSECRETtoken" && ts.Provider == tunnel.Ngrok
	})
	if v := h.w.app.Preferences().String("tunnel.ngrokAuthtoken"); v != "" {
		t.Fatal("the token went to the preferences")
	}

	// Settings opened again show the token masked.
	f = h.w.newSettingsForm()
	if f.tunnel.ngrokToken.Text != "2abcSECRETtoken" || !f.tunnel.ngrokToken.Password {
		t.Fatalf("token entry %q, masked %v", f.tunnel.ngrokToken.Text, f.tunnel.ngrokToken.Password)
	}
}

func TestSettingsKeepTheTunnelFields(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := h.w.public
	p.choice.SetSelected(choiceCustom)
	f := p.settings
	if got := h.w.win.Canvas().Focused(); got != f.tunnel.customURL {
		t.Fatalf("focus on %T, want your own URL", got)
	}
	f.tunnel.customURL.SetText("ftp://nope")
	if err := f.form.Validate(); err == nil {
		t.Fatal("an ftp:// URL passed validation")
	}
	f.tunnel.customURL.SetText("https://me.tailnet.ts.net/")
	f.tunnel.cloudflaredPath.SetText("/usr/local/bin/cloudflared")
	f.tunnel.ngrokDomain.SetText("hooks.ngrok.app")
	h.w.saveSettings(f)
	run := ft.next(t)
	if run.cfg.Provider != tunnel.Custom || run.cfg.CustomURL != "https://me.tailnet.ts.net" {
		t.Fatalf("started %+v", run.cfg)
	}
	// Your own URL says where your tunnel must deliver: the capture-only
	// address, not the receiver's.
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: "https://me.tailnet.ts.net", Target: "127.0.0.1:8788"})
	h.q.until(t, "your own URL online", func() bool {
		return h.w.public.state.Text == "https://me.tailnet.ts.net" && strings.Contains(h.w.public.note.Text, "Point your tunnel at http://127.0.0.1:8788")
	})
	// Hookscope cannot check a tunnel it does not run: no "online" look.
	if p.tag.Text != "your own URL (not checked)" {
		t.Fatalf("your own URL tagged %q", p.tag.Text)
	}
	test.Tap(p.copyTarget)
	if got := h.w.app.Clipboard().Content(); got != "http://127.0.0.1:8788" {
		t.Fatalf("the target's copy button copied %q", got)
	}
	want := store.TunnelSettings{Provider: tunnel.Custom, CloudflaredPath: "/usr/local/bin/cloudflared", NgrokDomain: "hooks.ngrok.app", CustomURL: "https://me.tailnet.ts.net"}
	h.q.until(t, "the settings stored", func() bool {
		ts, err := h.st.TunnelSettings()
		return err == nil && ts == want
	})
}

func TestPublicURLChoiceFollowsTheManager(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	// The local API switches the tunnel on the same manager.
	go h.w.tunnel.Set(tunnel.Config{Provider: tunnel.Cloudflared})
	ft.next(t)
	h.q.until(t, "the choice to follow", func() bool { return h.w.public.choice.Selected == choiceCloudflared })
	go h.w.tunnel.Set(tunnel.Config{})
	h.q.until(t, "the choice back to off", func() bool { return h.w.public.choice.Selected == choiceOff })
}

// A saved URL the manager refuses (here one naming this machine) is shown
// as failed with the reason, not silently ignored.
func TestPublicURLBarShowsARefusedConfig(t *testing.T) {
	h, _ := newTunnelHarness(t, &store.TunnelSettings{CustomURL: "http://127.0.0.1:8787"})
	p := h.w.public
	p.choice.SetSelected(choiceCustom)
	h.q.until(t, "refused", func() bool {
		return strings.HasSuffix(p.state.Text, " failed") && strings.Contains(p.note.Text, "this machine")
	})
	if p.w.tunnel.State().Status != tunnel.StatusOff {
		t.Fatalf("the manager ran a refused config: %+v", p.w.tunnel.State())
	}
}
