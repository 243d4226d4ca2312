package ui

import (
	"errors"
	"fmt"
	"image/color"
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/diff"
	"hookscope/projects"
)

// changeWord names a change in a table's first column; headers say which
// side holds them, as a three-way table does.
func changeWord(change string, sides bool) string {
	if !sides {
		return change
	}
	switch change {
	case diff.ChangeAdded:
		return "only right"
	case diff.ChangeRemoved:
		return "only left"
	case diff.ChangeChanged:
		return "different"
	}
	return change
}

// changeTint is a row's background for a change: the theme's success,
// error and warning colours, faint enough that the theme's text colour
// stays readable on them in the light and the dark variant.
func changeTint(change string) color.Color {
	var name fyne.ThemeColorName
	switch change {
	case diff.ChangeAdded:
		name = theme.ColorNameSuccess
	case diff.ChangeRemoved:
		name = theme.ColorNameError
	case diff.ChangeChanged:
		name = theme.ColorNameWarning
	default:
		return color.Transparent
	}
	c := color.NRGBAModel.Convert(theme.Color(name)).(color.NRGBA)
	c.A = 0x40
	return c
}

// changeLine is one row of a comparison's tables: the change, the name (a
// field, a header, a key path) and the two sides' values, on the change's
// tint.
type changeLine struct {
	tint             *canvas.Rectangle
	what, name, a, b *widget.Label
	obj              fyne.CanvasObject
}

// newChangeLine makes a row; wrap breaks long values over lines (the
// tables above the body), else they end in "…" (the body's list, whose
// rows are one line high).
func newChangeLine(wrap bool) *changeLine {
	l := &changeLine{tint: canvas.NewRectangle(color.Transparent)}
	label := func(style fyne.TextStyle) *widget.Label {
		x := widget.NewLabelWithStyle("", fyne.TextAlignLeading, style)
		if wrap {
			x.Wrapping = fyne.TextWrapBreak
		} else {
			x.Truncation = fyne.TextTruncateEllipsis
		}
		return x
	}
	l.what = label(fyne.TextStyle{Italic: true})
	l.name = label(fyne.TextStyle{Bold: true})
	l.a = label(fyne.TextStyle{Monospace: true})
	l.b = label(fyne.TextStyle{Monospace: true})
	l.obj = container.NewStack(l.tint, container.New(changeColumns{}, l.what, l.name, l.a, l.b))
	return l
}

func (l *changeLine) set(what, name, a, b, change string) {
	l.what.SetText(what)
	l.name.SetText(name)
	l.a.SetText(a)
	l.b.SetText(b)
	l.tint.FillColor = changeTint(change)
	l.tint.Refresh()
}

// changeColumns lays a changeLine out: the change in a column as wide as
// "only right", the name on a quarter of the rest, the values on the
// remainder, halved.
type changeColumns struct{}

func (changeColumns) whatWidth() float32 {
	return fyne.MeasureText("only right", theme.TextSize(), fyne.TextStyle{Italic: true}).Width + 2*theme.InnerPadding()
}

func (c changeColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	what := c.whatWidth()
	rest := max(size.Width-what, 0)
	widths := []float32{what, rest * 0.24, rest * 0.38, rest * 0.38}
	x := float32(0)
	for i, o := range objs {
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(widths[i], size.Height))
		x += widths[i]
	}
}

func (c changeColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(c.whatWidth()+3*60, h)
}

// bodyView shows how the bodies compare, in their kind's terms, under the
// report's note (a body compared as text for not being JSON, say).
func (p *comparePane) bodyView() fyne.CanvasObject {
	b := p.cmp.report.Body
	var main fyne.CanvasObject
	switch {
	case b.Kind == diff.BodyJSON && len(b.Changes) > 0:
		main = p.jsonChanges(b.Changes)
	case b.Kind == diff.BodyText && b.Text != nil && b.Text.Differ > 0:
		main = sideBySide(*b.Text)
	case b.Kind == diff.BodyBinary && b.Binary != nil:
		main = widget.NewLabel(binarySummary(*b.Binary))
	default:
		main = widget.NewLabel("The bodies are the same.")
	}
	top := []fyne.CanvasObject{sectionTitle("Body")}
	if b.Note != "" {
		top = append(top, noteLabel(b.Note, widget.WarningImportance))
	}
	return container.NewBorder(container.NewVBox(top...), nil, nil, nil, main)
}

// jsonChanges lists a JSON body's changes by key path, one line each (a
// list, not a box: a large document may differ in thousands of places),
// over the values of the one clicked, whole. A click on a row gives the
// list the keyboard: it hands Escape on to the window, which closes the
// dialog.
func (p *comparePane) jsonChanges(changes []diff.BodyChange) fyne.CanvasObject {
	lines := map[fyne.CanvasObject]*changeLine{}
	list := newEscList(
		func() int { return len(changes) },
		func() fyne.CanvasObject {
			l := newChangeLine(false)
			lines[l.obj] = l
			return l.obj
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := changes[i]
			a, b := changeSides(c)
			if c.Change == diff.ChangeChanged {
				a, b = aroundFirstDiff(a, b)
			}
			lines[o].set(c.Change, c.Path, a, b, c.Change)
		}, p.w.escape)
	detail := p.newValueDetail()
	list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(changes) {
			detail.show(changes[i])
		}
	}
	detail.around = container.New(listOverDetail{detail: detail}, list, detail.scroll)
	return detail.around
}

// absentMark stands for the value on the side that lacks a key.
const absentMark = "—"

// changeSides are a change's two values as shown, a dash on the side that
// lacks the key.
func changeSides(c diff.BodyChange) (a, b string) {
	a, b = c.Sides()
	switch c.Change {
	case diff.ChangeAdded:
		a = absentMark
	case diff.ChangeRemoved:
		b = absentMark
	}
	return a, b
}

// binarySummary says where two binary bodies part.
func binarySummary(b diff.Binary) string {
	sizes := fmt.Sprintf("left %s, right %s", groupDigits(b.LeftSize)+" B", groupDigits(b.RightSize)+" B")
	if b.FirstDiff < 0 {
		return "The binary bodies are the same (" + sizes + ")."
	}
	return fmt.Sprintf("The binary bodies differ from byte %s (0x%x) on: %s.", groupDigits(b.FirstDiff), b.FirstDiff, sizes)
}

// sideBySide lays two texts out in two columns, the rows that differ
// marked.
func sideBySide(sb diff.Text) fyne.CanvasObject {
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	grid := func(side func(diff.Row) string) *widget.TextGrid {
		rows := make([]widget.TextGridRow, len(sb.Rows))
		for k, r := range sb.Rows {
			var style widget.TextGridStyle
			if r.Op != diff.Same {
				style = mark
			}
			var cells []widget.TextGridCell
			for _, c := range r.Op.Mark() + strings.ReplaceAll(side(r), "\t", "    ") {
				cells = append(cells, widget.TextGridCell{Rune: c, Style: style})
			}
			rows[k] = widget.TextGridRow{Cells: cells}
		}
		return newTextGrid(rows)
	}
	return container.NewGridWithColumns(2,
		grid(func(r diff.Row) string { return r.Left }),
		grid(func(r diff.Row) string { return r.Right }))
}

// ignoreFields are the two lists a comparison leaves out, applied as they
// are typed, and Remember, which keeps them for the sides' project.
func (p *comparePane) ignoreFields() fyne.CanvasObject {
	p.keys = newEscEntry(p.w.escape)
	p.keys.SetPlaceHolder("e.g. timestamp, data.taskId")
	p.keys.SetText(strings.Join(p.cmp.ignore.Keys, ", "))
	p.headers = newEscEntry(p.w.escape)
	p.headers.SetPlaceHolder("e.g. Date, X-Request-Id")
	p.headers.SetText(strings.Join(p.cmp.ignore.Headers, ", "))
	p.keys.OnChanged = func(string) { p.scheduleRecompare() }
	p.headers.OnChanged = func(string) { p.scheduleRecompare() }
	p.saved = widget.NewLabel("")
	p.saved.Wrapping = fyne.TextWrapWord
	p.saved.Hide()
	p.remember = widget.NewButtonWithIcon("Remember for this project", theme.DocumentSaveIcon(), p.rememberIgnore)
	if !p.cmp.shared {
		p.remember.Disable()
		p.saved.SetText("The two belong to different projects: the lists apply here only.")
		p.saved.Show()
	}
	fields := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel("Ignore keys"), nil, p.keys),
		container.NewBorder(nil, nil, widget.NewLabel("Ignore headers"), nil, p.headers))
	return container.NewVBox(container.NewBorder(nil, nil, nil, p.remember, fields), p.saved)
}

// ignoreDelay is how long typing in an ignore list pauses before the
// comparison runs again, as the search field waits.
const ignoreDelay = searchDelay

func (p *comparePane) scheduleRecompare() {
	if p.typing != nil {
		p.typing.Stop()
	}
	p.typing = time.AfterFunc(ignoreDelay, func() { p.w.do(p.applyIgnore) })
}

// applyIgnore compares again with the lists as typed.
func (p *comparePane) applyIgnore() {
	p.cmp.ignore = diff.Ignore{Keys: splitList(p.keys.Text), Headers: splitList(p.headers.Text)}
	p.recompare()
}

// splitList reads a list typed with commas or one item a line.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// rememberIgnore saves the lists as typed for the sides' project; what is
// wrong with them is said under the fields, and nothing is saved.
func (p *comparePane) rememberIgnore() {
	ig := diff.Ignore{Keys: splitList(p.keys.Text), Headers: splitList(p.headers.Text)}
	slug := p.cmp.left.project
	p.remember.Disable()
	background(p.w, func() (struct{}, error) {
		return struct{}{}, p.w.srv.Projects().SetCompareIgnore(slug, ig)
	}, func(_ struct{}, err error) {
		p.remember.Enable()
		p.saved.Show()
		if err != nil {
			p.saved.Importance = widget.DangerImportance
			p.saved.SetText("Not remembered: " + ignoreError(err, ig))
			return
		}
		p.saved.Importance = widget.SuccessImportance
		p.saved.SetText("Remembered for " + projectName(p.w, slug) + ": every comparison of its captures leaves these out.")
	})
}

// ignoreLists are the project fields that hold the ignore lists, as the
// view labels them.
var ignoreLists = []struct {
	path, label string
	of          func(diff.Ignore) []string
}{
	{"compare.ignoreKeys", "Ignore keys", func(ig diff.Ignore) []string { return ig.Keys }},
	{"compare.ignoreHeaders", "Ignore headers", func(ig diff.Ignore) []string { return ig.Headers }},
}

// ignoreError says what is wrong with the lists in the view's words: the
// field's label and the entry at fault rather than the project's field
// path ("compare.ignoreHeaders[0]").
func ignoreError(err error, ig diff.Ignore) string {
	var fields projects.FieldErrors
	if !errors.As(err, &fields) {
		return err.Error()
	}
	var out []string
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		msg := path + ": " + fields[path]
		for _, l := range ignoreLists {
			list := l.of(ig)
			var i int
			if _, err := fmt.Sscanf(path, l.path+"[%d]", &i); err == nil && i >= 0 && i < len(list) {
				msg = fmt.Sprintf("%s: %q %s", l.label, list[i], fields[path])
			} else if path == l.path {
				msg = l.label + ": " + fields[path]
			}
		}
		out = append(out, msg)
	}
	return strings.Join(out, "; ")
}

// projectName is a project's name as the sidebar shows it.
func projectName(w *Window, slug string) string {
	if slug == "" {
		return "Unsorted"
	}
	if p, ok := w.srv.Projects().Get(slug); ok && p.Name != "" {
		return p.Name
	}
	return slug
}

// requestFirst lays the compare view out: the request line and the headers
// (objects[0], a scroll over upper) get the height their rows need, up to
// three quarters of the view, so that no differing header hides behind a
// scroll while the body has room to spare; the body (objects[1]) takes the
// rest, at least a quarter.
type requestFirst struct {
	upper fyne.CanvasObject
}

func (l requestFirst) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	h := min(l.upper.MinSize().Height, size.Height*3/4)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+pad))
	objs[1].Resize(fyne.NewSize(size.Width, max(0, size.Height-h-pad)))
}

func (l requestFirst) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := max(objs[0].MinSize().Width, objs[1].MinSize().Width)
	return fyne.NewSize(w, objs[0].MinSize().Height+theme.Padding()+objs[1].MinSize().Height)
}
