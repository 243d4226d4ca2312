package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/render"
	"hookscope/store"
	"hookscope/tunnel"
)

// addedTag marks, in the Headers tab, a header the tunnel added.
const addedTag = "tunnel"

// viaText is how the detail's summary says a capture came through a tunnel.
func viaText(c *store.Capture) string {
	if c.Via == "" {
		return ""
	}
	return " via " + viaName(c.Via)
}

// viaName names a tunnel in a sentence: "via cloudflared", "via your own
// URL".
func viaName(provider string) string {
	if provider == tunnel.Custom {
		return "your own URL"
	}
	return choiceOf(provider)
}

// senderAddr is who sent c: for a tunnelled capture the address the
// tunnel's header names (the connection came from the tunnel on loopback),
// else the connection's.
func senderAddr(c *store.Capture) string {
	if a := tunnel.ClientAddr(c.Via, c.Header); a != "" {
		return a
	}
	return c.RemoteAddr
}

// headersView is the Headers tab: the headers, and for a capture that came
// through a tunnel, which of them the tunnel added. They are marked, not
// hidden: they are part of what the app received. Fyne 2.7.1 has no
// tooltips, so a note above the table says what the tag means.
func (w *Window) headersView(c *store.Capture) fyne.CanvasObject {
	fields := headerFields(c.Header)
	if c.Via == "" || len(fields) == 0 {
		return w.copyableFields(fields)
	}
	added := make([]bool, len(fields))
	for i, f := range fields {
		added[i] = tunnel.AddedHeader(c.Via, f.Name)
	}
	t := markedFieldsTable(fields, added)
	t.OnSelected = func(id widget.TableCellID) {
		w.app.Clipboard().SetContent(fields[id.Row].Value)
		w.flash("Copied the value of " + fields[id.Row].Name)
		t.UnselectAll()
	}
	note := widget.NewLabelWithStyle("Came through "+viaName(c.Via)+": headers tagged \""+addedTag+"\" were added on the way, not by the sender. Click a row to copy its value.",
		fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	note.Wrapping = fyne.TextWrapWord
	return container.NewBorder(note, nil, nil, nil, t)
}

// markedFieldsTable is fieldsTable with a middle column that tags the
// fields added says a tunnel added.
func markedFieldsTable(fields []render.Field, added []bool) *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(fields), 3 },
		truncatedCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			f := fields[id.Row]
			l.Importance = widget.MediumImportance
			switch id.Col {
			case 0:
				// The sender's headers bold as elsewhere, the tunnel's
				// regular: muted text was too faint to read in the light
				// theme.
				l.TextStyle = fyne.TextStyle{Bold: !added[id.Row]}
				l.SetText(f.Name)
			case 1:
				// Italic in the foreground colour: the muted colour was
				// 1.28:1 on white, under WCAG's 4.5:1 for text.
				l.TextStyle = fyne.TextStyle{Italic: true}
				l.SetText("")
				if added[id.Row] {
					l.SetText(addedTag)
				}
			default:
				l.TextStyle = fyne.TextStyle{Monospace: true}
				l.SetText(f.Value)
			}
		})
	t.SetColumnWidth(0, 220)
	t.SetColumnWidth(1, 70)
	t.SetColumnWidth(2, 900)
	return t
}

// viaMarkWidth is the room the list gives the tunnel mark in a row.
const viaMarkWidth = 14

// cloudSVG is a cloud outline; Fyne's theme has none. It is drawn in the
// foreground colour, legible in both themes.
const cloudSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000000" d="M19.35 10.04A7.49 7.49 0 0 0 12 4C9.11 4 6.6 5.64 5.35 8.04A5.994 5.994 0 0 0 0 14c0 3.31 2.69 6 6 6h13c2.76 0 5-2.24 5-5 0-2.64-2.05-4.78-4.65-4.96z"/></svg>`

func cloudIcon() fyne.Resource {
	return theme.NewThemedResource(fyne.NewStaticResource("cloud.svg", []byte(cloudSVG)))
}

// viaMark is the list's mark of a capture that came through a tunnel.
func viaMark(via string) fyne.Resource {
	if via == "" {
		return nil
	}
	return cloudIcon()
}
