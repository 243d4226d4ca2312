package ui

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"time"

	"fyne.io/fyne/v2"

	"hookscope/assets"
	"hookscope/notify"
	"hookscope/store"
)

// trayHost is the part of desktop.App the tray uses; tests stand in for it.
type trayHost interface {
	SetSystemTrayMenu(*fyne.Menu)
	SetSystemTrayIcon(fyne.Resource)
}

// trayState is what the tray shows: the receiver's state and the newest
// captures.
type trayState struct {
	url    string // "" while stopped
	tunnel string // the public URL while a tunnel is online
	recent []store.Summary
}

// trayActions are what the tray's items do.
type trayActions struct {
	show, copyURL, pause, resume, quit func()
	showCapture                        func(store.ID)
}

// maxRecent is how many captures the tray lists.
const maxRecent = 5

// trayMenu builds the tray's menu; it needs no display, so tests read it
// and tap its items.
func trayMenu(s trayState, a trayActions) *fyne.Menu {
	status := "○ Receiver stopped"
	toggle := fyne.NewMenuItem("Resume receiver", a.resume)
	if s.url != "" {
		status = "● Listening on " + s.url
		toggle = fyne.NewMenuItem("Pause receiver", a.pause)
	}
	statusItem := fyne.NewMenuItem(status, nil)
	statusItem.Disabled = true
	items := []*fyne.MenuItem{fyne.NewMenuItem("Show window", a.show), statusItem}
	if s.tunnel != "" {
		t := fyne.NewMenuItem("◆ Tunnel online: "+s.tunnel, nil)
		t.Disabled = true
		items = append(items, t)
	}
	copyItem := fyne.NewMenuItem("Copy receiver URL", a.copyURL)
	copyItem.Disabled = s.url == "" && s.tunnel == ""
	items = append(items, copyItem, toggle, fyne.NewMenuItemSeparator())
	if len(s.recent) == 0 {
		none := fyne.NewMenuItem("No captures yet", nil)
		none.Disabled = true
		items = append(items, none)
	}
	for _, c := range s.recent {
		id := c.ID
		label := fmt.Sprintf("%s %s  %s", c.Method, ellipsize(c.URI(), 48), c.ReceivedAt.Local().Format("15:04:05"))
		items = append(items, fyne.NewMenuItem(label, func() { a.showCapture(id) }))
	}
	quit := fyne.NewMenuItem("Quit", a.quit)
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("Hookscope", items...)
}

func ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// trayIcon keeps the tray current. host is nil without a session bus (no
// tray can show); desktop is the app's tray (nil off the desktop), or a
// test's stand-in. hidesWindow is set once a host is seen showing the icon:
// only then does closing the window hide it to the tray.
type trayIcon struct {
	w           *Window
	desktop     trayHost
	host        trayHost
	hidesWindow bool
	answered    bool            // whether a host shows the icon is known
	recent      []store.Summary // newest first
	icons       map[string]fyne.Resource
	shown       string // the icon on show
	rebuilds    throttle
}

// trayEvery throttles menu rebuilds: each one is a D-Bus signal to the tray
// host, and captures can arrive by the thousand per second.
const trayEvery = time.Second

// startTray installs the tray icon before the window runs (Fyne 2.7.1
// starts its tray only if the menu was set by then) when a session bus is
// there, then asks, off the UI goroutine, whether a host shows the icon:
// only then does closing the window hide it to the tray.
func (w *Window) startTray() {
	host := w.tray.desktop
	if host == nil || !w.bus.traySession() {
		w.tray.answered = true
		return
	}
	w.tray.host = host
	// Fyne's tray keeps a hidden window of its own, and the app runs until
	// every window is closed: only the master window's close quits it. Set
	// now, so that closing quits on a session bus where no host answers.
	w.win.SetMaster()
	w.tray.refresh()
	background(w, func() (bool, error) { return w.bus.trayHost(), nil }, func(shown bool, _ error) {
		w.tray.refresh() // the receiver has started since
		w.tray.answered = true
		if !shown {
			return
		}
		// Closing the window hides it to the tray from now on.
		w.win.SetCloseIntercept(w.onCloseRequest)
		w.tray.hidesWindow = true
	})
}

// noCloseToTray is why closing the window cannot hide it to the tray, ""
// when it can: Settings show it by the check box.
func (t *trayIcon) noCloseToTray() string {
	switch {
	case t.hidesWindow:
		return ""
	case !t.answered:
		return "looking for a system tray on this desktop…"
	}
	return "no system tray on this desktop — closing quits"
}

// apply keeps the recent captures for the menu.
func (t *trayIcon) apply(events []store.Event) {
	added := false
	for _, e := range events {
		if e.Type == store.Added {
			t.recent = append([]store.Summary{e.Summary}, t.recent...)
			added = true
		}
	}
	if !added {
		return
	}
	t.recent = t.recent[:min(len(t.recent), maxRecent)]
	t.scheduleRefresh()
}

func (t *trayIcon) scheduleRefresh() {
	if t.host != nil {
		t.rebuilds.ask(t.w, t.refresh)
	}
}

func (t *trayIcon) state() trayState {
	return trayState{url: t.w.srv.URL(), tunnel: t.w.publicURL(), recent: t.recent}
}

// refresh rebuilds the menu and the icon from the current state.
func (t *trayIcon) refresh() {
	if t.host == nil {
		return
	}
	t.rebuilds.ran()
	s := t.state()
	w := t.w
	t.host.SetSystemTrayMenu(trayMenu(s, trayActions{
		show:        w.showFromTray,
		copyURL:     func() { w.app.Clipboard().SetContent(trayURL(s)) },
		pause:       w.stopReceiver,
		resume:      func() { w.startReceiver(w.addr) },
		quit:        w.app.Quit,
		showCapture: w.showCaptureFromTray,
	}))
	key := trayIconKey(s)
	if key != t.shown {
		t.shown = key
		t.host.SetSystemTrayIcon(t.icon(key))
	}
}

func trayURL(s trayState) string {
	if s.tunnel != "" {
		return s.tunnel
	}
	return s.url
}

// Icon states: the app icon with a dot, green while listening, blue while a
// tunnel is online too, grey while stopped.
func trayIconKey(s trayState) string {
	switch {
	case s.url == "":
		return "stopped"
	case s.tunnel != "":
		return "tunnel"
	}
	return "listening"
}

var trayDots = map[string]color.NRGBA{
	"stopped":   {0x9e, 0x9e, 0x9e, 0xff},
	"listening": {0x2e, 0xb8, 0x4b, 0xff},
	"tunnel":    {0x1e, 0x88, 0xe5, 0xff},
}

func (t *trayIcon) icon(key string) fyne.Resource {
	if r, ok := t.icons[key]; ok {
		return r
	}
	if t.icons == nil {
		t.icons = map[string]fyne.Resource{}
	}
	r := fyne.NewStaticResource("tray-"+key+".png", dottedIcon(trayDots[key]))
	t.icons[key] = r
	return r
}

// dottedIcon is the app icon with a status dot in its lower right corner
// (the plain icon if it cannot be read).
func dottedIcon(dot color.NRGBA) []byte {
	src, err := png.Decode(bytes.NewReader(assets.Icon))
	if err != nil {
		return assets.Icon
	}
	b := src.Bounds()
	img := image.NewNRGBA(b)
	draw.Draw(img, b, src, b.Min, draw.Src)
	r := b.Dx() * 22 / 100
	cx, cy := b.Max.X-r-b.Dx()/40, b.Max.Y-r-b.Dy()/40
	border := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
			switch {
			case d <= (r-r/6)*(r-r/6):
				img.SetNRGBA(x, y, dot)
			case d <= r*r:
				img.SetNRGBA(x, y, border)
			}
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return assets.Icon
	}
	return out.Bytes()
}

// onCloseRequest hides the window to the tray, if Settings say so; the
// first time it says that the receiver keeps running.
func (w *Window) onCloseRequest() {
	p := w.app.Preferences()
	if !p.BoolWithFallback(prefCloseToTray, true) {
		w.win.Close()
		return
	}
	w.win.Hide()
	w.unread.setHidden(true) // the clock's next wake-up sees it and stops
	if !p.Bool(prefTrayHintShown) {
		p.SetBool(prefTrayHintShown, true)
		where := w.srv.URL()
		if where == "" {
			where = "its address (now stopped)"
		}
		w.notes.sender.post(notify.Message{
			Title:   "Hookscope keeps running in the tray",
			Content: "The receiver still captures on " + where + ". Show the window or quit from the tray icon's menu.",
		})
	}
}

func (w *Window) showFromTray() {
	w.win.Show()
	w.win.RequestFocus()
	w.unread.setHidden(false)
	w.refreshTimes() // ages went stale while hidden; this arms the clock again
}

// showCaptureFromTray opens the window on a capture the tray listed.
func (w *Window) showCaptureFromTray(id store.ID) {
	w.showFromTray()
	if row := w.list.rowOf(id); row >= 0 {
		w.list.list.Select(row)
		w.list.list.ScrollTo(row)
		return
	}
	// Filtered out of the list: show it all the same.
	w.detail.show(id)
}
