package ui

import (
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
	"hookscope/tunnel"
)

// tunnelFields are the Public URL's part of the settings dialog.
type tunnelFields struct {
	cloudflaredPath, ngrokDomain, customURL *escEntry
	// ngrokToken is masked, with Fyne's reveal button.
	ngrokToken *escEntry
	// pending is the provider the user chose in the top bar that needed
	// one of these fields: Save starts it once the field is filled in.
	pending string
}

func newTunnelFields(ts store.TunnelSettings, onEscape func() bool) *tunnelFields {
	f := &tunnelFields{
		cloudflaredPath: newEscEntry(onEscape),
		// A password entry masks the token and has its own reveal button,
		// as the projects' secrets do.
		ngrokToken:  newEscPasswordEntry(onEscape),
		ngrokDomain: newEscEntry(onEscape),
		customURL:   newEscEntry(onEscape),
	}
	f.cloudflaredPath.SetText(ts.CloudflaredPath)
	f.cloudflaredPath.SetPlaceHolder("empty: cloudflared on PATH")
	f.ngrokToken.SetText(ts.NgrokAuthtoken)
	f.ngrokToken.SetPlaceHolder("from dashboard.ngrok.com")
	f.ngrokDomain.SetText(ts.NgrokDomain)
	f.ngrokDomain.SetPlaceHolder("optional, e.g. hooks.ngrok.app")
	f.ngrokDomain.Validator = validateDomain
	f.customURL.SetText(ts.CustomURL)
	f.customURL.SetPlaceHolder("https://me.tailnet.ts.net")
	f.customURL.Validator = validatePublicURL
	return f
}

func (f *tunnelFields) items() []*widget.FormItem {
	items := []*widget.FormItem{
		widget.NewFormItem("cloudflared binary", f.cloudflaredPath),
		widget.NewFormItem("ngrok authtoken", f.ngrokToken),
		widget.NewFormItem("ngrok domain", f.ngrokDomain),
		widget.NewFormItem("Your own public URL", f.customURL),
	}
	items[0].HintText = "download it from Cloudflare; it is not in Debian"
	items[3].HintText = "a tunnel you run (Tailscale Funnel, a named Cloudflare tunnel)"
	return items
}

// field is the entry a provider needs filled in before it can start.
func (f *tunnelFields) field(provider string) fyne.Focusable {
	switch provider {
	case tunnel.Ngrok:
		return f.ngrokToken
	case tunnel.Custom:
		return f.customURL
	}
	return nil
}

// settings are the fields applied to saved, with the pending choice taken
// when it can now start.
func (f *tunnelFields) settings(saved store.TunnelSettings, canStart func(string, store.TunnelSettings) bool) store.TunnelSettings {
	ts := saved
	ts.CloudflaredPath = strings.TrimSpace(f.cloudflaredPath.Text)
	ts.NgrokAuthtoken = strings.TrimSpace(f.ngrokToken.Text)
	ts.NgrokDomain = strings.TrimSpace(f.ngrokDomain.Text)
	ts.CustomURL = strings.TrimRight(strings.TrimSpace(f.customURL.Text), "/")
	if f.pending != tunnel.Off && canStart(f.pending, ts) {
		ts.Provider = f.pending
	}
	// A provider whose field was emptied cannot run any more.
	if !canStart(ts.Provider, ts) {
		ts.Provider = tunnel.Off
	}
	return ts
}

// openSettings opens the settings dialog; for a provider that needs a
// field, at that field, and Save then starts it.
func (p *publicBar) openSettings(provider string) {
	f := p.w.openSettings()
	p.settings = f
	if f.tunnel == nil {
		return
	}
	f.tunnel.pending = provider
	if field := f.tunnel.field(provider); field != nil {
		p.w.win.Canvas().Focus(field)
		// Say why the dialog opened, at the field it opened for.
		for _, item := range f.form.Items {
			if item.Widget == field.(fyne.CanvasObject) {
				item.HintText = needsText(provider)
			}
		}
		f.form.Refresh()
	}
}

// needsText says, under the field a provider needs, why Settings opened.
func needsText(provider string) string {
	if provider == tunnel.Ngrok {
		return "ngrok needs your authtoken: copy it from https://dashboard.ngrok.com/get-started/your-authtoken, then Save starts ngrok"
	}
	return "your own URL needs the public URL your tunnel gives you; Save then starts it"
}

// saveTunnelFields applies the settings dialog's Public URL fields.
func (w *Window) saveTunnelFields(f *tunnelFields) {
	if f == nil || w.public == nil {
		return
	}
	p := w.public
	ts := f.settings(p.saved, func(provider string, ts store.TunnelSettings) bool { return !p.needs(provider, ts) })
	if ts != p.saved {
		p.save(ts)
	}
}

func validatePublicURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("want a URL such as https://me.tailnet.ts.net")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return errors.New("a base URL, without ?query or #fragment")
	}
	return nil
}

func validateDomain(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/ ?#") {
		return errors.New("a domain name only, e.g. hooks.ngrok.app")
	}
	return nil
}
