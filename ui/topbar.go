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
	w       *Window
	url     *widget.Label
	status  *widget.Label
	toggle  *widget.Button
	count   *widget.Label
	total   int // captures stored, as last read
	message *widget.Label
	search  *widget.Entry
	query   *queryBox // the search field's syntax, help, history and views
	method  *dropdown
	since   *dropdown
	sig     *dropdown // signature status
	typing  *time.Timer
	layout  *topBarLayout
	content fyne.CanvasObject
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
	// Confirmations and errors show as toasts over the panels, and the last
	// of them stays in a status line under the panels, where its length
	// cannot squeeze the search field. The status line is in the theme's
	// foreground colour: low importance (the disabled colour) was 1.3:1
	// against the background, under WCAG's 4.5:1 for text.
	t.message = widget.NewLabel("")
	t.message.Truncation = fyne.TextTruncateEllipsis
	copyURL := w.newCopyButton("", func() string {
		u := w.srv.URL()
		if u == "" {
			return ""
		}
		w.app.Clipboard().SetContent(u)
		return "Copied " + u
	})
	t.toggle = widget.NewButton("Stop", t.onToggle)
	t.search = widget.NewEntry()
	t.search.OnChanged = func(string) {
		t.query.changed()
		t.scheduleSearch()
	}
	t.query = newQueryBox(w, t.search)
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
	filters := container.NewHBox(t.method, signatureFilterBox(t.sig), fixedWidth(t.since, sinceWidth))
	t.layout = newTopBarLayout()
	t.content = container.New(t.layout, left, t.query.object(), filters, t.query.message)
	t.refreshStatus()
	return t
}

func (t *topBar) object() fyne.CanvasObject { return t.content }

// heightFor is the top bar's height at width: one line or two, and the
// query's message under them when it shows.
func (t *topBar) heightFor(width float32) float32 {
	return t.layout.heightFor(t.content.(*fyne.Container).Objects, width)
}

// searchWant is the least width the search field gets beside the status
// on one line; narrower, it moves to a second line with the filters.
const searchWant = 220

// topBarLayout puts the receiver's status, the search field and the filters
// on one line when they fit, and the search field and the filters on a
// second line when they do not: on a laptop's screen the filters used to go
// off the window's right edge, and the top bar's width kept the window
// wider than the screen. Its objects are the status, the search field, the
// filters and the query's message, which takes a line of its own under the
// field while the query does not parse, from the field's left edge to the
// window's right one, wrapped.
type topBarLayout struct {
	// measure is a copy of the message off the window, wrapped at the
	// width asked to learn its height: resizing the message itself to a
	// width it is not given would wrap it there until the next layout.
	measure *widget.Label
}

func newTopBarLayout() *topBarLayout {
	m := widget.NewLabel("")
	m.Wrapping = fyne.TextWrapWord
	return &topBarLayout{measure: m}
}

func (*topBarLayout) oneLine(objs []fyne.CanvasObject, width float32) bool {
	pad := theme.Padding()
	return objs[0].MinSize().Width+pad+searchWant+pad+objs[2].MinSize().Width <= width
}

func (l *topBarLayout) heightFor(objs []fyne.CanvasObject, width float32) float32 {
	x, y := l.searchAt(objs, width)
	return y + l.lineHeight(objs) + l.messageHeight(objs[3], width-x)
}

// searchAt is where the search field goes: beside the status on one line,
// or at the start of the second.
func (l *topBarLayout) searchAt(objs []fyne.CanvasObject, width float32) (x, y float32) {
	if l.oneLine(objs, width) {
		return objs[0].MinSize().Width + theme.Padding(), 0
	}
	return 0, l.lineHeight(objs) + theme.Padding()
}

func (*topBarLayout) lineHeight(objs []fyne.CanvasObject) float32 {
	h := float32(0)
	for _, o := range objs[:3] {
		h = max(h, o.MinSize().Height)
	}
	return h
}

// messageHeight is the height the message needs, wrapped at width; 0
// while it is hidden. A wrapped label's minimum height follows the width
// it was last given.
func (l *topBarLayout) messageHeight(msg fyne.CanvasObject, width float32) float32 {
	if !msg.Visible() || width <= 0 {
		return 0
	}
	m := l.measure
	if text := msg.(*widget.Label).Text; m.Text != text {
		m.SetText(text)
	}
	m.Resize(fyne.NewSize(width, m.Size().Height))
	return m.MinSize().Height
}

func (l *topBarLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	status, search, filters, msg := objs[0], objs[1], objs[2], objs[3]
	pad, line := theme.Padding(), l.lineHeight(objs)
	fw := filters.MinSize().Width
	status.Move(fyne.NewPos(0, 0))
	status.Resize(fyne.NewSize(status.MinSize().Width, line))
	x, y := l.searchAt(objs, size.Width)
	search.Move(fyne.NewPos(x, y))
	search.Resize(fyne.NewSize(max(size.Width-x-pad-fw, 0), line))
	filters.Move(fyne.NewPos(size.Width-fw, y))
	filters.Resize(fyne.NewSize(fw, line))
	msg.Move(fyne.NewPos(x, y+line))
	msg.Resize(fyne.NewSize(max(size.Width-x, 0), l.messageHeight(msg, size.Width-x)))
}

// MinSize is the two-line arrangement's: the window's layout asks
// heightFor, which knows the width.
func (l *topBarLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	w := max(objs[0].MinSize().Width, objs[1].MinSize().Width+pad+objs[2].MinSize().Width)
	return fyne.NewSize(w, 2*l.lineHeight(objs)+pad+l.messageHeight(objs[3], w))
}

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
	if l := t.w.list; !l.filter.IsZero() && l.ids.Loaded() && t.total > 0 {
		t.count.SetText(fmt.Sprintf("%s of %s %s", groupDigits(l.ids.Len()), groupDigits(t.total), noun))
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
	q, ok := t.query.parse()
	if !ok {
		return // the message under the field says why; the list stays
	}
	f.Text, f.Query = "", q
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

// statusLine is the line under the panels that keeps the last message.
func (t *topBar) statusLine() fyne.CanvasObject { return t.message }

// flash puts msg in the status line, where it stays until the next one.
func (t *topBar) flash(msg string) { t.message.SetText(msg) }

// unflash empties the status line if it still says msg, once what it said
// no longer holds; a later message stays.
func (t *topBar) unflash(msg string) {
	if t.message.Text == msg {
		t.message.SetText("")
	}
}
