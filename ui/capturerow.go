package ui

import (
	"image/color"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// captureRow is one line of the list: method badge, path, signature mark,
// age, a mark on a body cut at the receiver's limit, and size.
type captureRow struct {
	widget.BaseWidget
	badge  *canvas.Rectangle
	method *canvas.Text
	path   *ellipsisText
	age    *widget.Label
	size   *widget.Label
	sig    *widget.Icon
	cut    *widget.Icon // scissors on a body stored truncated
	via    *widget.Icon // a cloud on what came through a tunnel
	// answer marks a non-2xx answer, or a connection a rule dropped, hung,
	// reset or cut (see answerMark).
	answer *canvas.Text
	// columns are the widths of the fixed columns, shared by the rows.
	columns *rowColumnCache
	// marked tints a row marked for Compare (comparemark.go); row is the
	// list row shown, and tap what a click on it does.
	marked *canvas.Rectangle
	row    int
	tap    rowTap
}

// newRow makes a list row; rows share one table of glyph widths.
func (l *captureList) newRow() fyne.CanvasObject {
	r := newCaptureRow(l.widths, l.columns).(*captureRow)
	r.tap.on = l.tapRow
	return r
}

func newCaptureRow(widths *runeWidths, columns *rowColumnCache) fyne.CanvasObject {
	r := &captureRow{
		columns: columns,
		badge:   canvas.NewRectangle(color.Transparent),
		method:  canvas.NewText("POST", color.White),
		path:    newEllipsisText(widths),
		age:     widget.NewLabel("00:00:00"),
		size:    widget.NewLabel("1.0 KiB"),
		sig:     widget.NewIcon(nil),
		cut:     widget.NewIcon(nil),
		via:     widget.NewIcon(nil),
		answer:  canvas.NewText("", theme.Color(theme.ColorNameError)),
		marked:  canvas.NewRectangle(color.Transparent),
		row:     -1,
	}
	r.answer.Alignment = fyne.TextAlignTrailing
	r.method.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	r.method.Alignment = fyne.TextAlignCenter
	r.badge.CornerRadius = 4
	// Age and size are right aligned in columns as wide as their widest
	// value, so rows line up whatever their values. They are not set to
	// truncate: a truncating Label measures its text with a fresh HarfBuzz
	// font on every change (see runeWidths), which on a screen of rows
	// held the UI goroutine for most of a second.
	r.age.Alignment = fyne.TextAlignTrailing
	r.size.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	return r
}

func (r *captureRow) CreateRenderer() fyne.WidgetRenderer {
	badge := container.NewStack(r.badge, container.NewPadded(r.method))
	// The tunnel mark takes its room from the badge's column, not the path's.
	left := container.NewBorder(nil, nil, nil, fixedWidth(r.via, viaMarkWidth), badge)
	row := container.New(captureRowLayout{r.columns}, left, r.path, r.answer, r.sig, r.age, r.cut, r.size)
	return widget.NewSimpleRenderer(container.NewStack(r.marked, row))
}

// Row columns. The badge column holds "OPTIONS" in bold monospace and the
// tunnel mark; age and size are as wide as their widest text.
const (
	badgeColumn = 78
	badgeHeight = 28
	// pathMinText is the least of a path a row shows: the list is never
	// narrower than a row with this much path, so a split divider dragged
	// against it stops there instead of reducing every path to "…".
	pathMinText = "/shop/orders/12345?a"
)

// rowColumns are the widths of a row's fixed columns at the theme's sizes.
type rowColumns struct {
	badge, icon, age, size, path, gap float32
	// answer holds the widest answer mark ("reset", a status).
	answer float32
}

// rowColumnCache measures the columns once per text size: measuring text
// shapes it with HarfBuzz, and every row is laid out on every scroll.
type rowColumnCache struct {
	mu       sync.Mutex
	textSize float32
	cols     rowColumns
}

func (c *rowColumnCache) get() rowColumns {
	c.mu.Lock()
	defer c.mu.Unlock()
	if size := theme.TextSize(); size != c.textSize {
		c.textSize, c.cols = size, measureRowColumns()
	}
	return c.cols
}

func measureRowColumns() rowColumns {
	text := func(widest ...string) float32 {
		w := float32(0)
		for _, s := range widest {
			w = max(w, fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width)
		}
		return w + 2*theme.InnerPadding()
	}
	return rowColumns{
		badge:  badgeColumn,
		icon:   theme.IconInlineSize(),
		age:    text("00m ago", "00s ago", "00h ago", "000d ago", "now"),
		size:   text("1023.9 KiB", "1023.9 MiB", "1023 B"),
		path:   text(pathMinText),
		answer: fyne.MeasureText("reset", theme.TextSize(), fyne.TextStyle{}).Width,
		gap:    theme.Padding(),
	}
}

// captureRowLayout places a row's columns: badge, path, signature mark, age,
// cut mark, size. Every column but the path has a fixed width, so the path
// gets all that is left and the columns line up from row to row and never
// overlap.
type captureRowLayout struct{ columns *rowColumnCache }

func (l captureRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	c := l.columns.get()
	fixed := c.badge + c.answer + c.icon + c.age + c.icon + c.size + 6*c.gap
	widths := []float32{c.badge, max(size.Width-fixed, 0), c.answer, c.icon, c.age, c.icon, c.size}
	heights := []float32{badgeHeight, size.Height, size.Height, c.icon, size.Height, c.icon, size.Height}
	x := float32(0)
	for i, o := range objs {
		h := min(heights[i], size.Height)
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(widths[i], h))
		x += widths[i] + c.gap
	}
}

func (l captureRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c := l.columns.get()
	h := float32(badgeHeight)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(c.badge+c.path+c.answer+c.icon+c.age+c.icon+c.size+6*c.gap, h)
}

func (r *captureRow) set(s store.Summary, now time.Time) {
	r.method.Text = s.Method
	r.badge.FillColor = methodColor(s.Method)
	r.method.Refresh()
	r.badge.Refresh()
	r.path.SetText(s.URI())
	r.age.SetText(relativeTime(now.Sub(s.ReceivedAt)))
	r.size.SetText(humanSize(s.Size))
	if s.Truncated {
		// Stored truncated at the receiver's limit; the Body tab says so
		// in words.
		r.cut.SetResource(theme.NewWarningThemedResource(theme.ContentCutIcon()))
	} else {
		r.cut.SetResource(nil)
	}
	r.sig.SetResource(signatureIcon(s.SignatureStatus))
	r.via.SetResource(viaMark(s.Via))
	r.answer.Text = answerMark(s)
	r.answer.Color = theme.Color(theme.ColorNameError)
	r.answer.Refresh()
}

func (r *captureRow) setLoading() {
	r.method.Text = "…"
	r.badge.FillColor = color.Transparent
	r.method.Refresh()
	r.badge.Refresh()
	r.path.SetText("")
	r.age.SetText("")
	r.size.SetText("")
	r.sig.SetResource(nil)
	r.cut.SetResource(nil)
	r.via.SetResource(nil)
	r.answer.Text = ""
	r.answer.Refresh()
}
