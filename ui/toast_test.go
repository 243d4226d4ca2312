package ui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textColours are the colours of the text o draws.
func textColours(o fyne.CanvasObject) []color.Color {
	var out []color.Color
	for _, p := range visibleObjects(o) {
		if t, ok := p.o.(*canvas.Text); ok && t.Text != "" {
			out = append(out, t.Color)
		}
	}
	return out
}

func TestStatusLineAndToastsAreReadableInBothThemes(t *testing.T) {
	h := newHarness(t)
	for _, choice := range []string{themeLight, themeDark} {
		h.w.setTheme(choice)
		h.w.flash("Settings saved, but the receiver stays on 127.0.0.1:8787")
		h.w.top.message.Refresh()
		h.w.toasts.box.Refresh()
		bg := theme.Color(theme.ColorNameBackground)
		status := textColours(h.w.top.statusLine())
		if len(status) == 0 {
			t.Fatalf("%s: the status line draws no text", choice)
		}
		for _, c := range status {
			if r := contrast(c, bg); r < 4.5 {
				t.Errorf("%s: the status line's text is %.2f:1 against the window's background, under 4.5:1", choice, r)
			}
		}
		toastBg := h.w.toasts.box.bg.FillColor
		for _, c := range textColours(h.w.toasts.box.label) {
			if r := contrast(c, toastBg); r < 4.5 {
				t.Errorf("%s: the toast's text is %.2f:1 against its background, under 4.5:1", choice, r)
			}
		}
	}
}

func TestFlashShowsAToastThatGoes(t *testing.T) {
	h := newHarness(t)
	closed := make(chan bool, 1)
	h.w.notify(toastSpec{text: "Imported 3 captures; 2 lines skipped", importance: widget.WarningImportance, duration: 20 * time.Millisecond,
		onClose: func(acted bool) { closed <- acted }})
	if !h.w.toasts.box.Visible() || h.w.toasts.box.label.Text != "Imported 3 captures; 2 lines skipped" {
		t.Fatalf("toast shown %v with %q", h.w.toasts.box.Visible(), h.w.toasts.box.label.Text)
	}
	if h.w.top.message.Text != "Imported 3 captures; 2 lines skipped" {
		t.Errorf("the status line says %q", h.w.top.message.Text)
	}
	// Over the panels, at their bottom, inside the window.
	box, panels := h.w.toasts.box, h.w.layout.outer
	if box.Position().Y+box.Size().Height > panels.Size().Height || box.Size().Width > panels.Size().Width {
		t.Errorf("the toast at %v size %v is not inside the panels' %v", box.Position(), box.Size(), panels.Size())
	}
	h.q.until(t, "the toast to go", func() bool { return !h.w.toasts.box.Visible() })
	if acted := <-closed; acted {
		t.Error("a toast that timed out reports its action taken")
	}
	if h.w.top.message.Text == "" {
		t.Error("the status line forgot the message with the toast")
	}
}

func TestToastActionRunsOnceAndReplacingClosesTheFirst(t *testing.T) {
	h := newHarness(t)
	var log []string
	h.w.notify(toastSpec{text: "Deleted 3 captures", actionText: "Undo",
		onAction: func() { log = append(log, "undo") },
		onClose: func(acted bool) {
			if acted {
				log = append(log, "closed after undo")
			} else {
				log = append(log, "closed")
			}
		}})
	if !h.w.toasts.box.action.Visible() || h.w.toasts.box.action.Text != "Undo" {
		t.Fatalf("the toast's action button: shown %v, %q", h.w.toasts.box.action.Visible(), h.w.toasts.box.action.Text)
	}
	test.Tap(h.w.toasts.box.action)
	if got := strings.Join(log, ", "); got != "undo, closed after undo" {
		t.Fatalf("tapping Undo: %s", got)
	}
	if h.w.toasts.box.Visible() {
		t.Error("the toast stays after its action ran")
	}

	log = nil
	h.w.notify(toastSpec{text: "Deleted 1 capture", actionText: "Undo", onClose: func(acted bool) { log = append(log, "first closed") }})
	h.w.flash("Copied 12 B of body")
	if got := strings.Join(log, ", "); got != "first closed" {
		t.Errorf("a toast replaced by another: %q, want its onClose run once", got)
	}
	if h.w.toasts.box.action.Visible() {
		t.Error("the second toast shows the first's action button")
	}
	test.Tap(h.w.toasts.box.dismiss)
	if h.w.toasts.box.Visible() || h.w.toasts.text() != "" {
		t.Error("closing the toast left it on show")
	}
}

func TestCopyButtonsSayCopied(t *testing.T) {
	h := sized(t, fyne.NewSize(1600, 900))
	var body *copyButton
	for _, o := range h.w.detail.actions.Objects {
		if b, ok := o.(*copyButton); ok && b.label == "Copy body" {
			body = b
		}
	}
	if body == nil || !body.Visible() {
		t.Fatal("no Copy body button on show")
	}
	body.showingFor = 30 * time.Millisecond
	width := body.MinSize().Width
	test.Tap(body)
	if got := h.w.app.Clipboard().Content(); !strings.Contains(got, `"label"`) {
		t.Fatalf("Copy body copied %q", got)
	}
	if body.Text != copiedLabel || !body.copied() {
		t.Fatalf("after a copy the button reads %q", body.Text)
	}
	if body.MinSize().Width < width {
		t.Errorf("the button shrank from %v to %v while it says Copied, moving its neighbours", width, body.MinSize().Width)
	}
	if h.w.top.message.Text != "Copied 60 B of body" {
		t.Errorf("the status line says %q", h.w.top.message.Text)
	}
	h.q.until(t, "the button's own label back", func() bool { return body.Text == "Copy body" && !body.copied() })

	// An icon-only copy button (the receiver's URL) changes its icon only.
	var url *copyButton
	for _, p := range visibleObjects(h.w.top.object()) {
		if b, ok := p.o.(*copyButton); ok {
			url = b
		}
	}
	test.Tap(url)
	if url.Text != "" || !url.copied() || url.Icon.Name() == theme.ContentCopyIcon().Name() {
		t.Errorf("the URL's copy button after a copy: text %q, icon %s", url.Text, url.Icon.Name())
	}
	if got := h.w.app.Clipboard().Content(); got != h.srv.URL() {
		t.Errorf("copied %q, want the receiver's URL", got)
	}
}
