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
	"fyne.io/fyne/v2/container"
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
	w.flags = cfg
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
	addr, maxBody, count, hours *escEntry
	theme                       *dropdown
	keepCreds                   *escCheck
	tunnel                      *tunnelFields // nil without a tunnel manager
	notify                      *notifySettings
	form                        *widget.Form
	// maxBodyShown is the max body the form opened with: a value set by
	// --max-body is saved only once the user changes it.
	maxBodyShown string
	save         *widget.Button
	// close hides the dialog once Save went through; nil for a form
	// tests fill in without one.
	close func()
}

func (w *Window) newSettingsForm() *settingsForm {
	esc := w.escape
	f := &settingsForm{
		addr: newEscEntry(esc), maxBody: newEscEntry(esc), count: newEscEntry(esc), hours: newEscEntry(esc),
		theme: newDropdown(w.win.Canvas, []string{themeSystem, themeLight, themeDark}, nil),
	}
	f.addr.SetText(w.addr)
	f.addr.Validator = validateAddr
	f.maxBodyShown = strconv.FormatFloat(float64(w.srv.MaxBody())/(1<<20), 'f', -1, 64)
	f.maxBody.SetText(f.maxBodyShown)
	f.maxBody.Validator = positiveNumber
	count, age := w.st.Retention()
	f.count.SetText(strconv.Itoa(max(count, 0)))
	f.count.Validator = wholeNumber
	f.hours.SetText(strconv.FormatFloat(age.Hours(), 'f', -1, 64))
	f.hours.Validator = nonNegativeNumber
	f.theme.SetSelected(w.themeChoice)
	f.keepCreds = newEscCheck("Keep credentials in replay and forward history", nil, esc)
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
	if w.flags.AddrSet {
		f.form.Items[0].HintText = "set by --addr for this run; saved only if you change it"
	}
	if w.flags.MaxBodySet {
		f.form.Items[1].HintText = "set by --max-body for this run; saved only if you change it"
	}
	f.form.Items[2].HintText = "0 keeps every capture"
	f.form.Items[5].HintText = "Unticked, Authorization, cookies and token, API key and password headers are stored masked"
	if w.public != nil {
		f.tunnel = newTunnelFields(w.public.saved, w.escape)
		for _, item := range f.tunnel.items() {
			f.form.AppendItem(item)
		}
	}
	return f
}

func (w *Window) showSettings() { w.openSettings() }

// openSettings shows the settings dialog and returns its form; when it is
// open already, it stays as the user left it and its form is returned.
func (w *Window) openSettings() *settingsForm {
	if o := w.dialogOf(dialogSettings); o != nil {
		return o.value.(*settingsForm)
	}
	f := w.newSettingsForm()
	// The form scrolls: with the Public URL's fields it is taller than a
	// 720-pixel screen, and the buttons stay below it.
	d := dialog.NewCustomWithoutButtons("Settings", container.NewVScroll(f.form), w.win)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide)
	f.save = widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), func() { w.saveSettings(f) })
	f.save.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{cancel, f.save})
	f.close = d.Hide
	d.Resize(w.dialogSize(fyne.NewSize(620, 780)))
	w.showDialog(dialogSettings, d, d.Hide).value = f
	return f
}

// dialogSize is want, shrunk to fit the window with a margin.
func (w *Window) dialogSize(want fyne.Size) fyne.Size {
	c := w.win.Canvas().Size()
	margin := 4 * theme.Padding()
	return fyne.NewSize(min(want.Width, c.Width-margin), min(want.Height, c.Height-margin))
}

// saveSettings is the Save button: it moves the receiver first when the
// address changed, and applies the rest only once it listens there. An
// address it cannot listen on is said under the field, and the dialog
// stays open with what the user typed.
func (w *Window) saveSettings(f *settingsForm) {
	if err := f.form.Validate(); err != nil {
		return // the field says why, in the form
	}
	addr := strings.TrimSpace(f.addr.Text)
	if addr == w.addr && w.srv.Addr() != "" {
		w.applySettings(f, "")
		return
	}
	if f.save != nil {
		f.save.Disable()
	}
	w.moveTo(addr, func(from string, err error) {
		if f.save != nil {
			f.save.Enable()
		}
		if err != nil {
			f.addr.SetValidationError(listenError(err, from))
			return
		}
		w.applySettings(f, " · listening on "+w.srv.URL())
	})
}

// moveTo moves the receiver to addr in the background, shows where it
// listens, and hands done the address it listened on before and why it
// does not listen on addr; once it does, addr is remembered and err is nil.
func (w *Window) moveTo(addr string, done func(from string, err error)) {
	from := w.srv.Addr()
	background(w, func() (struct{}, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return struct{}{}, w.srv.Move(ctx, addr)
	}, func(_ struct{}, err error) {
		w.top.refreshStatus()
		w.list.refreshEmptyState()
		if err != nil && w.srv.Addr() != addr {
			done(from, err)
			return
		}
		w.addr = addr
		w.app.Preferences().SetString(prefAddr, addr)
		done(from, nil)
	})
}

// listenError says why the receiver cannot listen on the typed address and
// where it is now.
func listenError(err error, from string) error {
	if from == "" {
		return fmt.Errorf("%w; the receiver is stopped", err)
	}
	return fmt.Errorf("%w; the receiver stays on %s", err, from)
}

// applySettings applies and persists everything but the address, closes
// the dialog, and says "Settings saved" once any question it asks (deleting
// captures the new retention drops) is answered.
func (w *Window) applySettings(f *settingsForm, note string) {
	if f.close != nil {
		f.close()
	}
	p := w.app.Preferences()
	if !w.flags.MaxBodySet || f.maxBody.Text != f.maxBodyShown {
		mib, _ := strconv.ParseFloat(f.maxBody.Text, 64)
		maxBody := int64(mib * (1 << 20))
		w.srv.SetMaxBody(maxBody)
		p.SetInt(prefMaxBody, int(maxBody))
	}
	w.saveNotifySettings(f.notify)
	w.st.SetKeepCredentialsInHistory(f.keepCreds.Checked)
	p.SetBool(prefKeepCreds, f.keepCreds.Checked)
	if f.theme.Selected != w.themeChoice {
		w.setTheme(f.theme.Selected)
		p.SetString(prefTheme, f.theme.Selected)
	}
	w.saveTunnelFields(f.tunnel)

	count, _ := strconv.Atoi(f.count.Text)
	hours, _ := strconv.ParseFloat(f.hours.Text, 64)
	retain := count
	if retain == 0 {
		retain = -1 // keep all
	}
	w.setRetention(retain, hours, func(kept bool) {
		if kept {
			note += " · retention left as it was"
		}
		w.flash("Settings saved" + note)
	})
}

// setRetention puts new retention limits in force and saves them, first
// asking when they would delete captures now: pruning starts at once, and
// 0.01 hours typed for 1 would empty the store. done hears whether the user
// kept the old limits instead.
func (w *Window) setRetention(retain int, hours float64, done func(kept bool)) {
	age := time.Duration(hours * float64(time.Hour))
	apply := func() {
		w.st.SetRetention(retain, age)
		p := w.app.Preferences()
		p.SetInt(prefRetentionCount, retain)
		p.SetFloat(prefRetentionHours, hours)
		done(false)
	}
	oldCount, oldAge := w.st.Retention()
	if retain == oldCount && age == oldAge {
		done(false)
		return
	}
	background(w, func() (doomed, error) { return w.doomedBy(retain, age) }, func(d doomed, err error) {
		if err != nil || (d.byCount == 0 && d.byAge == 0) {
			apply()
			return
		}
		c := dialog.NewConfirm("Delete old captures?", d.message(age), func(ok bool) {
			if ok {
				apply()
				return
			}
			done(true)
		}, w.win)
		c.SetConfirmText("Delete them")
		c.SetDismissText("Keep them")
		c.SetConfirmImportance(widget.DangerImportance)
		w.showDialog("", c, nil)
	})
}

// doomed is how many captures new retention limits delete now.
type doomed struct{ byCount, byAge int }

func (w *Window) doomedBy(retain int, age time.Duration) (doomed, error) {
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
}

func (d doomed) message(age time.Duration) string {
	msg := fmt.Sprintf("The new retention deletes about %s of the stored captures now", groupDigits(max(d.byCount, d.byAge)))
	if d.byAge > 0 {
		msg += fmt.Sprintf(" (%s are older than %s)", groupDigits(d.byAge), age)
	}
	return msg + ". This cannot be undone."
}

// moveReceiver moves the receiver to addr without restarting the app, and
// remembers addr once the receiver listens there. An address it cannot
// listen on leaves the receiver where it was, and unsaved.
func (w *Window) moveReceiver(addr string) {
	w.moveTo(addr, func(from string, err error) {
		switch {
		case err != nil && w.srv.Addr() == "":
			w.askForAddress(addr, err)
		case err != nil:
			dialog.ShowError(fmt.Errorf("%w\n\nthe receiver still listens on %s", err, from), w.win)
		default:
			w.flash("Listening on " + w.srv.URL())
		}
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
