package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// searchDelay lets a user finish a word before the store is searched.
const searchDelay = 150 * time.Millisecond

// topBar shows where the receiver listens, whether it runs, how many
// captures are stored, and holds the search field.
type topBar struct {
	w        *Window
	url      *widget.Label
	status   *widget.Label
	toggle   *widget.Button
	count    *widget.Label
	message  *widget.Label
	clearMsg *time.Timer
	search   *widget.Entry
	method   *widget.Select
	typing   *time.Timer
	content  fyne.CanvasObject
}

var methodChoices = []string{"Any method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

func newTopBar(w *Window) *topBar {
	t := &topBar{w: w}
	t.url = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	t.status = widget.NewLabel("")
	t.count = widget.NewLabel("")
	t.message = widget.NewLabel("")
	t.message.Importance = widget.LowImportance
	copyURL := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		if u := w.srv.URL(); u != "" {
			w.app.Clipboard().SetContent(u)
		}
	})
	t.toggle = widget.NewButton("Stop", t.onToggle)
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder("Search path, headers and body")
	t.search.OnChanged = func(string) { t.scheduleSearch() }
	t.method = widget.NewSelect(methodChoices, func(string) { t.applyFilter() })
	t.method.SetSelected(methodChoices[0])
	left := container.NewHBox(t.status, t.url, copyURL, t.toggle, widget.NewSeparator(), t.count, t.message)
	t.content = container.NewBorder(nil, nil, left, t.method, t.search)
	t.refreshStatus()
	return t
}

func (t *topBar) object() fyne.CanvasObject { return t.content }

func (t *topBar) onToggle() {
	if t.w.srv.Addr() != "" {
		t.w.stopReceiver()
		return
	}
	t.w.startReceiver(t.w.addr)
}

func (t *topBar) refreshStatus() {
	if u := t.w.srv.URL(); u != "" {
		t.status.SetText("● Listening")
		t.status.Importance = widget.SuccessImportance
		t.url.SetText(u)
		t.toggle.SetText("Stop")
	} else {
		t.status.SetText("○ Stopped")
		t.status.Importance = widget.WarningImportance
		t.url.SetText(t.w.addr)
		t.toggle.SetText("Start")
	}
	t.status.Refresh()
	t.refreshCount()
}

func (t *topBar) refreshCount() {
	background(t.w, t.w.st.Count, func(n int, err error) {
		if err != nil {
			t.count.SetText("count unavailable")
			return
		}
		t.count.SetText(fmt.Sprintf("%d captures", n))
	})
}

func (t *topBar) scheduleSearch() {
	if t.typing != nil {
		t.typing.Stop()
	}
	t.typing = time.AfterFunc(searchDelay, func() { t.w.do(t.applyFilter) })
}

func (t *topBar) applyFilter() {
	f := t.w.list.filter
	f.Text = t.search.Text
	f.Method = ""
	if m := t.method.Selected; m != "" && m != methodChoices[0] {
		f.Method = m
	}
	t.w.list.setFilter(f)
}

// flashFor is how long a confirmation stays in the top bar.
const flashFor = 3 * time.Second

func (t *topBar) flash(msg string) {
	t.message.SetText(msg)
	if t.clearMsg != nil {
		t.clearMsg.Stop()
	}
	t.clearMsg = time.AfterFunc(flashFor, func() { t.w.do(func() { t.message.SetText("") }) })
}
