package ui

import (
	"fmt"
	"strconv"
	"strings"
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
	total    int // captures stored, as last read
	message  *widget.Label
	clearMsg *time.Timer
	search   *widget.Entry
	method   *dropdown
	since    *dropdown
	sig      *dropdown // signature status
	typing   *time.Timer
	content  fyne.CanvasObject
}

var methodChoices = []string{"Any method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// timeChoices are the time ranges the list can be narrowed to.
var timeChoices = []struct {
	label string
	span  time.Duration
}{
	{"Any time", 0},
	{"Last 5 minutes", 5 * time.Minute},
	{"Last hour", time.Hour},
	{"Last 24 hours", 24 * time.Hour},
	{"Last 7 days", 7 * 24 * time.Hour},
}

func newTopBar(w *Window) *topBar {
	t := &topBar{w: w}
	t.url = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	t.status = widget.NewLabel("")
	t.count = widget.NewLabel("")
	// Confirmations go to a status line under the panels, where their
	// length cannot squeeze the search field.
	t.message = widget.NewLabel("")
	t.message.Importance = widget.LowImportance
	t.message.Truncation = fyne.TextTruncateEllipsis
	copyURL := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		if u := w.srv.URL(); u != "" {
			w.app.Clipboard().SetContent(u)
		}
	})
	t.toggle = widget.NewButton("Stop", t.onToggle)
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder("Search path, headers and body")
	t.search.OnChanged = func(string) { t.scheduleSearch() }
	t.method = newDropdown(w.win.Canvas, methodChoices, nil)
	t.method.SetSelected(methodChoices[0])
	t.method.OnChanged = func(string) { t.applyFilter() }
	var spans []string
	for _, c := range timeChoices {
		spans = append(spans, c.label)
	}
	t.since = newDropdown(w.win.Canvas, spans, nil)
	t.since.SetSelected(spans[0])
	t.since.OnChanged = func(string) { t.applyFilter() }
	t.sig = newSignatureFilter(w.win.Canvas, t.applyFilter)
	left := container.NewHBox(t.status, t.url, copyURL, t.toggle, widget.NewSeparator(), t.count)
	// The time choice is as wide as its longest label: a Select sizes to
	// what it shows and cut "Last 5 minutes" to "Last 5 min…".
	sinceWidth := fyne.MeasureText("Last 24 hours", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.InnerPadding() + theme.IconInlineSize()
	t.content = container.NewBorder(nil, nil, left, container.NewHBox(t.method, signatureFilterBox(t.sig), fixedWidth(t.since, sinceWidth)), t.search)
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
		t.total = n
		t.showCount()
	})
}

// showCount says how many captures are stored and, when a filter is on, how
// many of them the list shows.
func (t *topBar) showCount() {
	noun := "captures"
	if t.total == 1 {
		noun = "capture"
	}
	if l := t.w.list; !l.filter.IsZero() && l.loaded && t.total > 0 {
		t.count.SetText(fmt.Sprintf("%s of %s %s", groupDigits(len(l.ids)), groupDigits(t.total), noun))
		return
	}
	t.count.SetText(groupDigits(t.total) + " " + noun)
}

// groupDigits writes n with thousands separators: 1,000,000 reads at a
// glance where 1000000 has to be counted.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
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
	f.Signature = signatureChoiceStatus(t.sig.Selected)
	f.Since = time.Time{}
	if span := t.span(); span > 0 {
		f.Since = time.Now().Add(-span)
	}
	t.w.list.setFilter(f)
}

// span is the time range chosen, 0 for any time.
func (t *topBar) span() time.Duration {
	for _, c := range timeChoices {
		if c.label == t.since.Selected {
			return c.span
		}
	}
	return 0
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
