package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/diff"
	"hookscope/store"
)

// dialogCompare is a compare view's kind. Several may be open: no shortcut
// opens it with once.
const dialogCompare = "compare"

// compareSide is one side of a comparison: a capture, what a replay sent or
// what it got back, as the view names it.
type compareSide struct {
	title   string    // "12:03:04.120 · POST /isahit/review"
	at      time.Time // the older side goes on the left
	project string    // the project whose ignore lists apply; "" Unsorted
	kind    delivery.SideKind
	msg     diff.Message
}

// olderFirst returns a and b, the older on the left.
func olderFirst(a, b compareSide) (compareSide, compareSide) {
	if b.at.Before(a.at) {
		return b, a
	}
	return a, b
}

// comparison is two sides compared, with what was left out.
type comparison struct {
	left, right compareSide
	ignore      diff.Ignore
	// shared is set when both sides belong to one project, whose ignore
	// lists then apply and can be remembered.
	shared bool
	report diff.Report
}

// prepareComparison compares two sides with the ignore lists remembered for
// their project. It reads the store: call it off the UI goroutine.
func (w *Window) prepareComparison(a, b compareSide) (comparison, error) {
	cmp := comparison{left: a, right: b, shared: a.project == b.project}
	if cmp.shared {
		ig, err := w.srv.Projects().CompareIgnore(a.project)
		if err != nil {
			return cmp, fmt.Errorf("read the ignore lists of %s: %w", projectName(w, a.project), err)
		}
		cmp.ignore = ig
	}
	cmp.report = diff.Compare(cmp.left.msg, cmp.right.msg, cmp.ignore)
	return cmp, nil
}

// captureSide is a capture as a side of a comparison.
func captureSide(c *store.Capture) compareSide {
	return compareSide{
		title:   captureTitle(c.Method, c.URI(), c.ReceivedAt, time.Now()),
		at:      c.ReceivedAt,
		project: c.Project,
		kind:    delivery.SideCapture,
		msg:     delivery.CaptureMessage(c),
	}
}

// captureTitle names a capture over its column: the time first, to the
// millisecond (all that tells apart two captures of one second, and the
// part a narrow column would cut last), with the date only when it is not
// today's, then the request.
func captureTitle(method, uri string, at, now time.Time) string {
	at, now = at.Local(), now.Local()
	layout := "15:04:05.000"
	switch {
	case at.Year() != now.Year():
		layout = "Jan 2 2006 " + layout
	case at.YearDay() != now.YearDay():
		layout = "Jan 2 " + layout
	}
	return at.Format(layout) + " · " + method + " " + uri
}

// compareCaptures compares two captures, the older on the left, in a
// dialog as wide as the window.
func (w *Window) compareCaptures(a, b store.ID) { w.compareCapturesThen(a, b, nil) }

// compareCapturesThen is compareCaptures calling closed (if not nil) when
// the view closes.
func (w *Window) compareCapturesThen(a, b store.ID, closed func()) {
	background(w, func() (comparison, error) {
		ca, err := w.st.Get(a)
		if err != nil {
			return comparison{}, fmt.Errorf("read capture %s: %w", a, err)
		}
		cb, err := w.st.Get(b)
		if err != nil {
			return comparison{}, fmt.Errorf("read capture %s: %w", b, err)
		}
		left, right := olderFirst(captureSide(ca), captureSide(cb))
		return w.prepareComparison(left, right)
	}, func(cmp comparison, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("compare: %w", err), w.win)
			return
		}
		p := newComparePane(w, "", cmp)
		p.closed = closed
		w.showCompare("Compare two captures", p)
	})
}

// showCompare opens comparisons nearly as large as the window, one tab
// each when there are several: the detail beside the list is too narrow to
// read two messages side by side.
func (w *Window) showCompare(title string, panes ...*comparePane) *comparePane {
	content := panes[0].content
	if len(panes) > 1 {
		tabs := container.NewAppTabs()
		for _, p := range panes {
			tabs.Append(container.NewTabItem(p.name, p.content))
		}
		content = tabs
	}
	dlg := dialog.NewCustom(title, "Close", content, w.win)
	dlg.SetOnClosed(func() {
		for _, p := range panes {
			p.stop()
		}
	})
	size := w.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(size.Width*0.96, size.Height*0.96))
	// Escape closes it; several may be open. Its value is its panes.
	w.showDialog(dialogCompare, dlg, nil).value = panes
	return panes[0]
}

// comparePane shows one comparison: the request line, the headers and the
// body, with the ignore lists, Swap and Copy diff.
type comparePane struct {
	w    *Window
	name string // its tab's title in a dialog of several
	cmp  comparison
	gen  int // bumped by each new comparison; a late one is dropped
	// showSame lists the fields and headers both sides hold alike too.
	showSame bool
	typing   *time.Timer
	closed   func() // called once its dialog has closed; may be nil

	titles  [2]*widget.Label
	summary *widget.Label
	// lineTitle and headersTitle head the request line's rows and the
	// headers: what they are depends on the sides (comparesections.go).
	lineTitle, headersTitle *widget.Label
	// parts holds the request and headers above the body (requestFirst).
	parts         *fyne.Container
	keys, headers *escEntry
	remember      *widget.Button
	saved         *widget.Label // what Remember did, or why it could not
	copy          *copyButton
	request       *fyne.Container
	headerRows    *fyne.Container
	body          *fyne.Container
	content       fyne.CanvasObject
}

func newComparePane(w *Window, name string, cmp comparison) *comparePane {
	p := &comparePane{w: w, name: name, cmp: cmp}
	for i := range p.titles {
		p.titles[i] = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.titles[i].Truncation = fyne.TextTruncateEllipsis
	}
	p.summary = widget.NewLabel("")
	p.summary.Wrapping = fyne.TextWrapWord
	p.request = container.NewVBox()
	p.headerRows = container.NewVBox()
	p.body = container.NewStack()
	swap := widget.NewButtonWithIcon("Swap", theme.ViewRefreshIcon(), p.swap)
	p.copy = w.newCopyButton("Copy diff", func() string {
		w.app.Clipboard().SetContent(p.diffText())
		return "Copied the diff"
	})
	same := newEscCheck("Show equal fields and headers", func(on bool) {
		p.showSame = on
		p.showParts()
	}, w.escape)
	p.lineTitle, p.headersTitle = sectionTitle(""), sectionTitle("")
	p.lineTitle.Wrapping, p.headersTitle.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	upperBox := container.NewVBox(
		p.lineTitle, p.request,
		container.NewBorder(nil, nil, nil, same, p.headersTitle), p.headerRows)
	p.parts = container.New(requestFirst{upper: upperBox}, container.NewVScroll(upperBox), p.body)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(swap, p.copy), p.summary),
		p.ignoreFields(),
		// The titles sit over the columns of values they name.
		container.New(changeColumns{}, layout.NewSpacer(), layout.NewSpacer(), p.titles[0], p.titles[1]))
	p.content = container.NewBorder(top, nil, nil, nil, p.parts)
	p.show()
	return p
}

func sectionTitle(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// stop ends what the pane has scheduled, once its dialog has closed.
func (p *comparePane) stop() {
	if p.typing != nil {
		p.typing.Stop()
	}
	p.gen++
	if p.closed != nil {
		p.closed()
	}
}

// swap puts the right side on the left.
func (p *comparePane) swap() {
	p.cmp.left, p.cmp.right = p.cmp.right, p.cmp.left
	p.recompare()
}

// recompare runs the comparison again in the background with the sides and
// ignore lists as they are now; a later run wins over an earlier one.
func (p *comparePane) recompare() {
	p.gen++
	gen, cmp := p.gen, p.cmp
	background(p.w, func() (diff.Report, error) {
		return diff.Compare(cmp.left.msg, cmp.right.msg, cmp.ignore), nil
	}, func(r diff.Report, _ error) {
		if gen != p.gen {
			return
		}
		p.cmp = cmp
		p.cmp.report = r
		p.show()
	})
}

// show lays the comparison out.
func (p *comparePane) show() {
	p.titles[0].SetText("Left: " + p.cmp.left.title)
	p.titles[1].SetText("Right: " + p.cmp.right.title)
	p.summary.SetText(compareSummary(p.cmp.report, p.cmp.left.kind, p.cmp.right.kind))
	p.showParts()
	p.body.Objects = []fyne.CanvasObject{p.bodyView()}
	p.body.Refresh()
}

// showParts fills the request line's and the headers' tables with what
// differs, and what is equal too when asked; a section with nothing to list
// says so in its heading, a line, so that the body keeps the height.
func (p *comparePane) showParts() {
	left, right := p.cmp.left.kind, p.cmp.right.kind
	var rows []fyne.CanvasObject
	for _, f := range p.cmp.report.Request {
		if f.Change == diff.ChangeSame && !p.showSame {
			continue
		}
		l := newChangeLine(true)
		l.set(changeWord(f.Change, false), f.Name, f.A, f.B, f.Change)
		rows = append(rows, l.obj)
	}
	p.request.Objects = rows
	p.request.Refresh()
	p.lineTitle.SetText(headingOf(sectionHeading(left, right, lineHeading), len(rows)))
	rows = p.headerLines()
	p.headerRows.Objects = rows
	p.headerRows.Refresh()
	p.headersTitle.SetText(headingOf(sectionHeading(left, right, headersHeading), len(rows)))
	if p.parts != nil {
		p.parts.Refresh() // the request and headers may need another height
	}
}

// sameSuffix ends the heading of a section that lists nothing.
const sameSuffix = " — the same"

// headingOf is a section's heading, which says the sides are the same when
// it lists nothing.
func headingOf(heading string, rows int) string {
	if rows == 0 {
		return heading + sameSuffix
	}
	return heading
}

// headerGroups is the order of the headers' three-way table: those that
// differ, those only on the left, only on the right, then (when asked) the
// equal ones.
var headerGroups = []string{diff.ChangeChanged, diff.ChangeRemoved, diff.ChangeAdded, diff.ChangeSame}

// headerLines are the headers' table, values one per line so that the
// values of a repeated header line up.
func (p *comparePane) headerLines() []fyne.CanvasObject {
	var rows []fyne.CanvasObject
	for _, group := range headerGroups {
		if group == diff.ChangeSame && !p.showSame {
			continue
		}
		for _, h := range p.cmp.report.Headers {
			if h.Change != group {
				continue
			}
			l := newChangeLine(true)
			l.set(changeWord(h.Change, true), h.Name, strings.Join(h.A, "\n"), strings.Join(h.B, "\n"), h.Change)
			rows = append(rows, l.obj)
		}
	}
	return rows
}

// compareSummary says in one line how much differs, naming the sections
// as their headings do for the sides' kinds.
func compareSummary(r diff.Report, left, right delivery.SideKind) string {
	if r.Same() {
		return "The two are the same" + ignoredNote(r) + "."
	}
	fields, headers := 0, 0
	for _, f := range r.Request {
		if f.Change != diff.ChangeSame {
			fields++
		}
	}
	for _, h := range r.Headers {
		if h.Change != diff.ChangeSame {
			headers++
		}
	}
	var parts []string
	if fields > 0 {
		parts = append(parts, plural(fields, "field")+" of the "+sectionNoun(left, right, lineHeading))
	}
	if headers > 0 {
		parts = append(parts, headersCount(headers, left, right))
	}
	if body := bodyDifferences(r.Body); body != "" {
		parts = append(parts, body)
	}
	return "Differences: " + strings.Join(parts, ", ") + ignoredNote(r) + "."
}

// bodyDifferences counts what differs in a body, in its kind's terms.
func bodyDifferences(b diff.BodyReport) string {
	switch {
	case b.Kind == diff.BodyJSON && len(b.Changes) > 0:
		return plural(len(b.Changes), "key") + " in the body"
	case b.Kind == diff.BodyText && b.Text != nil && b.Text.Differ > 0:
		return plural(b.Text.Differ, "line") + " of the body"
	case b.Kind == diff.BodyBinary && b.Binary != nil && b.Binary.FirstDiff >= 0:
		return "the binary bodies"
	}
	return ""
}

// ignoredNote says how much the ignore lists left out.
func ignoredNote(r diff.Report) string {
	if r.IgnoredChanges == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d ignored)", r.IgnoredChanges)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// diffText is the comparison as copied: which side is which, as a unified
// diff names them ("---" the left, "+++" the right), then the changes.
func (p *comparePane) diffText() string {
	return "--- " + p.cmp.left.title + "\n+++ " + p.cmp.right.title + "\n" +
		p.cmp.report.TextTitled(diffTitles(p.cmp.left.kind, p.cmp.right.kind))
}
