package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// The window's size, its dividers and the detail's tab are remembered in
// the app's preferences (one file per database, see AppID), so the window
// comes back as the user left it.
const (
	prefWindowWidth  = "ui.window.width"
	prefWindowHeight = "ui.window.height"
	prefSplitSidebar = "ui.split.sidebar" // the sidebar's share of the window
	prefSplitList    = "ui.split.list"    // the list's share of list and detail
	prefDetailTab    = "ui.detail.tab"    // the title of the detail's tab
)

// defaultWindowSize is the first run's size: it fits a 1280×800 screen, and
// a window manager fits it into a smaller one, down to minContentSize.
var defaultWindowSize = fyne.NewSize(1280, 800)

// Default divider offsets: the sidebar takes a sixth, and the list half
// of the rest, which at 1280 px leaves a path of some 30 characters beside
// the detail. Below that the list keeps its minimum width (a path of 20
// characters) and the detail has the rest.
const (
	defaultSidebarOffset = 0.16
	defaultListOffset    = 0.5
)

// windowState is the window's parts whose layout is remembered.
type windowState struct {
	outer, inner *container.Split // sidebar | (list | detail)
	tabs         *container.AppTabs
}

// restoreLayout sizes the window and places its dividers and tab as the
// preferences say, or at their defaults.
func (w *Window) restoreLayout() {
	p := w.app.Preferences()
	size := defaultWindowSize
	if wd, ht := p.Float(prefWindowWidth), p.Float(prefWindowHeight); wd > 0 && ht > 0 {
		size = fyne.NewSize(float32(wd), float32(ht)).Max(minContentSize)
	}
	w.win.Resize(size)
	w.layout.outer.Offset = savedOffset(p, prefSplitSidebar, defaultSidebarOffset)
	w.layout.inner.Offset = savedOffset(p, prefSplitList, defaultListOffset)
	if title := p.String(prefDetailTab); title != "" {
		for _, item := range w.layout.tabs.Items {
			if item.Text == title {
				w.layout.tabs.Select(item)
			}
		}
	}
	w.layout.tabs.OnSelected = func(item *container.TabItem) { p.SetString(prefDetailTab, item.Text) }
}

// savedOffset is a divider's remembered offset, when it is one a divider
// can have.
func savedOffset(p fyne.Preferences, key string, fallback float64) float64 {
	if o := p.Float(key); o > 0 && o < 1 {
		return o
	}
	return fallback
}

// saveLayout remembers the window's size and its dividers; the tab is
// remembered as it is chosen. It runs when the window closes or hides to
// the tray: Fyne writes the preferences to disk when the app stops.
func (w *Window) saveLayout() {
	p := w.app.Preferences()
	if size := w.win.Canvas().Size(); size.Width > 0 && size.Height > 0 {
		p.SetFloat(prefWindowWidth, float64(size.Width))
		p.SetFloat(prefWindowHeight, float64(size.Height))
	}
	p.SetFloat(prefSplitSidebar, w.layout.outer.Offset)
	p.SetFloat(prefSplitList, w.layout.inner.Offset)
}
