package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hookscope/store"
)

func labels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "---")
			continue
		}
		l := it.Label
		if it.Disabled {
			l = "(" + l + ")"
		}
		out = append(out, l)
	}
	return out
}

func item(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q in %q", label, labels(m))
	return nil
}

// The tray's menu, built without a display.
func TestTrayMenu(t *testing.T) {
	var did []string
	var shown store.ID
	a := trayActions{
		show:        func() { did = append(did, "show") },
		copyURL:     func() { did = append(did, "copy") },
		pause:       func() { did = append(did, "pause") },
		resume:      func() { did = append(did, "resume") },
		quit:        func() { did = append(did, "quit") },
		showCapture: func(id store.ID) { shown = id },
	}
	at := time.Date(2026, 12, 1, 5, 0, 0, 0, time.Local)
	listening := trayState{url: "http://127.0.0.1:8787", recent: []store.Summary{
		{ID: 42, Method: "POST", Path: "/isahit/annotation", ReceivedAt: at},
		{ID: 41, Method: "GET", Path: "/x", RawQuery: "a=1", ReceivedAt: at},
	}}
	m := trayMenu(listening, a)
	want := []string{"Show window", "(● Listening on http://127.0.0.1:8787)", "Copy receiver URL", "Pause receiver", "---",
		"POST /isahit/annotation  05:00:00", "GET /x?a=1  05:00:00", "---", "Quit"}
	if got := labels(m); !slices.Equal(got, want) {
		t.Fatalf("menu %q\nwant %q", got, want)
	}
	if !item(t, m, "Quit").IsQuit {
		t.Error("Quit is not the menu's quit item (Fyne would add a second one)")
	}
	for _, l := range []string{"Show window", "Copy receiver URL", "Pause receiver", "Quit"} {
		item(t, m, l).Action()
	}
	item(t, m, "GET /x?a=1  05:00:00").Action()
	if !slices.Equal(did, []string{"show", "copy", "pause", "quit"}) || shown != 41 {
		t.Fatalf("actions %q, capture %d", did, shown)
	}

	stopped := trayMenu(trayState{}, a)
	want = []string{"Show window", "(○ Receiver stopped)", "(Copy receiver URL)", "Resume receiver", "---", "(No captures yet)", "---", "Quit"}
	if got := labels(stopped); !slices.Equal(got, want) {
		t.Fatalf("stopped menu %q\nwant %q", got, want)
	}
	tunnel := trayMenu(trayState{url: "http://127.0.0.1:8787", tunnel: "https://abc.trycloudflare.com"}, a)
	if got := labels(tunnel)[2]; got != "(◆ Tunnel online: https://abc.trycloudflare.com)" {
		t.Fatalf("tunnel row %q", got)
	}
	for s, want := range map[*trayState]string{{}: "stopped", &listening: "listening", {url: "u", tunnel: "t"}: "tunnel"} {
		if got := trayIconKey(*s); got != want {
			t.Errorf("icon %q, want %q", got, want)
		}
	}
}

// fakeTray stands in for desktop.App's tray.
type fakeTray struct {
	menu  *fyne.Menu
	icons []string
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)    { f.menu = m }
func (f *fakeTray) SetSystemTrayIcon(r fyne.Resource) { f.icons = append(f.icons, r.Name()) }

// With a tray host: the tray follows the receiver and the captures, a close
// hides the window, says once that the receiver keeps running, and the tray
// shows a capture.
func TestTrayWithAHost(t *testing.T) {
	tray := &fakeTray{}
	log := &sentLog{}
	h := newHarnessWith(t, func(w *Window) {
		w.bus = newFakeBus(nil, true)
		w.tray.desktop = tray
		w.notes.sender.sent = log.add
	})
	h.q.until(t, "the tray", func() bool { return tray.menu != nil && labels(tray.menu)[1] == "(● Listening on "+h.srv.URL()+")" })
	if last := tray.icons[len(tray.icons)-1]; last != "tray-listening.png" {
		t.Fatalf("icon %q while listening", last)
	}
	id := h.post("/isahit/a", "text/plain", "1")
	h.q.until(t, "the capture in the tray", func() bool { return len(tray.menu.Items) > 5 && tray.menu.Items[5].Label != "No captures yet" })

	test.AssertNotificationSent(t, &fyne.Notification{
		Title:   "Hookscope keeps running in the tray",
		Content: "The receiver still captures on " + h.srv.URL() + ". Show the window or quit from the tray icon's menu.",
	}, func() {
		h.w.onCloseRequest()
		h.q.until(t, "the one-time notification", func() bool { return log.count() == 1 })
	})
	if !h.w.unread.hidden {
		t.Fatal("the window was not hidden")
	}
	if !h.w.app.Preferences().Bool(prefTrayHintShown) {
		t.Fatal("the hint is not remembered as shown: every close would repeat it")
	}

	tray.menu.Items[5].Action()
	if h.w.unread.hidden {
		t.Fatal("the window stays hidden after a capture was chosen in the tray")
	}
	h.q.until(t, "the capture shown", func() bool { return h.w.detail.shown == id })

	item(t, tray.menu, "Pause receiver").Action()
	h.q.until(t, "the receiver paused", func() bool { return labels(tray.menu)[1] == "(○ Receiver stopped)" })
	if last := tray.icons[len(tray.icons)-1]; last != "tray-stopped.png" {
		t.Fatalf("icon %q while stopped", last)
	}
}

// With no tray host, no tray and no close intercept: closing quits as
// before.
func TestNoTrayHostNoTray(t *testing.T) {
	tray := &fakeTray{}
	bus := newFakeBus(nil, false)
	h := newHarnessWith(t, func(w *Window) {
		w.bus = bus
		w.tray.desktop = tray
	})
	h.post("/a", "text/plain", "1")
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	if tray.menu != nil || h.w.tray.host != nil {
		t.Fatal("a tray without a tray host")
	}
}

// A session bus whose tray host never lists the icon (a watcher that does
// not show it) gets the menu, but closing the window still quits: hiding it
// would leave no way back.
func TestTrayNeverShownClosingQuits(t *testing.T) {
	tray := &fakeTray{}
	bus := newFakeBus(nil, false)
	bus.session = true
	h := newHarnessWith(t, func(w *Window) {
		w.bus = bus
		w.tray.desktop = tray
	})
	<-bus.trayAnswered
	h.post("/a", "text/plain", "1")
	h.q.until(t, "the capture", func() bool { return h.rows() == 1 })
	if tray.menu == nil {
		t.Fatal("with a session bus the tray menu is set before the window runs")
	}
	if h.w.tray.hidesWindow {
		t.Fatal("closing hides the window although no host shows the icon")
	}
}

// Settings offer to close to the tray only when a host shows the icon;
// otherwise the check box is off limits and says why.
func TestCloseToTraySettingNeedsATrayHost(t *testing.T) {
	h := newHarnessWith(t, func(w *Window) {
		w.bus = newFakeBus(nil, false)
		w.tray.desktop = &fakeTray{}
	})
	f := h.w.newSettingsForm()
	if !f.notify.closeToTray.Disabled() {
		t.Error("close-to-tray can be ticked with no tray host")
	}
	if got := f.notify.noTray.Text; got != "no system tray on this desktop — closing quits" || !f.notify.noTray.Visible() {
		t.Errorf("the reason reads %q (shown: %v)", got, f.notify.noTray.Visible())
	}

	h = newHarnessWith(t, func(w *Window) {
		w.bus = newFakeBus(nil, true)
		w.tray.desktop = &fakeTray{}
	})
	h.q.until(t, "the tray host's answer", func() bool { return h.w.tray.hidesWindow })
	f = h.w.newSettingsForm()
	if f.notify.closeToTray.Disabled() || f.notify.noTray.Visible() {
		t.Errorf("with a tray host: disabled %v, reason %q shown", f.notify.closeToTray.Disabled(), f.notify.noTray.Text)
	}
}
