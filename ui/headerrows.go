package ui

import (
	"net/http"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// headerRows is the window's one editor of a header list: a name (with
// suggestions) and a value per row, in order, with an error line under each
// row and an "Add header" button. The project editor uses it for the
// response headers and each webhook's headers (fields, showErrors); the
// edit-and-replay dialog for the request it sends (header, setValues).
// Escape typed in any of its fields closes the dialog it is in.
type headerRows struct {
	widget.BaseWidget
	opt      headerRowsOptions
	newEntry func([]string) *escSelectEntry
	onEscape func() bool
	rowList[*headerRow]
	addButton *widget.Button
	box       *fyne.Container
}

// headerRowsOptions say what a headerRows offers and whom it tells.
type headerRowsOptions struct {
	// suggestions are the names each row's name field offers; any token
	// may be typed.
	suggestions []string
	// masked hides the values behind a reveal button, for credentials.
	masked bool
	// scrollHeight, when set, keeps the rows in a scroll at least that
	// high, with "Add header" below it: for a dialog whose other parts
	// must stay in view.
	scrollHeight float32
	// onChanged runs after every edit: typing, adding or removing a row.
	onChanged func()
}

type headerRow struct {
	name   *escSelectEntry
	value  *escEntry
	err    *widget.Label
	remove *widget.Button
	object fyne.CanvasObject
}

// newHeaderRows is an empty header editor; set fills it.
func (w *Window) newHeaderRows(opt headerRowsOptions) *headerRows {
	h := &headerRows{opt: opt, newEntry: w.suggestEntry, onEscape: w.escape}
	h.rowsBox = container.NewVBox()
	h.addButton = widget.NewButtonWithIcon("Add header", theme.ContentAddIcon(), func() {
		h.add(store.HeaderField{})
		h.changed()
	})
	h.addButton.Importance = widget.LowImportance
	if opt.scrollHeight > 0 {
		scroll := container.NewVScroll(h.rowsBox)
		scroll.SetMinSize(fyne.NewSize(0, opt.scrollHeight))
		h.box = container.NewBorder(nil, container.NewHBox(h.addButton), nil, nil, scroll)
	} else {
		h.box = container.NewVBox(h.rowsBox, container.NewHBox(h.addButton))
	}
	h.ExtendBaseWidget(h)
	return h
}

// CreateRenderer is part of fyne.Widget.
func (h *headerRows) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(h.box) }

func (h *headerRows) changed() {
	if h.opt.onChanged != nil {
		h.opt.onChanged()
	}
}

func (h *headerRows) add(f store.HeaderField) *headerRow {
	r := &headerRow{name: h.newEntry(h.opt.suggestions), err: newFieldError()}
	r.name.SetPlaceHolder("Name")
	r.name.SetText(f.Name)
	r.name.OnChanged = func(string) { h.changed() }
	if h.opt.masked {
		r.value = newEscPasswordEntry(h.onEscape)
	} else {
		r.value = newEscEntry(h.onEscape)
	}
	r.value.SetPlaceHolder("Value")
	r.value.SetText(f.Value)
	r.value.OnChanged = func(string) { h.changed() }
	r.remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		h.removeRow(r)
		h.changed()
	})
	r.remove.Importance = widget.LowImportance
	r.object = container.NewVBox(container.NewBorder(nil, nil, nil, r.remove, container.NewGridWithColumns(2, r.name, r.value)), r.err)
	h.appendRow(r, r.object)
	return r
}

func (h *headerRows) removeRow(r *headerRow) {
	h.dropRow(r, r.object)
}

// set replaces the rows with fields, in their order. It does not call
// onChanged: the caller is filling the form, not the user editing it.
func (h *headerRows) set(fields []store.HeaderField) {
	h.clearRows()
	for _, f := range fields {
		h.add(f)
	}
	h.Refresh()
}

// fields are the headers typed in, skipping blank rows; rowOf[j] is the row
// of field j.
func (h *headerRows) fields() (fields []store.HeaderField, rowOf []int) {
	fields = []store.HeaderField{}
	for i, r := range h.rows {
		name := strings.TrimSpace(r.name.Text)
		if name == "" && r.value.Text == "" {
			continue
		}
		fields = append(fields, store.HeaderField{Name: name, Value: r.value.Text})
		rowOf = append(rowOf, i)
	}
	return fields, rowOf
}

// header is the rows as an http.Header, in their order, leaving out rows
// without a name; a name given on several rows is sent repeated.
func (h *headerRows) header() http.Header {
	out := http.Header{}
	for _, r := range h.rows {
		if name := strings.TrimSpace(r.name.Text); name != "" {
			out.Add(name, r.value.Text)
		}
	}
	return out
}

// setValues shows values for the header name (any case): what was really
// sent, say a signature computed at send time. The rows of that name keep
// their place when there are as many; otherwise they go and a row per
// value is appended.
func (h *headerRows) setValues(name string, values []string) {
	var rows []*headerRow
	for _, r := range h.rows {
		if strings.EqualFold(strings.TrimSpace(r.name.Text), name) {
			rows = append(rows, r)
		}
	}
	if len(rows) == len(values) {
		for i, r := range rows {
			r.value.SetText(values[i])
		}
		return
	}
	for _, r := range rows {
		h.removeRow(r)
	}
	for _, v := range values {
		h.add(store.HeaderField{Name: name, Value: v})
	}
	h.changed()
}

// showErrors shows under each row the message msg gives for its field.
func (h *headerRows) showErrors(msg func(j int, f store.HeaderField) string) {
	fields, rowOf := h.fields()
	shown := map[int]string{}
	for j, f := range fields {
		shown[rowOf[j]] = msg(j, f)
	}
	for i, r := range h.rows {
		showFieldError(r.err, nil, shown[i])
	}
}
