package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const ellipsis = "…"

// runeWidths measures text by summing advance widths measured once per rune
// and text size. widget.Label can cut text with an ellipsis too, but it
// shapes the whole text with a fresh HarfBuzz font on every change: refilling
// a screen of list rows after a jump took 10–20 ms of the UI goroutine, most
// of it there. Kerning is ignored, which errs by a pixel or two on long text;
// fit keeps that much slack.
type runeWidths struct {
	style fyne.TextStyle
	mu    sync.Mutex
	size  float32 // text size the widths were measured at
	w     map[rune]float32
}

func newRuneWidths(style fyne.TextStyle) *runeWidths {
	return &runeWidths{style: style, w: map[rune]float32{}}
}

func (m *runeWidths) width(r rune, size float32) float32 {
	if size != m.size { // the theme's text size changed
		m.size = size
		clear(m.w)
	}
	w, ok := m.w[r]
	if !ok {
		w = fyne.MeasureText(string(r), size, m.style).Width
		m.w[r] = w
	}
	return w
}

// fit returns s, or the longest prefix of s that fits in avail with an
// ellipsis after it.
func (m *runeWidths) fit(s string, size, avail float32) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	const slack = 2
	limit := avail - slack
	total := float32(0)
	for _, r := range s {
		total += m.width(r, size)
	}
	if total <= limit {
		return s
	}
	room := limit - m.width('…', size)
	used := float32(0)
	for i, r := range s {
		w := m.width(r, size)
		if used+w > room {
			return s[:i] + ellipsis
		}
		used += w
	}
	return s // unreachable: the whole text did not fit
}

// ellipsisText is one line of text, cut with "…" to the width it is given.
type ellipsisText struct {
	widget.BaseWidget
	full   string
	text   *canvas.Text
	widths *runeWidths
}

func newEllipsisText(widths *runeWidths) *ellipsisText {
	t := &ellipsisText{text: canvas.NewText("", theme.Color(theme.ColorNameForeground)), widths: widths}
	t.text.TextStyle = widths.style
	t.ExtendBaseWidget(t)
	return t
}

// SetText shows s, cut to fit.
func (t *ellipsisText) SetText(s string) {
	if s == t.full {
		return
	}
	t.full = s
	t.Refresh()
}

// Shown is the text as displayed, after any cut.
func (t *ellipsisText) Shown() string { return t.text.Text }

func (t *ellipsisText) CreateRenderer() fyne.WidgetRenderer { return &ellipsisRenderer{t: t} }

type ellipsisRenderer struct{ t *ellipsisText }

func (r *ellipsisRenderer) Layout(size fyne.Size) {
	pad := theme.InnerPadding()
	t := r.t.text
	t.TextSize = theme.TextSize()
	t.Text = r.t.widths.fit(r.t.full, t.TextSize, size.Width-2*pad)
	h := r.lineHeight()
	t.Move(fyne.NewPos(pad, (size.Height-h)/2))
	t.Resize(fyne.NewSize(size.Width-2*pad, h))
}

func (r *ellipsisRenderer) lineHeight() float32 {
	return fyne.MeasureText("M", theme.TextSize(), r.t.widths.style).Height
}

// MinSize is a Label's height and room for the ellipsis: the text takes the
// width its container gives it, like a truncating Label.
func (r *ellipsisRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	w := fyne.MeasureText(ellipsis, theme.TextSize(), r.t.widths.style).Width
	return fyne.NewSize(w+2*pad, r.lineHeight()+2*pad)
}

func (r *ellipsisRenderer) Refresh() {
	r.t.text.Color = theme.Color(theme.ColorNameForeground)
	r.Layout(r.t.Size())
	r.t.text.Refresh()
}

func (r *ellipsisRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.text} }

func (r *ellipsisRenderer) Destroy() {}
