// Package ui is Hookscope's window: the receiver's status, the live capture
// list and the detail of the selected capture. It is the only package besides
// main that imports Fyne.
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/receiver"
	"hookscope/store"
	"hookscope/tunnel"
)

// Window is the main window and the state its panels share.
type Window struct {
	app  fyne.App
	win  fyne.Window
	st   *store.Store
	srv  *receiver.Server
	addr string
	// themeChoice is System, Light or Dark.
	themeChoice string

	// do runs a function on the UI goroutine: fyne.Do, or in tests a queue
	// the test goroutine drains, so tests read widgets without racing.
	do func(func())

	// editor is the project editor open over the window, so that store
	// events can refresh the log it shows. It is modal: at most one.
	editor *projectEditor

	top *topBar
	// toasts show confirmations and errors over the panels; layout is what
	// of the window's layout is remembered.
	toasts *toaster
	layout windowState
	// tunnel runs the Public URL and public shows it; both nil when main
	// gave no manager.
	tunnel *tunnel.Manager
	public *publicBar
	side   *sidebar
	list   *captureList
	detail *detailPanel
	bridge *bridge
	// replaysPane is the Replays tab on show, so a replay sent from anywhere
	// refreshes it.
	replaysPane *replaysPane
	keeper      canvasKeeper
	clock       ageClock
	// bus answers whether the desktop has a notification daemon and a
	// tray host; notes, unread and tray are in notify.go, unread.go, tray.go.
	bus    desktopBus
	notes  *notifications
	unread *unreadState
	tray   *trayIcon
	life   *lifetime
	// dialogs are the dialogs open over the window (dialogs.go); undo
	// offers Undo after a deletion (undo.go).
	dialogs dialogs
	undo    *undoBar
	// flags are the command line's settings: a flag's value is shown in
	// Settings but saved only when the user changes it.
	flags Config
	// startup gives back the heap the window's start left free (memory.go).
	startup startupMemory
}

// New builds the main window with the saved settings, the command line's
// flags winning. The receiver starts when the window shows; a busy port asks
// the user for another one.
func New(a fyne.App, st *store.Store, srv *receiver.Server, cfg Config) *Window {
	w := newWindow(a, st, srv, cfg, fyne.Do)
	w.notes.sender.to = platformNotifier(a)
	return w
}

func newWindow(a fyne.App, st *store.Store, srv *receiver.Server, cfg Config, do func(func())) *Window {
	w := &Window{app: a, st: st, srv: srv, tunnel: cfg.Tunnel, keeper: canvasKeeper{canvasOf: a.Driver().CanvasForObject}, life: newLifetime(), startup: newStartupMemory()}
	w.do = w.life.guard(do)
	w.applyPreferences(cfg)
	w.win = a.NewWindow("Hookscope")
	w.initDesktop()
	w.detail = newDetailPanel(w)
	w.list = newCaptureList(w)
	w.side = newSidebar(w)
	w.top = newTopBar(w)
	w.toasts = newToaster(w.do)
	bands := &windowLayout{top: w.top.object(), topHeight: w.top.heightFor, toasts: w.toasts.object()}
	if w.tunnel != nil {
		w.public = newPublicBar(w)
		bands.public = w.public.object()
	}
	w.bridge = newBridge(st, w.do, w.onStoreEvents)

	w.layout.inner = container.NewHSplit(w.list.object(), w.detail.object())
	w.layout.outer = container.NewHSplit(w.side.object(), w.layout.inner)
	w.layout.tabs = w.detail.tabs
	bands.panels = w.layout.outer
	// The Undo banner sits above the status line, under the panels.
	w.undo = newUndoBar(w)
	bands.status = container.NewVBox(w.undo.object(), w.top.statusLine())
	w.win.SetContent(container.New(bands, bands.objects()...))
	w.restoreLayout()
	a.Lifecycle().SetOnStopped(w.saveLayout)
	// Highlight colours follow the theme.
	a.Settings().AddListener(func(fyne.Settings) { w.detail.renderBody() })
	srv.Projects().OnReverify(w.onReverify)
	srv.Projects().OnAdopt(w.onAdopt)
	w.win.SetMainMenu(w.mainMenu())
	w.installShortcuts()
	w.win.SetOnClosed(func() {
		w.saveLayout()
		w.end()
	})
	return w
}

// Content is the window's content, for tests.
func (w *Window) Content() fyne.CanvasObject { return w.win.Content() }

// Start starts the receiver and the live updates; ShowAndRun calls it.
func (w *Window) Start() {
	w.bridge.start()
	w.startClock()
	w.list.reload()
	w.side.reload()
	w.startReceiver(w.addr)
	if w.public != nil {
		w.public.start()
	}
	w.startTray()
	w.askAboutSurplus()
}

// ShowAndRun starts everything and blocks until the window closes.
func (w *Window) ShowAndRun() {
	w.Start()
	w.run()
}

// run shows the window until the app quits, perhaps without closing the
// window (see lifetime), then ends its background work.
func (w *Window) run() {
	stop := w.watchSignals()
	defer stop()
	w.win.ShowAndRun()
	w.end()
}

// startReceiver binds in the background: a listen error comes back as a
// dialog that offers another address.
func (w *Window) startReceiver(addr string) {
	backgroundDo(w, func() error { return w.srv.Start(addr) }, func(err error) {
		w.top.refreshStatus()
		w.list.refreshEmptyState()
		if err != nil {
			w.askForAddress(addr, err)
		}
	})
}

func (w *Window) stopReceiver() {
	background(w, func() (struct{}, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return struct{}{}, w.srv.Stop(ctx)
	}, func(_ struct{}, err error) {
		w.top.refreshStatus()
		w.tray.refresh()
		w.list.refreshEmptyState()
		if err != nil {
			dialog.ShowError(err, w.win)
		}
	})
}

// askForAddress shows why listening failed and lets the user try another
// address without restarting the app.
func (w *Window) askForAddress(tried string, cause error) {
	entry := newEscEntry(w.escape)
	entry.SetText(suggestAddress(tried))
	msg := widget.NewLabel(cause.Error())
	msg.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(msg, widget.NewForm(widget.NewFormItem("Listen on", entry)))
	d := dialog.NewCustomConfirm("The receiver could not start", "Listen", "Stay stopped", content, func(ok bool) {
		if ok {
			w.moveReceiver(strings.TrimSpace(entry.Text))
		}
	}, w.win)
	d.Resize(fyne.NewSize(520, 220))
	w.showDialog("", d, nil)
}

// ShowFatal shows an error that keeps Hookscope from starting (a database
// held by another instance, say) and quits when it is dismissed.
func ShowFatal(a fyne.App, err error) {
	win := a.NewWindow("Hookscope")
	win.Resize(fyne.NewSize(640, 240))
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", func() { a.Quit() })
	win.SetContent(container.NewBorder(widget.NewLabelWithStyle("Hookscope cannot start", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), quit, nil, nil, msg))
	win.ShowAndRun()
}

// dark reports whether the theme in use is the dark variant, which picks the
// highlighting style.
func (w *Window) dark() bool {
	switch w.themeChoice {
	case themeDark:
		return true
	case themeLight:
		return false
	}
	return w.app.Settings().ThemeVariant() == theme.VariantDark
}

// flash shows a confirmation as a toast, and keeps it in the status line.
func (w *Window) flash(msg string) { w.notify(toastSpec{text: msg}) }

// warn shows something that did not go as asked (a setting not applied,
// imports skipped) as a warning toast, and keeps it in the status line.
func (w *Window) warn(msg string) {
	w.notify(toastSpec{text: msg, importance: widget.WarningImportance})
}

// progress says how far background work has got in the status line only:
// a toast every hundred captures would cover the panels for as long.
func (w *Window) progress(msg string) { w.top.flash(msg) }

// notify shows a toast and keeps its text in the status line, for when the
// toast has gone.
func (w *Window) notify(s toastSpec) {
	w.top.flash(s.text)
	w.toasts.show(s)
}

// onReverify shows the background re-check of a project's
// signatures (after its secret or scheme changed). It runs on the re-check's
// goroutine, so it reports every 100 captures and at the end.
func (w *Window) onReverify(slug string, done, total int) {
	if done%100 != 0 && done != total {
		return
	}
	if done != total {
		w.do(func() { w.progress(fmt.Sprintf("Re-checking the signatures of %s: %d of %d", slug, done, total)) })
		return
	}
	w.do(func() { w.flash(fmt.Sprintf("Re-checked the signatures of %s of %s", captureCount(total), slug)) })
}

// onAdopt shows a project taking in captures in the background: a new
// project its earlier Unsorted ones, a renamed one its own, Unsorted (slug
// "") those of a deleted project. Like onReverify it reports every 100.
func (w *Window) onAdopt(slug string, done, total int) {
	if done%100 != 0 && done != total {
		return
	}
	into := slug
	if slug == "" {
		into = "Unsorted"
	}
	if done != total {
		w.do(func() { w.progress(fmt.Sprintf("Moving captures into %s: %d of %d", into, done, total)) })
		return
	}
	w.do(func() { w.flash(fmt.Sprintf("Moved %s into %s", captureCount(total), into)) })
}

// clockTick is how often a relative time filter moves, and the shortest
// wait between two redraws of ages (see ageClock). A redraw re-binds only
// the rows in view, from the summary cache.
const clockTick = time.Second
