package ui

import (
	"cmp"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
	"hookscope/tunnel"
)

// The Public URL choices, as the top bar's dropdown shows them.
const (
	choiceOff         = "No public URL"
	choiceCloudflared = "cloudflared"
	choiceNgrok       = "ngrok"
	choiceCustom      = "Your own URL"
)

var publicChoices = []string{choiceOff, choiceCloudflared, choiceNgrok, choiceCustom}

func choiceOf(provider string) string {
	switch provider {
	case tunnel.Cloudflared:
		return choiceCloudflared
	case tunnel.Ngrok:
		return choiceNgrok
	case tunnel.Custom:
		return choiceCustom
	}
	return choiceOff
}

func providerOf(choice string) string {
	switch choice {
	case choiceCloudflared:
		return tunnel.Cloudflared
	case choiceNgrok:
		return tunnel.Ngrok
	case choiceCustom:
		return tunnel.Custom
	}
	return tunnel.Off
}

// tunnelConfig is what the manager needs of the saved settings.
func tunnelConfig(ts store.TunnelSettings) tunnel.Config {
	return tunnel.Config{
		Provider:        ts.Provider,
		CloudflaredPath: ts.CloudflaredPath,
		NgrokAuthtoken:  ts.NgrokAuthtoken,
		NgrokDomain:     ts.NgrokDomain,
		CustomURL:       ts.CustomURL,
	}
}

// publicBar is the top bar's second row: the Public URL the app runs (a
// tunnel from the internet to the capture-only handler), its state, and
// what the user can do about it. Senders in the cloud cannot reach
// 127.0.0.1; this is how they reach Hookscope.
//
// The row is one line high whatever the state: a long reason is cut with an
// ellipsis and shown whole behind Details (a wrapping reason pushed the
// sidebar and the list down under the user's pointer). Text is in the
// theme's foreground colour; colour marks the state in the icon only (the
// theme's green, orange and red on white are under WCAG's 4.5:1 for text).
type publicBar struct {
	w      *Window
	choice *dropdown
	icon   *widget.Icon
	state  *widget.Label // "Starting cloudflared…", the URL, "cloudflared failed"
	tag    *widget.Label // "reconnecting…", "your own URL (not checked)"
	copy   *copyButton
	retry  *widget.Button
	// note says what to do: the reason and hint of a failure, where your
	// own tunnel must deliver, that the URL changed.
	note       *widget.Label
	copyTarget *copyButton    // copies the address your own tunnel delivers to
	details    *widget.Button // the whole reason and log lines
	content    fyne.CanvasObject

	// saved are the settings as stored, current is the manager's last
	// state; both are read and written on the UI goroutine only.
	saved   store.TunnelSettings
	loaded  bool
	current tunnel.State
	// shownURL is the URL on show (the last one while reconnecting);
	// lastURL the last online URL, from the store at start; previous the
	// URL it replaced, until the user copies the new one.
	shownURL string
	lastURL  string
	previous string
	quiet    bool // set while the bar sets the dropdown itself
	unsub    func()
	// settings is the settings form the bar opened last, and shownDetails
	// the Details dialog, for tests.
	settings     *settingsForm
	shownDetails dialog.Dialog

	// setMu serialises Set calls made in the background; setSeq skips a
	// call a newer choice has overtaken.
	setMu  sync.Mutex
	setSeq int
	seq    int
}

func newPublicBar(w *Window) *publicBar {
	p := &publicBar{w: w}
	p.choice = newDropdown(w.win.Canvas, publicChoices, p.onChoose)
	p.setChoice(tunnel.Off)
	p.icon = widget.NewIcon(nil)
	p.state = widget.NewLabel("")
	p.tag = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	p.copy = w.newCopyButton("", p.copyURL)
	p.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), p.onRetry)
	p.note = widget.NewLabel("")
	p.note.Truncation = fyne.TextTruncateEllipsis
	p.copyTarget = w.newCopyButton("Address", p.copyTargetAddr)
	p.details = widget.NewButtonWithIcon("Details", theme.InfoIcon(), p.showDetails)
	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), func() { p.openSettings(tunnel.Off) })
	title := widget.NewLabel("Public URL")
	// As wide as its longest choice: a Select sizes to what it shows.
	choiceWidth := fyne.MeasureText(choiceOff, theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding() + theme.IconInlineSize()
	left := container.NewHBox(title, fixedWidth(p.choice, choiceWidth), p.icon, p.state, p.tag, p.copy, p.retry)
	right := container.NewHBox(p.copyTarget, p.details, settings)
	p.content = container.NewBorder(nil, nil, left, right, p.note)
	p.show(tunnel.State{Status: tunnel.StatusOff})
	return p
}

func (p *publicBar) object() fyne.CanvasObject { return p.content }

// start follows the manager and starts the tunnel that was on when the app
// last ran.
func (p *publicBar) start() {
	p.unsub = p.w.tunnel.Subscribe(func(s tunnel.State) { p.w.do(func() { p.show(s) }) })
	background(p.w, p.w.st.TunnelSettings, func(ts store.TunnelSettings, err error) {
		if err != nil {
			p.note.SetText("Could not read the Public URL settings: " + err.Error())
			return
		}
		p.saved, p.loaded = ts, true
		p.setChoice(ts.Provider)
		p.show(p.current)
		if ts.Provider != tunnel.Off {
			p.set(tunnelConfig(ts))
		}
	})
}

func (p *publicBar) stop() {
	if p.unsub != nil {
		p.unsub()
	}
}

func (p *publicBar) setChoice(provider string) {
	p.quiet = true
	p.choice.SetSelected(choiceOf(provider))
	p.quiet = false
}

// onChoose starts the tunnel chosen, or opens Settings at the field it
// still needs.
func (p *publicBar) onChoose(choice string) {
	if p.quiet {
		return
	}
	if !p.loaded {
		// Saving now would overwrite the settings still being read.
		p.setChoice(tunnel.Off)
		return
	}
	provider := providerOf(choice)
	if missing := p.needs(provider, p.saved); missing {
		p.setChoice(p.saved.Provider)
		p.openSettings(provider)
		return
	}
	ts := p.saved
	ts.Provider = provider
	p.save(ts)
}

// needs reports whether provider cannot start with ts: ngrok wants an
// authtoken, your own URL the URL.
func (p *publicBar) needs(provider string, ts store.TunnelSettings) bool {
	switch provider {
	case tunnel.Ngrok:
		return ts.NgrokAuthtoken == ""
	case tunnel.Custom:
		return ts.CustomURL == ""
	}
	return false
}

// save stores ts and (re)starts the tunnel it names when that changes what
// runs.
func (p *publicBar) save(ts store.TunnelSettings) {
	old := p.saved
	p.saved = ts
	p.setChoice(ts.Provider)
	backgroundDo(p.w, func() error { return p.w.st.PutTunnelSettings(ts) }, func(err error) {
		if err != nil {
			p.w.warn("The Public URL choice was not saved: " + err.Error())
		}
	})
	if tunnelConfig(ts) != tunnelConfig(old) || p.current.Status == tunnel.StatusFailed {
		p.set(tunnelConfig(ts))
	}
}

// set hands cfg to the manager in the background (Set waits for the old
// tunnel to stop); of two quick choices, the last one wins.
func (p *publicBar) set(cfg tunnel.Config) {
	p.seq++
	seq := p.seq
	m := p.w.tunnel
	go func() {
		p.setMu.Lock()
		defer p.setMu.Unlock()
		if seq < p.setSeq {
			return
		}
		p.setSeq = seq
		// A Config the manager refuses changes nothing there (the tunnel
		// in force keeps running): the bar says why instead.
		if err := m.Set(cfg); err != nil {
			refused := tunnel.State{Provider: cfg.Provider, Status: tunnel.StatusFailed, Err: err.Error()}
			var perm *tunnel.Permanent
			if errors.As(err, &perm) {
				refused.Hint = perm.Hint
			}
			p.w.do(func() { p.show(refused) })
		}
	}()
}

func (p *publicBar) onRetry() { p.set(p.w.tunnel.Config()) }

func (p *publicBar) copyURL() string {
	u := p.shownURL
	if u == "" {
		return ""
	}
	p.w.app.Clipboard().SetContent(u)
	p.seen(u)
	return "Copied " + u
}

func (p *publicBar) copyTargetAddr() string {
	t := p.current.Target
	if t == "" {
		return ""
	}
	u := "http://" + t
	p.w.app.Clipboard().SetContent(u)
	return "Copied " + u
}

// show puts the manager's state in the bar.
func (p *publicBar) show(s tunnel.State) {
	p.current = s
	// The API can switch the tunnel too: the choice follows what runs.
	p.setChoice(s.Provider)
	p.noticeChange(s)
	p.copy.Hide()
	p.retry.Hide()
	p.copyTarget.Hide()
	p.details.Hide()
	p.tag.SetText("")
	p.shownURL = ""
	p.state.TextStyle = fyne.TextStyle{}
	name := choiceOf(s.Provider)
	switch s.Status {
	case tunnel.StatusStarting:
		p.setIcon(theme.ViewRefreshIcon(), theme.ColorNameForeground)
		p.state.SetText("Starting " + viaName(s.Provider) + "…")
		p.note.SetText("")
	case tunnel.StatusOnline:
		p.showURL(s.URL)
		p.note.SetText(onlineNote(s))
		if s.Provider == tunnel.Custom {
			// Hookscope cannot tell whether the user's tunnel works.
			p.setIcon(theme.InfoIcon(), theme.ColorNameForeground)
			p.tag.SetText("your own URL (not checked)")
			p.copyTarget.Show()
		} else {
			p.setIcon(theme.ConfirmIcon(), theme.ColorNameSuccess)
		}
		if p.previous != "" {
			p.setIcon(theme.WarningIcon(), theme.ColorNameWarning)
			p.note.SetText(changedNote(p.previous))
		}
	case tunnel.StatusReconnecting:
		p.setIcon(theme.ViewRefreshIcon(), theme.ColorNameWarning)
		if u := cmp.Or(s.URL, p.lastURL); u != "" && s.Provider != tunnel.Custom {
			// The URL usually comes back unchanged: keep it to copy.
			p.showURL(u)
			p.state.TextStyle.Italic = true
			p.tag.SetText("reconnecting…")
		} else {
			p.state.SetText("Reconnecting " + viaName(s.Provider) + "…")
		}
		p.showReason(s)
	case tunnel.StatusFailed:
		p.setIcon(theme.ErrorIcon(), theme.ColorNameError)
		p.state.SetText(name + " failed")
		p.retry.Show()
		p.showReason(s)
	default:
		p.icon.SetResource(nil)
		p.state.SetText("")
		p.note.SetText("Senders in the cloud cannot reach 127.0.0.1: choose cloudflared, ngrok or your own URL.")
	}
	p.state.Refresh()
	p.w.onPublicURLChanged()
}

func (p *publicBar) showURL(u string) {
	p.shownURL = u
	p.state.TextStyle = fyne.TextStyle{Monospace: true}
	p.state.SetText(u)
	p.copy.Show()
}

func (p *publicBar) setIcon(r fyne.Resource, c fyne.ThemeColorName) {
	p.icon.SetResource(theme.NewColoredResource(r, c))
}

// showReason puts why and what to do on the note's one line, and the whole
// of both behind Details.
func (p *publicBar) showReason(s tunnel.State) {
	p.note.SetText(oneLine(joinReason(firstLine(s.Err), firstLine(s.Hint))))
	if s.Err != "" || s.Hint != "" {
		p.details.Show()
	}
}

func onlineNote(s tunnel.State) string {
	if s.Provider == tunnel.Custom && s.Target != "" {
		return "Point your tunnel at http://" + s.Target + " (captures only; never at the receiver's API address)."
	}
	return "Paste it into the platform's webhook settings, with the project's path."
}

func joinReason(reason, hint string) string {
	if hint == "" {
		return reason
	}
	if reason == "" {
		return hint
	}
	return reason + " — " + hint
}

// publicURL is the tunnel's public base URL while it is online, else "".
func (w *Window) publicURL() string {
	if w.public == nil || w.public.current.Status != tunnel.StatusOnline {
		return ""
	}
	return w.public.current.URL
}

// receiveBase is where senders reach the receiver: the public URL while
// it is online, else the local one.
func (w *Window) receiveBase() string {
	return cmp.Or(w.publicURL(), w.baseURL())
}

// onPublicURLChanged refreshes what shows receive URLs.
func (w *Window) onPublicURLChanged() {
	w.tray.refresh()
	if e := w.editor; e != nil && e.receive != nil {
		e.receive.refresh()
		if e.heading != nil {
			e.heading.SetText(e.title())
		}
	}
	if w.list != nil {
		w.list.refreshEmptyState()
	}
}
