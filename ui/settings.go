package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
	"hookscope/tunnel"
)

// Preference keys, with their defaults beside them.
const (
	prefAddr           = "receiver.addr" // default: the --addr flag
	prefMaxBody        = "receiver.maxBody"
	prefRetentionCount = "store.retentionCount"
	prefRetentionHours = "store.retentionHours" // 0 keeps captures forever
	prefTheme          = "ui.theme"
	prefKeepCreds      = "store.keepCredentialsInHistory" // default false: masked
	defaultTheme       = themeSystem
)

const (
	themeSystem = "System"
	themeLight  = "Light"
	themeDark   = "Dark"
)

// Config is what the command line decided; a flag given explicitly wins
// over the saved setting.
type Config struct {
	Addr       string
	AddrSet    bool
	MaxBody    int64
	MaxBodySet bool
	// Tunnel runs the Public URL; nil leaves the window without one.
	Tunnel *tunnel.Manager
}

// StoreOptions are the store options the saved settings ask for. main opens
// the store with them: the store prunes as soon as it opens, so retention set
// only after opening would already have deleted captures the user chose to
// keep.
func StoreOptions(a fyne.App) store.Options {
	count, age := savedRetention(a.Preferences())
	return store.Options{MaxCount: count, MaxAge: age, KeepCredentialsInHistory: a.Preferences().Bool(prefKeepCreds)}
}

func savedRetention(p fyne.Preferences) (int, time.Duration) {
	count := p.IntWithFallback(prefRetentionCount, store.DefaultMaxCount)
	hours := p.Float(prefRetentionHours)
	return count, time.Duration(hours * float64(time.Hour))
}

// applyPreferences puts the saved settings in force at start.
func (w *Window) applyPreferences(cfg Config) {
	p := w.app.Preferences()
	w.addr = cfg.Addr
	if saved := p.String(prefAddr); saved != "" && !cfg.AddrSet {
		w.addr = saved
	}
	if saved := p.Int(prefMaxBody); saved > 0 && !cfg.MaxBodySet {
		w.srv.SetMaxBody(int64(saved))
	}
	w.st.SetRetention(savedRetention(p))
	w.st.SetKeepCredentialsInHistory(p.Bool(prefKeepCreds))
	w.setTheme(p.StringWithFallback(prefTheme, defaultTheme))
}

// variantTheme pins the default theme to light or dark.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

func (w *Window) setTheme(choice string) {
	w.themeChoice = choice
	switch choice {
	case themeLight:
		w.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case themeDark:
		w.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		w.app.Settings().SetTheme(theme.DefaultTheme())
	}
}

// settingsForm is the settings dialog's content, kept apart so tests can
// fill it in.
type settingsForm struct {
	addr, maxBody, count, hours *widget.Entry
	theme                       *dropdown
	keepCreds                   *widget.Check
	tunnel                      *tunnelFields // nil without a tunnel manager
	notify                      *notifySettings
	form                        *widget.Form
}

func (w *Window) newSettingsForm() *settingsForm {
	f := &settingsForm{
		addr: widget.NewEntry(), maxBody: widget.NewEntry(), count: widget.NewEntry(), hours: widget.NewEntry(),
		theme: newDropdown(w.win.Canvas, []string{themeSystem, themeLight, themeDark}, nil),
	}
	f.addr.SetText(w.addr)
	f.addr.Validator = validateAddr
	f.maxBody.SetText(strconv.FormatFloat(float64(w.srv.MaxBody())/(1<<20), 'f', -1, 64))
	f.maxBody.Validator = positiveNumber
	count, age := w.st.Retention()
	f.count.SetText(strconv.Itoa(max(count, 0)))
	f.count.Validator = wholeNumber
	f.hours.SetText(strconv.FormatFloat(age.Hours(), 'f', -1, 64))
	f.hours.Validator = nonNegativeNumber
	f.theme.SetSelected(w.themeChoice)
	f.keepCreds = widget.NewCheck("Keep credentials in replay and forward history", nil)
	f.keepCreds.SetChecked(w.st.KeepCredentialsInHistory())
	f.form = widget.NewForm(
		widget.NewFormItem("Listen on", f.addr),
		widget.NewFormItem("Max body (MiB)", f.maxBody),
		widget.NewFormItem("Keep newest (captures)", f.count),
		widget.NewFormItem("Keep for (hours, 0 = forever)", f.hours),
		widget.NewFormItem("Theme", f.theme),
		widget.NewFormItem("", f.keepCreds),
	)
	f.notify = w.newNotifySettings()
	f.form.Items = append(f.form.Items, f.notify.items()...)
	f.form.Items[2].HintText = "0 keeps every capture"
	f.form.Items[5].HintText = "Unticked, Authorization, cookies and token, API key and password headers are stored masked"
	if w.public != nil {
		f.tunnel = newTunnelFields(w.public.saved)
		for _, item := range f.tunnel.items() {
			f.form.AppendItem(item)
		}
	}
	return f
}

func (w *Window) showSettings() { w.openSettings() }

// openSettings shows the settings dialog and returns its form.
func (w *Window) openSettings() *settingsForm {
	f := w.newSettingsForm()
	d := dialog.NewCustomConfirm("Settings", "Save", "Cancel", f.form, func(ok bool) {
		if ok {
			w.saveSettings(f)
		}
	}, w.win)
	if f.tunnel != nil {
		d.Resize(fyne.NewSize(620, 780))
	} else {
		d.Resize(fyne.NewSize(560, 560))
	}
	d.Show()
	return f
}

// saveSettings applies and persists the form; an address change restarts the
// receiver in place.
func (w *Window) saveSettings(f *settingsForm) {
	if err := f.form.Validate(); err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	p := w.app.Preferences()
	mib, _ := strconv.ParseFloat(f.maxBody.Text, 64)
	maxBody := int64(mib * (1 << 20))
	w.srv.SetMaxBody(maxBody)
	p.SetInt(prefMaxBody, int(maxBody))

	count, _ := strconv.Atoi(f.count.Text)
	hours, _ := strconv.ParseFloat(f.hours.Text, 64)
	retain := count
	if retain == 0 {
		retain = -1 // keep all
	}
	w.setRetention(retain, hours)

	w.saveNotifySettings(f.notify)
	w.st.SetKeepCredentialsInHistory(f.keepCreds.Checked)
	p.SetBool(prefKeepCreds, f.keepCreds.Checked)

	if f.theme.Selected != w.themeChoice {
		w.setTheme(f.theme.Selected)
		p.SetString(prefTheme, f.theme.Selected)
	}
	w.saveTunnelFields(f.tunnel)
	w.flash("Settings saved")
	if addr := strings.TrimSpace(f.addr.Text); addr != w.addr || w.srv.Addr() == "" {
		w.moveReceiver(addr)
	}
}

// setRetention puts new retention limits in force and saves them, first
// asking when they would delete captures now: pruning starts at once, and
// 0.01 hours typed for 1 would empty the store.
func (w *Window) setRetention(retain int, hours float64) {
	age := time.Duration(hours * float64(time.Hour))
	apply := func() {
		w.st.SetRetention(retain, age)
		p := w.app.Preferences()
		p.SetInt(prefRetentionCount, retain)
		p.SetFloat(prefRetentionHours, hours)
	}
	oldCount, oldAge := w.st.Retention()
	if retain == oldCount && age == oldAge {
		return
	}
	type doomed struct{ byCount, byAge int }
	background(w, func() (doomed, error) {
		var d doomed
		n, err := w.st.Count()
		if err != nil {
			return d, err
		}
		if retain > 0 && n > retain {
			d.byCount = n - retain
		}
		if age > 0 {
			ids, err := w.st.IDs(store.Filter{Until: time.Now().Add(-age)})
			if err != nil {
				return d, err
			}
			d.byAge = len(ids)
		}
		return d, nil
	}, func(d doomed, err error) {
		if err != nil || (d.byCount == 0 && d.byAge == 0) {
			apply()
			return
		}
		gone := max(d.byCount, d.byAge)
		msg := fmt.Sprintf("The new retention deletes about %s of the stored captures now", groupDigits(gone))
		if d.byAge > 0 {
			msg += fmt.Sprintf(" (%s are older than %s)", groupDigits(d.byAge), age)
		}
		msg += ". This cannot be undone."
		c := dialog.NewConfirm("Delete old captures?", msg, func(ok bool) {
			if ok {
				apply()
				return
			}
			w.flash("Retention left as it was")
		}, w.win)
		c.SetConfirmText("Delete them")
		c.SetDismissText("Keep them")
		c.SetConfirmImportance(widget.DangerImportance)
		c.Show()
	})
}

// moveReceiver moves the receiver to addr without restarting the app, and
// remembers addr once the receiver listens there. An address it cannot
// listen on leaves the receiver where it was, and unsaved.
func (w *Window) moveReceiver(addr string) {
	from := w.srv.Addr()
	background(w, func() (struct{}, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return struct{}{}, w.srv.Move(ctx, addr)
	}, func(_ struct{}, err error) {
		w.top.refreshStatus()
		w.list.refreshEmptyState()
		if err != nil && w.srv.Addr() == "" {
			w.askForAddress(addr, err)
			return
		}
		if err != nil && w.srv.Addr() != addr {
			w.flash("Settings saved, but the receiver stays on " + from)
			dialog.ShowError(fmt.Errorf("%w\n\nthe receiver still listens on %s", err, from), w.win)
			return
		}
		w.addr = addr
		w.app.Preferences().SetString(prefAddr, addr)
		w.flash("Listening on " + w.srv.URL())
	})
}

func validateAddr(s string) error {
	host, port, err := net.SplitHostPort(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want host:port, e.g. 127.0.0.1:8787")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port must be 0–65535")
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return fmt.Errorf("host must be an IP address or localhost")
	}
	return nil
}

func positiveNumber(s string) error {
	if v, err := strconv.ParseFloat(s, 64); err != nil || v <= 0 {
		return errors.New("a number above 0")
	}
	return nil
}

func nonNegativeNumber(s string) error {
	if v, err := strconv.ParseFloat(s, 64); err != nil || v < 0 {
		return errors.New("a number, 0 or more")
	}
	return nil
}

func wholeNumber(s string) error {
	if v, err := strconv.Atoi(s); err != nil || v < 0 {
		return errors.New("a whole number, 0 or more")
	}
	return nil
}
