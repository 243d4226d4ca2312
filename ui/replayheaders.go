package ui

import (
	"net/http"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// replayHeaderTable edits a list of headers, one row a name and a value.
type replayHeaderTable struct {
	rows     []*replayHeaderRow
	box      *fyne.Container
	onChange func()
	onEscape func() bool
	content  fyne.CanvasObject
}

type replayHeaderRow struct {
	name, value *escEntry
	obj         fyne.CanvasObject
}

func newReplayHeaderTable(onEscape func() bool, onChange func()) *replayHeaderTable {
	t := &replayHeaderTable{box: container.NewVBox(), onChange: onChange, onEscape: onEscape}
	add := widget.NewButtonWithIcon("Add header", theme.ContentAddIcon(), func() { t.add("", "") })
	scroll := container.NewVScroll(t.box)
	scroll.SetMinSize(fyne.NewSize(0, 160))
	t.content = container.NewBorder(nil, container.NewHBox(add), nil, nil, scroll)
	return t
}

func (t *replayHeaderTable) object() fyne.CanvasObject { return t.content }

func (t *replayHeaderTable) add(name, value string) *replayHeaderRow {
	r := &replayHeaderRow{name: newEscEntry(t.onEscape), value: newEscEntry(t.onEscape)}
	r.name.SetPlaceHolder("Name")
	r.value.SetPlaceHolder("Value")
	r.name.SetText(name)
	r.value.SetText(value)
	r.name.OnChanged = func(string) { t.changed() }
	r.value.OnChanged = func(string) { t.changed() }
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.remove(r) })
	r.obj = container.NewBorder(nil, nil, nil, remove, container.NewGridWithColumns(2, r.name, r.value))
	t.rows = append(t.rows, r)
	t.box.Add(r.obj)
	t.changed()
	return r
}

func (t *replayHeaderTable) remove(r *replayHeaderRow) {
	if i := slices.Index(t.rows, r); i >= 0 {
		t.rows = slices.Delete(t.rows, i, i+1)
	}
	t.box.Remove(r.obj)
	t.changed()
}

func (t *replayHeaderTable) changed() {
	if t.onChange != nil {
		t.onChange()
	}
}

// header is what the rows say, in their order; rows without a name are
// left out.
func (t *replayHeaderTable) header() http.Header {
	h := http.Header{}
	for _, r := range t.rows {
		if name := strings.TrimSpace(r.name.Text); name != "" {
			h.Add(name, r.value.Text)
		}
	}
	return h
}

// set gives the header name the values: the rows that hold it keep their
// place when there are as many, else they go and new rows are appended.
func (t *replayHeaderTable) set(name string, values []string) {
	var rows []*replayHeaderRow
	for _, r := range t.rows {
		if http.CanonicalHeaderKey(strings.TrimSpace(r.name.Text)) == http.CanonicalHeaderKey(name) {
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
		t.remove(r)
	}
	for _, v := range values {
		t.add(name, v)
	}
}
