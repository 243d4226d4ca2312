package ui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"hookscope/export"
	"hookscope/store"
)

// mainMenu holds the window's file-level actions.
func (w *Window) mainMenu() *fyne.MainMenu {
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Import HAR or JSON Lines…", w.once(dialogImport, w.importFile)),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export selected capture as HAR…", func() { w.exportSelected("har") }),
		fyne.NewMenuItem("Export selected capture as JSON Lines…", func() { w.exportSelected("jsonl") }),
		fyne.NewMenuItem("Export filtered captures as HAR…", func() { w.exportFiltered("har") }),
		fyne.NewMenuItem("Export filtered captures as JSON Lines…", func() { w.exportFiltered("jsonl") }),
		fyne.NewMenuItemSeparator(),
		withShortcut(fyne.NewMenuItem("Settings…", w.once(dialogSettings, w.showSettings)), keySettings),
	)
	capture := fyne.NewMenu("Capture",
		withShortcut(fyne.NewMenuItem("Search captures", w.focusSearch), keySearch),
		fyne.NewMenuItemSeparator(),
		withShortcut(fyne.NewMenuItem("Replay", w.replayShown), keyReplay),
		withShortcut(fyne.NewMenuItem("Edit and replay…", w.once(dialogReplay, w.editAndReplayShown)), keyEditReplay),
		fyne.NewMenuItem("Replay filtered captures…", w.once(dialogBulkReplay, w.bulkReplayFiltered)),
		fyne.NewMenuItemSeparator(),
		withShortcut(fyne.NewMenuItem("Compare with marked capture", w.compareMarked), keyCompare),
		fyne.NewMenuItem("Compare with…", w.compareWithShown),
		fyne.NewMenuItemSeparator(),
		// Ctrl+C also copies the body when no entry has the focus, but it is
		// not the menu item's shortcut: menu shortcuts fire before the focused
		// widget's, and Ctrl+C in the search field must copy its text.
		fyne.NewMenuItem("Copy body", w.detail.copyBody),
		withShortcut(fyne.NewMenuItem("Copy as curl", w.detail.copyCurl), keyCopyCurl),
		fyne.NewMenuItem("Delete", w.detail.deleteShown),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Clear all captures…", w.once(dialogClear, w.confirmClear)),
	)
	projects := fyne.NewMenu("Projects",
		fyne.NewMenuItem("New project…", w.newProject),
		fyne.NewMenuItem("Edit selected project…", w.editSelectedProject),
		fyne.NewMenuItem("Delete selected project…", w.deleteSelectedProject),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Rules for Unsorted…", w.showUnsortedRules),
	)
	return fyne.NewMainMenu(file, capture, projects)
}

// baseURL is how exported requests address the receiver.
func (w *Window) baseURL() string {
	if u := w.srv.URL(); u != "" {
		return u
	}
	return "http://" + w.addr
}

// exportFiltered exports the list's filter. HAR entries carry each
// capture's own URL (baseURL ""), not where the receiver listens now.
func (w *Window) exportFiltered(format string) *exportForm {
	f := w.list.filter
	return w.saveWith("captures."+format, func(out io.Writer) (int, error) {
		if format == "har" {
			return export.ExportHAR(out, w.st, f, "")
		}
		return export.ExportJSONL(out, w.st, f)
	})
}

func (w *Window) exportSelected(format string) *exportForm {
	c := w.detail.capture
	if c == nil {
		dialog.ShowInformation("Nothing selected", "Select a capture to export it.", w.win)
		return nil
	}
	return w.saveWith("capture-"+c.ID.String()+"."+format, func(out io.Writer) (int, error) {
		if format == "har" {
			return 1, export.WriteHAR(out, []*store.Capture{c}, "")
		}
		return 1, export.WriteJSONL(out, []*store.Capture{c})
	})
}

func importMessage(r export.ImportResult, name string) string {
	msg := fmt.Sprintf("Imported %s from %s", captureCount(r.Stored), name)
	switch {
	case r.Duplicates == 1:
		msg += " (1 was already here and was skipped)"
	case r.Duplicates > 1:
		msg += fmt.Sprintf(" (%d were already here and were skipped)", r.Duplicates)
	}
	return msg
}

// importFile imports a HAR file or a JSON Lines export, told apart by
// content (export.ReadCaptures).
func (w *Window) importFile() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		background(w, func() (export.ImportResult, error) {
			defer rc.Close()
			caps, _, err := export.ReadCaptures(rc)
			if err != nil {
				return export.ImportResult{}, err
			}
			for _, c := range caps {
				w.srv.Projects().Classify(c) // its project and signature here, as on arrival
			}
			return export.Import(w.st, caps)
		}, func(r export.ImportResult, err error) {
			if err != nil {
				dialog.ShowError(fmt.Errorf("import %s: %w", rc.URI().Name(), err), w.win)
				return
			}
			w.flash(importMessage(r, rc.URI().Name()))
			// Imports take IDs of their receive time, below what the
			// sidebar has counted: count again rather than skip them.
			w.side.scheduleRecount()
		})
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".har", ".json", ".jsonl", ".ndjson"}))
	w.showDialog(dialogImport, d, nil)
}

// installShortcuts binds the keyboard: Up/Down move the selection, Enter
// opens the body, Ctrl+F searches, Delete removes, Ctrl+C copies the body and
// Ctrl+Shift+C copies the capture as curl, Ctrl+R replays it,
// Ctrl+Shift+R opens the edit-and-replay dialog, Ctrl+D compares the selected
// capture with the one Ctrl+clicked, and Ctrl+, opens the settings.
// Keys typed into a focused entry stay with the entry.
func (w *Window) installShortcuts() {
	c := w.win.Canvas()
	c.SetOnTypedKey(w.onKey)
	// The menu items carry the same shortcuts (and show them); these serve
	// a window without the menu bar.
	c.AddShortcut(keySearch, func(fyne.Shortcut) { w.focusSearch() })
	c.AddShortcut(keyReplay, func(fyne.Shortcut) { w.replayShown() })
	c.AddShortcut(keyEditReplay, func(fyne.Shortcut) { w.once(dialogReplay, w.editAndReplayShown)() })
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) { w.detail.copyBody() })
	c.AddShortcut(keyCopyCurl, func(fyne.Shortcut) { w.detail.copyCurl() })
	c.AddShortcut(keySettings, func(fyne.Shortcut) { w.showSettings() })
	c.AddShortcut(keyCompare, func(fyne.Shortcut) { w.compareMarked() })
}

// The window's keyboard shortcuts (Ctrl, or Cmd on macOS).
var (
	keySearch     = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	keyReplay     = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	keyEditReplay = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	keyCopyCurl   = &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	keySettings   = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
	keyCompare    = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
)

func withShortcut(item *fyne.MenuItem, s fyne.Shortcut) *fyne.MenuItem {
	item.Shortcut = s
	return item
}

func (w *Window) focusSearch() { w.win.Canvas().Focus(w.top.search) }

func (w *Window) onKey(e *fyne.KeyEvent) {
	// Escape closes the topmost dialog, as its Cancel button would.
	if e.Name == fyne.KeyEscape {
		if !w.escape() {
			w.list.clearMark() // with no dialog, Escape drops a Compare mark
		}
		return
	}
	// Keys pressed over a dialog belong to the dialog, never to the
	// capture behind it.
	if w.win.Canvas().Overlays().Top() != nil {
		return
	}
	switch e.Name {
	case fyne.KeyDown:
		w.list.move(1)
	case fyne.KeyUp:
		w.list.move(-1)
	case fyne.KeyReturn, fyne.KeyEnter:
		w.detail.tabs.SelectIndex(0)
	case fyne.KeyDelete:
		w.detail.deleteShown()
	}
}
