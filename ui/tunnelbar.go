package ui

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
type publicBar struct {
	w      *Window
	choice *dropdown
	state  *widget.Label // "Starting cloudflared…", the URL, the reason
	copy   *widget.Button
	retry  *widget.Button
	// note says what to do: the hint of a failure, where your own tunnel
	// must deliver.
	note    *widget.Label
	content fyne.CanvasObject

	// saved are the settings as stored, current is the manager's last
	// state; both are read and written on the UI goroutine only.
	saved   store.TunnelSettings
	loaded  bool
	current tunnel.State
	quiet   bool // set while the bar sets the dropdown itself
	unsub   func()
	// settings is the settings form the bar opened last, for tests.
	settings *settingsForm

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
	p.state = widget.NewLabel("")
	p.copy = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), p.copyURL)
	p.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), p.onRetry)
	p.note = widget.NewLabel("")
	p.note.Importance = widget.LowImportance
	p.note.Truncation = fyne.TextTruncateEllipsis
	settings := widget.NewButtonWithIcon("", theme.SettingsIcon(), func() { p.openSettings(tunnel.Off) })
	title := widget.NewLabel("Public URL")
	// As wide as its longest choice: a Select sizes to what it shows.
	choiceWidth := fyne.MeasureText(choiceOff, theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding() + theme.IconInlineSize()
	left := container.NewHBox(title, fixedWidth(p.choice, choiceWidth), p.state, p.copy, p.retry)
	// The controls stay one line high at the top when a long reason wraps.
	p.content = container.NewBorder(nil, nil, container.NewVBox(left), container.NewVBox(settings), p.note)
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
	background(p.w, func() (struct{}, error) { return struct{}{}, p.w.st.PutTunnelSettings(ts) }, func(_ struct{}, err error) {
		if err != nil {
			p.w.flash("The Public URL choice was not saved: " + err.Error())
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

func (p *publicBar) copyURL() {
	if u := p.current.URL; u != "" && p.current.Status == tunnel.StatusOnline {
		p.w.app.Clipboard().SetContent(u)
		p.w.flash("Copied " + u)
	}
}

// show puts the manager's state in the bar.
func (p *publicBar) show(s tunnel.State) {
	p.current = s
	// The API can switch the tunnel too: the choice follows what runs.
	p.setChoice(s.Provider)
	p.copy.Hide()
	p.retry.Hide()
	p.state.TextStyle = fyne.TextStyle{}
	p.explain(false)
	name := choiceOf(s.Provider)
	switch s.Status {
	case tunnel.StatusStarting:
		p.state.Importance = widget.MediumImportance
		p.state.SetText("Starting " + name + "…")
		p.note.SetText("")
	case tunnel.StatusOnline:
		p.state.Importance = widget.SuccessImportance
		p.state.TextStyle = fyne.TextStyle{Monospace: true}
		p.state.SetText(s.URL)
		p.copy.Show()
		p.note.SetText(onlineNote(s))
	case tunnel.StatusReconnecting:
		p.state.Importance = widget.WarningImportance
		p.state.SetText("Reconnecting " + name + "…")
		p.explain(true)
		p.note.SetText(joinReason(s.Err, s.Hint))
	case tunnel.StatusFailed:
		p.state.Importance = widget.DangerImportance
		p.state.SetText(name + " failed")
		p.retry.Show()
		p.explain(true)
		p.note.SetText(joinReason(s.Err, s.Hint))
	default:
		p.state.Importance = widget.LowImportance
		p.state.SetText("")
		p.note.SetText("Senders in the cloud cannot reach 127.0.0.1: choose cloudflared, ngrok or your own URL.")
	}
	p.state.Refresh()
	p.w.onPublicURLChanged()
}

// explain switches the note between a muted one-line aside and a reason
// with its hint, wrapped and legible: Fyne 2.7.1 has no tooltips to show a
// cut reason in full.
func (p *publicBar) explain(on bool) {
	if on {
		p.note.Importance = widget.MediumImportance
		p.note.Truncation = fyne.TextTruncateOff
		p.note.Wrapping = fyne.TextWrapWord
		return
	}
	p.note.Importance = widget.LowImportance
	p.note.Wrapping = fyne.TextWrapOff
	p.note.Truncation = fyne.TextTruncateEllipsis
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

// onPublicURLChanged refreshes what shows receive URLs.
func (w *Window) onPublicURLChanged() {
	w.tray.refresh()
	if e := projectEditors[w]; e != nil && e.receive != nil {
		e.receive.refresh()
	}
}
