package ui

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// pressEscape types Escape on the window's canvas with nothing focused.
func (h *harness) pressEscape() {
	h.w.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

func (h *harness) topOverlay() fyne.CanvasObject { return h.w.win.Canvas().Overlays().Top() }

// Escape closes every dialog as its Cancel would: nothing it held is
// applied.
func TestEscapeClosesEveryDialog(t *testing.T) {
	h := newHarness(t)
	id := h.post("/esc", "application/json", `{"a":1}`)
	h.q.until(t, "the row", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil })
	before, _ := h.st.Retention()

	openers := []struct {
		name string
		open func()
	}{
		{"settings", func() { h.w.openSettings().count.SetText("7") }},
		{"export", func() { h.w.exportFiltered("har") }},
		{"import", h.w.importFile},
		{"clear all", h.w.confirmClear},
		{"edit and replay", h.w.editAndReplayShown},
		{"bulk replay", func() { h.w.showBulkReplay([]store.ID{id}) }},
		{"project editor", h.w.newProject},
		{"receiver address", func() { h.w.askForAddress("127.0.0.1:1", net.ErrClosed) }},
	}
	for _, o := range openers {
		o.open()
		h.q.until(t, o.name+" to open", func() bool { return h.topOverlay() != nil })
		h.pressEscape()
		if h.topOverlay() != nil {
			t.Fatalf("Escape left the %s dialog open: %q", o.name, shownText(h.topOverlay()))
		}
	}
	if n, _ := h.st.Retention(); n != before {
		t.Fatalf("Escape saved the settings: retention %d", n)
	}
	if _, err := h.st.Get(id); err != nil {
		t.Fatalf("Escape over Clear all deleted: %v", err)
	}
	if h.w.editor != nil {
		t.Fatal("the project editor is still open")
	}
}

// A field with the keyboard focus hands Escape to its dialog.
func TestEscapeInAFocusedFieldClosesItsDialog(t *testing.T) {
	h := newHarness(t)
	f := h.w.openSettings()
	h.w.win.Canvas().Focus(f.addr)
	test.Type(f.addr, "9")
	f.addr.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.topOverlay() != nil {
		t.Fatal("Escape in the address field left Settings open")
	}
	e := h.w.exportFiltered("jsonl")
	e.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.topOverlay() != nil {
		t.Fatal("Escape in the export path left the dialog open")
	}
}

// A confirmation's Escape is its Cancel: "Keep them" leaves the retention.
func TestEscapeOverTheRetentionQuestionKeepsTheCaptures(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/1", "/2"} {
		h.post(p, "text/plain", "x")
	}
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	before, _ := h.st.Retention()
	f := h.w.openSettings()
	f.count.SetText("1")
	test.Tap(f.save)
	h.q.until(t, "the question", func() bool {
		return h.topOverlay() != nil && strings.Contains(gridText(h.topOverlay()), "deletes about 1")
	})
	h.pressEscape()
	h.q.until(t, "the answer's message", func() bool { return strings.Contains(h.w.top.message.Text, "retention left as it was") })
	if n, _ := h.st.Retention(); n != before || h.rows() != 2 {
		t.Fatalf("retention %d, %d rows after Escape", n, h.rows())
	}
}

// The shortcut and the menu item open one Settings dialog, however often
// they are used; a second open returns the form on show.
func TestSettingsShortcutOpensOneDialog(t *testing.T) {
	h := newHarness(t)
	sc := h.w.win.Canvas().(fyne.Shortcutable)
	sc.TypedShortcut(keySettings)
	first := h.w.dialogOf(dialogSettings)
	if first == nil {
		t.Fatal("Ctrl+, opened no Settings")
	}
	first.value.(*settingsForm).count.SetText("42")
	sc.TypedShortcut(keySettings)
	menuItem(t, h.w, "Settings…").Action()
	if n := len(h.w.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d overlays after three opens, want one Settings", n)
	}
	if f := h.w.openSettings(); f != first.value.(*settingsForm) || f.count.Text != "42" {
		t.Fatalf("a second open gave another form (count %q)", f.count.Text)
	}
}

func TestEditAndReplayShortcutOpensOneDialog(t *testing.T) {
	h := newHarness(t)
	h.post("/one", "text/plain", "x")
	h.q.until(t, "the row", func() bool { return h.rows() == 1 })
	h.w.list.list.Select(0)
	h.q.until(t, "the detail", func() bool { return h.w.detail.capture != nil })
	sc := h.w.win.Canvas().(fyne.Shortcutable)
	sc.TypedShortcut(keyEditReplay)
	h.q.until(t, "the replay dialog", func() bool { return h.w.dialogOf(dialogReplay) != nil })
	sc.TypedShortcut(keyEditReplay)
	menuItem(t, h.w, "Edit and replay…").Action()
	// Work queued after a second dialog's project lookup lands after it.
	landed := false
	background(h.w, func() (struct{}, error) { return struct{}{}, nil }, func(struct{}, error) { landed = true })
	h.q.until(t, "queued work", func() bool { return landed })
	if n := len(h.w.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d overlays, want one replay dialog", n)
	}
}

func menuItem(t *testing.T, w *Window, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// "Settings saved" comes once the retention question is answered, not
// while it is asked.
func TestSettingsSavedWaitsForTheRetentionAnswer(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/1", "/2", "/3"} {
		h.post(p, "text/plain", "x")
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	f := h.w.openSettings()
	f.count.SetText("1")
	test.Tap(f.save)
	h.q.until(t, "the question", func() bool {
		return h.topOverlay() != nil && strings.Contains(gridText(h.topOverlay()), "deletes about 2")
	})
	if strings.Contains(h.w.top.message.Text, "Settings saved") {
		t.Fatalf("the status says %q while the question is open", h.w.top.message.Text)
	}
	test.Tap(findButton(t, h.topOverlay(), "Delete them"))
	if !strings.Contains(h.w.top.message.Text, "Settings saved") {
		t.Fatalf("after the answer the status says %q", h.w.top.message.Text)
	}
}

// A busy address is said under the field; Settings stay open with what the
// user typed, and nothing else pops up.
func TestSettingsShowABusyAddressInline(t *testing.T) {
	h := newHarness(t)
	old := h.srv.Addr()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	f := h.w.openSettings()
	dlg := h.topOverlay()
	f.addr.SetText(busy.Addr().String())
	f.hours.SetText("5")
	test.Tap(f.save)
	h.q.until(t, "the inline error", func() bool { return strings.Contains(shownText(dlg), "the receiver stays on "+old) })
	if h.topOverlay() != dlg || len(h.w.win.Canvas().Overlays().List()) != 1 {
		t.Fatalf("another dialog opened: %q", shownText(h.topOverlay()))
	}
	if f.addr.Text != busy.Addr().String() || f.hours.Text != "5" {
		t.Fatalf("the form lost the input: %q %q", f.addr.Text, f.hours.Text)
	}
	if h.srv.Addr() != old || h.w.app.Preferences().String(prefAddr) != "" {
		t.Fatalf("receiver on %q, saved %q", h.srv.Addr(), h.w.app.Preferences().String(prefAddr))
	}
	if _, age := h.st.Retention(); age != 0 {
		t.Fatalf("the other settings were applied: age %v", age)
	}
	resp, err := http.Post("http://"+old+"/still", "text/plain", strings.NewReader("x"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("capture on the old address: %v", err)
	}
	resp.Body.Close()
}

// --addr and --max-body: Settings say so, and save neither unless the user
// changes the field.
func TestSettingsSaveAFlagsValueOnlyWhenChanged(t *testing.T) {
	h := newHarnessWith(t, func(w *Window) { w.flags.MaxBodySet = true })
	f := h.w.openSettings()
	hints := shownText(h.topOverlay())
	for _, want := range []string{"set by --addr for this run", "set by --max-body for this run"} {
		if !strings.Contains(hints, want) {
			t.Fatalf("Settings do not say %q", want)
		}
	}
	test.Tap(f.save)
	h.q.until(t, "saved", func() bool { return strings.Contains(h.w.top.message.Text, "Settings saved") })
	p := h.w.app.Preferences()
	if p.String(prefAddr) != "" || p.Int(prefMaxBody) != 0 {
		t.Fatalf("the flags' values were saved: %q, %d", p.String(prefAddr), p.Int(prefMaxBody))
	}
	f = h.w.openSettings()
	f.maxBody.SetText("3")
	test.Tap(f.save)
	if p.Int(prefMaxBody) != 3<<20 || h.srv.MaxBody() != 3<<20 {
		t.Fatalf("a changed max body: saved %d, in force %d", p.Int(prefMaxBody), h.srv.MaxBody())
	}
}

// With the Public URL's fields, Settings fit laptop screens: the dialog and
// its buttons are inside the window, and the last field can be brought into
// view above the buttons.
func TestSettingsFitLaptopScreens(t *testing.T) {
	h, _ := newTunnelHarness(t, nil)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject
	for _, size := range []fyne.Size{fyne.NewSize(1280, 720), fyne.NewSize(1024, 700)} {
		h.w.win.Resize(size)
		f := h.w.openSettings()
		win := h.w.win.Canvas().Size()
		popup := h.topOverlay().(*widget.PopUp).Content
		inside := func(o fyne.CanvasObject) bool {
			pos := abs(o)
			return pos.X >= 0 && pos.Y >= 0 && pos.X+o.Size().Width <= win.Width && pos.Y+o.Size().Height <= win.Height
		}
		if !inside(popup) || !inside(f.save) {
			t.Fatalf("at %v the dialog (%v) or Save is outside the window (%v)", size, popup.Size(), win)
		}
		for _, s := range scrollsIn(popup) {
			s.ScrollToBottom()
		}
		last := f.tunnel.customURL
		if bottom := abs(last).Y + last.Size().Height; bottom > abs(f.save).Y || !inside(last) {
			t.Fatalf("at %v the last field (bottom %v) cannot be brought above the buttons (at %v)", size, bottom, abs(f.save).Y)
		}
		// The Public URL's fields hand Escape to the dialog too.
		last.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if h.topOverlay() != nil {
			t.Fatal("Escape in the public URL field left Settings open")
		}
	}
}
