package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/render"
)

// errorLineBG marks the line a syntax error points at.
var errorLineBG = color.NRGBA{0xe5, 0x39, 0x35, 0x40}

// maxGridCols wraps long lines: a TextGrid draws every cell of each visible
// row, and a few rows thousands of cells wide cost seconds and gigabytes.
const maxGridCols = 200

// displayLimit is how much of a body the Body tab renders before "Show all".
const displayLimit = 256 << 10

// textGridRows turns rendered lines into TextGrid rows. It touches no widget,
// so it runs in the background with the render itself.
func textGridRows(lines []render.Line) []widget.TextGridRow {
	rows := make([]widget.TextGridRow, 0, len(lines))
	for _, line := range lines {
		var cells []widget.TextGridCell
		for _, seg := range line {
			var style widget.TextGridStyle
			if seg.Style.HasColor || seg.Style.Error || seg.Style.Bold || seg.Style.Italic {
				cs := &widget.CustomTextGridStyle{TextStyle: fyne.TextStyle{Bold: seg.Style.Bold, Italic: seg.Style.Italic}}
				if seg.Style.HasColor {
					cs.FGColor = seg.Style.Color
				}
				if seg.Style.Error {
					cs.BGColor = errorLineBG
				}
				style = cs
			}
			for _, r := range seg.Text {
				cells = append(cells, widget.TextGridCell{Rune: r, Style: style})
			}
		}
		cells = gridLineCells(cells)
		for len(cells) > maxGridCols {
			rows = append(rows, widget.TextGridRow{Cells: cells[:maxGridCols]})
			cells = cells[maxGridCols:]
		}
		rows = append(rows, widget.TextGridRow{Cells: cells})
	}
	return rows
}

// newTextGrid shows rows in a scrolling monospace grid.
func newTextGrid(rows []widget.TextGridRow) *widget.TextGrid {
	g := widget.NewTextGrid()
	g.Scroll = fyne.ScrollBoth
	g.Rows = rows
	return g
}

// renderedBody is a document with its grid rows prepared off the UI goroutine.
type renderedBody struct {
	doc   render.Document
	rows  []widget.TextGridRow
	parts [][]widget.TextGridRow
}

func renderBody(body []byte, header map[string][]string, opt render.Options) renderedBody {
	doc := render.Body(body, header, opt)
	rb := renderedBody{doc: doc, rows: textGridRows(doc.Lines)}
	for _, p := range doc.Parts {
		var rows []widget.TextGridRow
		if p.Doc != nil {
			rows = textGridRows(p.Doc.Lines)
		}
		rb.parts = append(rb.parts, rows)
	}
	return rb
}

// bodyObject lays out a rendered body: notes and errors on top, then the
// text, the form fields or the multipart parts.
func (w *Window) bodyObject(rb renderedBody, showAll func()) fyne.CanvasObject {
	doc := rb.doc
	var top []fyne.CanvasObject
	for _, n := range doc.Notes {
		if doc.Cut && showAll != nil && strings.HasPrefix(n, "cut at ") {
			continue // the Show all line below says it, with its button
		}
		top = append(top, noteLabel(n, widget.MediumImportance))
	}
	if doc.Err != nil {
		top = append(top, noteLabel(fmt.Sprintf("Malformed %s at %s — shown as received", kindName(doc.Kind), doc.Err.Error()), widget.DangerImportance))
	}
	if doc.Cut && showAll != nil {
		top = append(top, container.NewBorder(nil, nil, nil, widget.NewButton("Show all", showAll),
			noteLabel(fmt.Sprintf("Showing the start of a %s body.", humanSize(doc.Size)), widget.WarningImportance)))
	}
	var main fyne.CanvasObject
	switch {
	case doc.Kind == render.KindEmpty:
		main = widget.NewLabel("No body.")
	case len(doc.Fields) > 0:
		main = w.fieldsTable(doc.Fields)
	case len(doc.Parts) > 0:
		main = w.partsView(doc.Parts, rb.parts)
	default:
		main = newTextGrid(rb.rows)
	}
	if len(top) == 0 {
		return main
	}
	return container.NewBorder(container.NewVBox(top...), nil, nil, nil, main)
}

func noteLabel(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = imp
	l.Wrapping = fyne.TextWrapWord
	return l
}

func kindName(k render.Kind) string {
	switch k {
	case render.KindJSON:
		return "JSON"
	case render.KindXML:
		return "XML"
	case render.KindHTML:
		return "HTML"
	case render.KindMultipart:
		return "multipart body"
	default:
		return string(k)
	}
}

// fieldsTable is a two-column name/value table for forms, headers and
// query; Escape typed in it closes the dialog it is in.
func (w *Window) fieldsTable(fields []render.Field) *escTable {
	t := newEscTable(
		func() (int, int) { return len(fields), 2 },
		truncatedCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			f := fields[id.Row]
			if id.Col == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
				l.SetText(f.Name)
			} else {
				l.TextStyle = fyne.TextStyle{Monospace: true}
				l.SetText(f.Value)
			}
		}, w.escape)
	t.SetColumnWidth(0, 220)
	t.SetColumnWidth(1, 900)
	return t
}

// truncatedCell is a name/value table's cell: one line, cut with an
// ellipsis where the column is narrower than its text.
func truncatedCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// copyableFields is a table whose selected cell copies its value.
func (w *Window) copyableFields(fields []render.Field) fyne.CanvasObject {
	if len(fields) == 0 {
		return widget.NewLabel("None.")
	}
	t := w.fieldsTable(fields)
	t.OnSelected = func(id widget.TableCellID) {
		w.app.Clipboard().SetContent(fields[id.Row].Value)
		w.flash("Copied the value of " + fields[id.Row].Name)
		t.UnselectAll()
	}
	hint := widget.NewLabelWithStyle("Click a row to copy its value.", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	return container.NewBorder(hint, nil, nil, nil, t)
}

func (w *Window) partsView(parts []render.Part, rows [][]widget.TextGridRow) fyne.CanvasObject {
	items := make([]fyne.CanvasObject, 0, len(parts))
	for i, p := range parts {
		title := p.Name
		if p.FileName != "" {
			title += " — file " + p.FileName
		}
		kind := p.ContentType
		if kind == "" {
			kind = "text field" // a form field without a Content-Type of its own
			if p.FileName != "" {
				kind = "file"
			}
		}
		info := fmt.Sprintf("%s, %s", kind, humanSize(p.Size))
		head := container.NewHBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(info))
		binary := p.Doc == nil || p.Doc.Kind == render.KindBinary
		if p.FileName != "" || binary {
			data, name := p.Data, p.FileName
			head.Add(widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { w.saveBytes(name, data) }))
		}
		var body fyne.CanvasObject = noteLabel("Binary content: Save it to open it with another program.", widget.LowImportance)
		if p.Doc != nil {
			g := widget.NewTextGrid()
			g.Rows = rows[i]
			body = g
			if binary {
				body = container.NewVBox(noteLabel("Binary content, as hex: Save it to open it with another program.", widget.LowImportance), g)
			}
		}
		items = append(items, widget.NewCard("", "", container.NewVBox(head, body)))
	}
	return container.NewVScroll(container.NewVBox(items...))
}

// saveBytes asks for a file and writes data to it in the background.
func (w *Window) saveBytes(name string, data []byte) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		background(w, func() (struct{}, error) {
			defer wc.Close()
			_, err := wc.Write(data)
			return struct{}{}, err
		}, func(_ struct{}, err error) {
			if err != nil {
				dialog.ShowError(fmt.Errorf("save %s: %w", wc.URI().Name(), err), w.win)
				return
			}
			w.flash("Saved " + wc.URI().Name())
		})
	}, w.win)
	if name != "" {
		d.SetFileName(name)
	}
	d.Show()
}
