package ui

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
	"hookscope/tunnel"
)

func TestAQuickTunnelsNewURLIsNoticedUntilCopied(t *testing.T) {
	const old, fresh, third = "https://old-words-here.trycloudflare.com", "https://new-words-here.trycloudflare.com", "https://third-words.trycloudflare.com"
	// The app ran before with old.
	h, ft := newTunnelHarness(t, &store.TunnelSettings{Provider: tunnel.Cloudflared, LastURL: old})
	p := h.w.public
	run := ft.next(t)
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: fresh})
	want := "New public URL — the previous one (" + old + ") no longer works: update your platform's webhook settings"
	h.q.until(t, "the change noticed", func() bool { return strings.HasPrefix(p.note.Text, want) })

	// It crashes and comes back twice: the URL the user has is still old.
	run.end <- errors.New("cloudflared exited")
	run = ft.next(t)
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: third})
	h.q.until(t, "the third URL", func() bool { return p.state.Text == third })
	if !strings.HasPrefix(p.note.Text, want) {
		t.Fatalf("note %q, want the URL the user had named", p.note.Text)
	}

	test.Tap(p.copy)
	if strings.Contains(p.note.Text, "no longer works") {
		t.Fatalf("the notice stays after the new URL was copied: %q", p.note.Text)
	}
	h.q.until(t, "the copied URL remembered", func() bool {
		ts, err := h.st.TunnelSettings()
		return err == nil && ts.LastURL == third && ts.Provider == tunnel.Cloudflared
	})

	// A restart within the run: the copied URL is the previous one now.
	run.end <- errors.New("cloudflared exited")
	run = ft.next(t)
	run.report(tunnel.State{Status: tunnel.StatusOnline, URL: fresh})
	h.q.until(t, "the next change noticed", func() bool { return strings.Contains(p.note.Text, "("+third+") no longer works") })
}

func TestTheFirstPublicURLIsNoChange(t *testing.T) {
	const first = "https://first-words.trycloudflare.com"
	h, ft := newTunnelHarness(t, &store.TunnelSettings{Provider: tunnel.Cloudflared})
	p := h.w.public
	ft.next(t).report(tunnel.State{Status: tunnel.StatusOnline, URL: first})
	h.q.until(t, "online", func() bool { return p.state.Text == first })
	if strings.Contains(p.note.Text, "no longer works") {
		t.Fatalf("the first URL is noticed as a change: %q", p.note.Text)
	}
	h.q.until(t, "the first URL remembered", func() bool {
		ts, err := h.st.TunnelSettings()
		return err == nil && ts.LastURL == first
	})
}

// Before the bar remembered any URL, the manager's PreviousURL names the
// one a restart replaced.
func TestTheManagersPreviousURLIsNoticed(t *testing.T) {
	h, _ := newTunnelHarness(t, nil)
	p := h.w.public
	const old, fresh = "https://old-words-here.trycloudflare.com", "https://new-words-here.trycloudflare.com"
	p.show(tunnel.State{Provider: tunnel.Cloudflared, Status: tunnel.StatusOnline, URL: fresh, PreviousURL: old})
	if !strings.HasPrefix(p.note.Text, "New public URL — the previous one ("+old+") no longer works") {
		t.Fatalf("note %q does not name the previous URL", p.note.Text)
	}
}

// cloudflared's reason quotes its log; it used to wrap over three lines and
// push the sidebar and the list down under the user's pointer.
func TestAFailureKeepsTheBarOneLineHigh(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := h.w.public
	h.w.win.Resize(fyne.NewSize(1024, 700))
	offHeight := p.content.MinSize().Height
	p.choice.SetSelected(choiceCloudflared)
	run := ft.next(t)
	// As the tunnel package words it: the reason, then the log lines.
	reason := "cloudflared could not request a quick tunnel (no network?) (exit status 1); cloudflared said: " +
		"2026-12-01T05:12:03Z INF Requesting new quick Tunnel on trycloudflare.com... | " +
		"2026-12-01T05:12:04Z ERR failed to request quick Tunnel: Post \"https://api.trycloudflare.com/tunnel\": dial tcp: lookup api.trycloudflare.com: no such host | " +
		"2026-12-01T05:12:04Z ERR failed to request quick Tunnel error=\"context deadline exceeded\" and a great deal more text after it"
	run.end <- &tunnel.Permanent{Err: errors.New(reason), Hint: "check this machine reaches the internet, then Retry"}
	h.q.until(t, "failed", func() bool { return p.state.Text == "cloudflared failed" })
	if strings.Contains(p.note.Text, "\n") || p.note.Text != "cloudflared could not request a quick tunnel (no network?) (exit status 1) — check this machine reaches the internet, then Retry" {
		t.Fatalf("note %q: want the reason's first line and what to do, on one line", p.note.Text)
	}
	if got := p.content.MinSize().Height; got != offHeight {
		t.Fatalf("the bar is %v high failed, %v off: the layout moves", got, offHeight)
	}
	if !p.details.Visible() {
		t.Fatal("no Details for the whole reason")
	}
	test.Tap(p.details)
	if p.shownDetails == nil {
		t.Fatal("Details opened nothing")
	}
	var shown []string
	for _, o := range test.LaidOutObjects(h.w.win.Canvas().Overlays().Top()) {
		if txt, ok := o.(*canvas.Text); ok {
			shown = append(shown, txt.Text)
		}
	}
	all := strings.Join(shown, " ")
	for _, s := range []string{"no such host", "context deadline exceeded", "check this machine reaches the internet"} {
		if !strings.Contains(all, s) {
			t.Errorf("Details lack %q", s)
		}
	}
}

// contrast is WCAG 2's contrast ratio of two colours
// (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		ch := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(bl)
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// illegible lists the texts in o under 4.5:1 against the window's
// background in th.
func illegible(o fyne.CanvasObject, th fyne.Theme, v fyne.ThemeVariant) []string {
	bg := th.Color(theme.ColorNameBackground, v)
	var bad []string
	for _, obj := range test.LaidOutObjects(o) {
		txt, ok := obj.(*canvas.Text)
		if !ok || strings.TrimSpace(txt.Text) == "" || !txt.Visible() {
			continue
		}
		if r := contrast(txt.Color, bg); r < 4.5 {
			bad = append(bad, fmt.Sprintf("%q %.2f:1", txt.Text, r))
		}
	}
	return bad
}

func TestPublicURLTextIsLegibleInBothThemes(t *testing.T) {
	h, ft := newTunnelHarness(t, nil)
	p := h.w.public
	p.choice.SetSelected(choiceCloudflared)
	run := ft.next(t)
	states := map[string]tunnel.State{
		"online":       {Provider: tunnel.Cloudflared, Status: tunnel.StatusOnline, URL: "https://calm-river.trycloudflare.com"},
		"your own URL": {Provider: tunnel.Custom, Status: tunnel.StatusOnline, URL: "https://me.tailnet.ts.net", Target: "127.0.0.1:8788"},
		"reconnecting": {Provider: tunnel.Cloudflared, Status: tunnel.StatusReconnecting, Err: "cloudflared lost its connection"},
		"failed":       {Provider: tunnel.Cloudflared, Status: tunnel.StatusFailed, Err: "cloudflared exited", Hint: "Retry"},
	}
	_ = run
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := variantTheme{theme.DefaultTheme(), v}
		h.w.app.Settings().SetTheme(th)
		for name, s := range states {
			p.show(s)
			p.content.Refresh()
			if bad := illegible(p.content, th, v); len(bad) > 0 {
				t.Errorf("variant %d, %s: under 4.5:1: %v", v, name, bad)
			}
		}
		c := &store.Capture{Via: tunnel.Cloudflared, Header: map[string][]string{"Cf-Ray": {"8c1f"}, "Content-Type": {"text/plain"}}}
		hv := h.w.headersView(c)
		if bad := illegible(hv, th, v); len(bad) > 0 {
			t.Errorf("variant %d, Headers tab: under 4.5:1: %v", v, bad)
		}
		table := findTable(t, hv)
		rows, cols := table.Length()
		for r := range rows {
			for col := range cols {
				cell := table.CreateCell()
				cell.Resize(fyne.NewSize(300, 40))
				table.UpdateCell(widget.TableCellID{Row: r, Col: col}, cell)
				if bad := illegible(cell, th, v); len(bad) > 0 {
					t.Errorf("variant %d, Headers tab row %d: under 4.5:1: %v", v, r, bad)
				}
			}
		}
	}
}
