package ui

import (
	"weak"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// dropdown is a widget.Select that still opens when Fyne has lost track of
// which canvas it is on. Fyne 2.7.1 keeps that in a cache whose entries expire
// after a minute unless a repaint or a periodic walk of the window renews
// them, and Select.Tapped builds its pop-up on whatever the cache answers:
// nil, and a panic, when an entry was dropped (fyne-io/fyne#5965, fixed after
// 2.7.1; a reviewer's window crashed that way on the time filter after a few
// minutes of dialogs and idling). The dropdown knows its window's canvas and
// opens the list there itself in that case.
type dropdown struct {
	widget.Select
	canvas func() fyne.Canvas
	// canvasOf is where Fyne thinks an object is (the driver's
	// CanvasForObject; tests stand in for a driver that forgot).
	canvasOf func(fyne.CanvasObject) fyne.Canvas
	// menu is the list this dropdown opened itself, while it is open.
	menu *widget.PopUpMenu
}

func newDropdown(canvas func() fyne.Canvas, options []string, changed func(string)) *dropdown {
	d := &dropdown{canvas: canvas, canvasOf: fyne.CurrentApp().Driver().CanvasForObject}
	d.Options = options
	d.OnChanged = changed
	d.PlaceHolder = widget.NewSelect(nil, nil).PlaceHolder
	d.ExtendBaseWidget(d)
	return d
}

func (d *dropdown) Tapped(e *fyne.PointEvent) {
	if d.Disabled() || d.canvasOf(d) != nil {
		d.Select.Tapped(e)
		return
	}
	d.openOn(d.canvas(), e.AbsolutePosition.Subtract(e.Position))
}

// TypedKey hands Escape to the window's key handler, which closes the
// topmost dialog as its Cancel would: a focused Select ignores Escape, so a
// dialog whose dropdown has the focus never heard it (see escEntry).
func (d *dropdown) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if c := d.canvas(); c != nil && c.OnTypedKey() != nil {
			c.OnTypedKey()(k)
			return
		}
	}
	d.Select.TypedKey(k)
}

// openOn shows the options below the dropdown, whose top left corner is at
// origin on c.
func (d *dropdown) openOn(c fyne.Canvas, origin fyne.Position) {
	items := make([]*fyne.MenuItem, len(d.Options))
	for i, text := range d.Options {
		items[i] = fyne.NewMenuItem(text, func() {
			d.menu = nil
			d.SetSelected(text)
		})
	}
	d.menu = widget.NewPopUpMenu(fyne.NewMenu("", items...), c)
	d.menu.OnDismiss = func() {
		d.menu.Hide()
		d.menu = nil
	}
	d.menu.ShowAtPosition(origin.Add(fyne.NewPos(0, d.Size().Height)))
	d.menu.Resize(fyne.NewSize(d.Size().Width, d.menu.MinSize().Height))
}

// canvasKeeper renews, every keepEvery, Fyne's canvas cache entries of the
// suggestion entries on show. A SelectEntry's list button looks its canvas
// up when tapped, as Select does, and cannot be told the canvas the way a
// dropdown is; looking an object up renews its entry, so one looked up more
// often than once a minute does not expire, whatever Fyne's own renewal
// misses. Entries are held weakly: a closed dialog's are dropped with it.
type canvasKeeper struct {
	entries  []weak.Pointer[escSelectEntry]
	canvasOf func(fyne.CanvasObject) fyne.Canvas
	ticks    int
}

// keepEvery is how many clock ticks (seconds) pass between renewals; Fyne
// forgets after a minute.
const keepEvery = 20

// suggestEntry is a widget.SelectEntry whose canvas the window keeps known,
// and whose Escape closes the dialog it is in.
func (w *Window) suggestEntry(options []string) *escSelectEntry {
	e := newEscSelectEntry(options, w.escape)
	w.keeper.entries = append(w.keeper.entries, weak.Make(e))
	return e
}

// tick renews the entries every keepEvery calls and drops the collected ones.
func (k *canvasKeeper) tick() {
	k.ticks++
	if k.ticks%keepEvery != 0 {
		return
	}
	k.renew()
}

// renew looks every live entry up and drops the collected ones.
func (k *canvasKeeper) renew() {
	live := k.entries[:0]
	for _, p := range k.entries {
		if e := p.Value(); e != nil {
			k.canvasOf(e)
			live = append(live, p)
		}
	}
	clear(k.entries[len(live):])
	k.entries = live
}
