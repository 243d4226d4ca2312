package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/export"
	"hookscope/render"
	"hookscope/store"
)

// detailPanel shows the selected capture: a summary, actions and tabs.
type detailPanel struct {
	w       *Window
	shown   store.ID
	capture *store.Capture
	pretty  bool
	limit   int // body bytes rendered; "Show all" raises it

	summary *widget.Label
	title   *widget.Label
	// forwarded says what the project's webhook answered when the capture
	// was forwarded.
	forwarded *widget.Label
	actions   *fyne.Container
	tabs      *container.AppTabs
	bodyBox   *fyne.Container
	headers   *fyne.Container
	query     *fyne.Container
	raw       *fyne.Container
	sig       *fyne.Container
	resp      *fyne.Container
	replays   *fyne.Container
	resign    *widget.Check // re-sign quick replays (replayresign.go)
	mode      *widget.RadioGroup
	content   fyne.CanvasObject
	none      *widget.Label

	// compare is the Compare action, in actions while a second capture is
	// marked (comparemark.go).
	compare *widget.Button
}

func newDetailPanel(w *Window) *detailPanel {
	d := &detailPanel{w: w, pretty: true}
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	d.title.Wrapping = fyne.TextWrapBreak
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	d.forwarded = widget.NewLabel("")
	d.forwarded.Hide()
	d.mode = widget.NewRadioGroup([]string{"Pretty", "Raw"}, func(v string) {
		if want := v != "Raw"; want != d.pretty {
			d.pretty = want
			d.renderBody()
		}
	})
	d.mode.Horizontal = true
	d.mode.SetSelected("Pretty")
	d.bodyBox = container.NewStack()
	d.headers = container.NewStack()
	d.query = container.NewStack()
	d.raw = container.NewStack()
	d.sig = container.NewStack()
	d.resp = container.NewStack()
	d.replays = container.NewStack()
	d.resign = d.newResignToggle()
	d.compare = w.newCompareButton()
	d.actions = newOverflowRow(w.win.Canvas,
		widget.NewButtonWithIcon("Replay", theme.MediaReplayIcon(), w.replayShown),
		d.resign,
		widget.NewButtonWithIcon("Edit and replay…", theme.DocumentCreateIcon(), w.editAndReplayShown),
		w.newCopyButton("Copy body", d.bodyToClipboard),
		w.newCopyButton("Copy as curl", d.curlToClipboard),
		widget.NewButtonWithIcon("Compare with…", theme.ViewRestoreIcon(), w.compareWithShown),
		widget.NewButtonWithIcon("Save body", theme.DocumentSaveIcon(), d.saveBody),
		widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), d.deleteShown),
	)
	d.tabs = container.NewAppTabs(
		container.NewTabItem("Body", container.NewBorder(d.mode, nil, nil, nil, d.bodyBox)),
		container.NewTabItem("Headers", d.headers),
		container.NewTabItem("Query", d.query),
		container.NewTabItem("Signature", d.sig),
		container.NewTabItem("Raw", d.raw),
		container.NewTabItem("Response", d.resp),
		// The attempts' list over the chosen attempt is wider and taller
		// than a small detail: it scrolls rather than holding the split to
		// its width or the window taller than a 1024×700 screen.
		container.NewTabItem("Replays", container.NewScroll(d.replays)),
	)
	head := container.NewVBox(d.title, d.summary, d.forwarded, d.actions)
	detail := container.NewBorder(head, nil, nil, nil, d.tabs)
	d.none = widget.NewLabelWithStyle(noneSelected, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	d.content = container.NewStack(detail, container.NewCenter(d.none))
	detail.Hide()
	return d
}

func (d *detailPanel) object() fyne.CanvasObject { return d.content }

// show loads a capture in the background and lays it out.
func (d *detailPanel) show(id store.ID) {
	d.shown = id
	type loaded struct {
		c   *store.Capture
		raw []widget.TextGridRow // the Raw tab, up to 64 KiB of text: not a job for the UI goroutine
	}
	background(d.w, func() (loaded, error) {
		c, err := d.w.st.Get(id)
		if err != nil {
			return loaded{}, err
		}
		return loaded{c, textGridRows(plainLines(rawRequest(c)))}, nil
	}, func(l loaded, err error) {
		if id != d.shown {
			return
		}
		if err != nil {
			d.clear("Could not load the capture: " + err.Error())
			return
		}
		d.capture = l.c
		d.limit = 0
		d.layout(l.raw)
	})
}

// truncatedNote says a body was cut at the receiver's limit, and how large
// the sender said it was when its Content-Length did.
func truncatedNote(c *store.Capture) string {
	whole := "larger than the receiver's limit"
	if n, err := strconv.ParseInt(c.Header.Get("Content-Length"), 10, 64); err == nil && n > int64(len(c.Body)) {
		whole = fmt.Sprintf("%s B by its Content-Length, over the receiver's limit", groupDigits(int(n)))
	}
	return fmt.Sprintf("The body was %s; the first %s were stored and the sender was answered 413.", whole, humanSize(len(c.Body)))
}

// noneSelected is what the detail says when no capture is selected.
const noneSelected = "Select a capture to see its headers and body."

func (d *detailPanel) clear(msg string) {
	d.shown, d.capture = 0, nil
	d.none.SetText(msg)
	d.content.(*fyne.Container).Objects[0].Hide()
	d.none.Show()
}

func (d *detailPanel) layout(raw []widget.TextGridRow) {
	c := d.capture
	d.content.(*fyne.Container).Objects[0].Show()
	d.none.Hide()
	d.title.SetText(c.Method + " " + c.URL())
	d.syncResign(c)
	d.summary.SetText(summaryText(c, time.Now()))
	d.headers.Objects = []fyne.CanvasObject{d.w.headersView(c)}
	d.query.Objects = []fyne.CanvasObject{d.w.copyableFields(queryFields(c.RawQuery))}
	d.raw.Objects = []fyne.CanvasObject{newTextGrid(raw)}
	d.resp.Objects = []fyne.CanvasObject{d.answerView(c)}
	d.sig.Objects = []fyne.CanvasObject{d.w.signatureView(c, d.reverify)}
	d.sig.Refresh()
	d.showSignatureTabIcon(c.Signature.Status)
	d.headers.Refresh()
	d.query.Refresh()
	d.raw.Refresh()
	d.resp.Refresh()
	d.replays.Objects = []fyne.CanvasObject{d.w.replaysView(c)}
	d.replays.Refresh()
	d.renderBody()
	d.showForwarded(c)
}

// replayAction is the action replays are recorded under, apart from the
// project's own webhook actions.
const replayAction = "replay"

// showForwarded looks up the forward of a project's capture, if any.
func (d *detailPanel) showForwarded(c *store.Capture) {
	d.forwarded.Hide()
	if c.Project == "" {
		return
	}
	background(d.w, func() ([]store.Attempt, error) { return d.w.st.CaptureDeliveries(c.ID) }, func(as []store.Attempt, err error) {
		if err != nil || d.capture == nil || d.capture.ID != c.ID {
			return
		}
		for i := len(as) - 1; i >= 0; i-- { // the forward is the oldest attempt
			if a := as[i]; a.Action != replayAction {
				d.forwarded.SetText("Forwarded to " + a.Action + " → " + a.Outcome())
				d.forwarded.Importance = widget.SuccessImportance
				if !a.OK() {
					d.forwarded.Importance = widget.DangerImportance
				}
				d.forwarded.Show()
				return
			}
		}
	})
}

// renderBody renders in the background: pretty-printing and highlighting a
// large body takes longer than a frame.
func (d *detailPanel) renderBody() {
	c := d.capture
	if c == nil {
		return
	}
	limit := d.limit
	if limit == 0 {
		limit = displayLimit
	}
	opt := render.Options{Pretty: d.pretty, Dark: d.w.dark(), Limit: limit}
	d.bodyBox.Objects = []fyne.CanvasObject{widget.NewLabel("Rendering…")}
	d.bodyBox.Refresh()
	id := c.ID
	background(d.w, func() (renderedBody, error) { return renderBody(c.Body, c.Header, opt), nil }, func(rb renderedBody, _ error) {
		if d.capture == nil || d.capture.ID != id {
			return
		}
		showAll := func() {
			d.limit = len(c.Body) + 1
			d.renderBody()
		}
		body := d.w.bodyObject(rb, showAll)
		if c.Truncated {
			body = container.NewBorder(noteLabel(truncatedNote(c), widget.WarningImportance), nil, nil, nil, body)
		}
		d.bodyBox.Objects = []fyne.CanvasObject{body}
		d.bodyBox.Refresh()
	})
}

func (d *detailPanel) responseView(r store.Response) fyne.CanvasObject {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\n", r.Status, statusText(r.Status))
	writeHeaders(&b, r.Header)
	b.WriteString("\n")
	b.Write(r.Body)
	return newTextGrid(textGridRows(plainLines(b.String())))
}

// reverify re-runs the signature check with the project's current secret;
// the store's Updated event brings the new result back to this panel.
func (d *detailPanel) reverify() {
	if d.capture == nil {
		return
	}
	id := d.capture.ID
	background(d.w, func() (*store.Capture, error) { return d.w.srv.Projects().Verify(id) }, func(c *store.Capture, err error) {
		if err != nil {
			dialog.ShowError(err, d.w.win)
			return
		}
		d.w.flash("Signature re-checked: " + c.Signature.Status)
	})
}

// copyBody and copyCurl copy from the menu or a shortcut, which have no
// button to show it on: the toast says it.
func (d *detailPanel) copyBody() {
	if msg := d.bodyToClipboard(); msg != "" {
		d.w.flash(msg)
	}
}

func (d *detailPanel) copyCurl() {
	if msg := d.curlToClipboard(); msg != "" {
		d.w.flash(msg)
	}
}

// bodyToClipboard copies the body and says what it copied, "" for nothing.
func (d *detailPanel) bodyToClipboard() string {
	if d.capture == nil {
		return ""
	}
	d.w.app.Clipboard().SetContent(string(d.capture.Body))
	return fmt.Sprintf("Copied %s of body", humanSize(len(d.capture.Body)))
}

// curlToClipboard copies the capture as a curl command.
func (d *detailPanel) curlToClipboard() string {
	if d.capture == nil {
		return ""
	}
	d.w.app.Clipboard().SetContent(export.Curl(d.capture, d.w.baseURL()))
	return "Copied the capture as a curl command"
}

func (d *detailPanel) saveBody() {
	if d.capture == nil {
		return
	}
	d.w.saveBytes("body-"+d.capture.ID.String()+extensionFor(d.capture.Header.Get("Content-Type")), d.capture.Body)
}

func (d *detailPanel) deleteShown() { d.w.deleteShown() } // undoably: undo.go

func summaryText(c *store.Capture, now time.Time) string {
	ct := c.Header.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	project := c.Project
	if project == "" {
		project = "Unsorted"
	}
	sig := ""
	if l := signatureLook(c.Signature.Status); l.text != "" {
		sig = " · " + l.text
	}
	return fmt.Sprintf("%s (%s) · from %s%s · %s · %s · %s · %s · project %s%s",
		c.ReceivedAt.Format("2006-01-02 15:04:05.000"), relativeTime(now.Sub(c.ReceivedAt)),
		senderAddr(c), viaText(c), c.Proto, humanSize(len(c.Body)), ct, answeredWords(c), project, sig)
}

func headerFields(h map[string][]string) []render.Field {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []render.Field
	for _, n := range names {
		for _, v := range h[n] {
			out = append(out, render.Field{Name: n, Value: v})
		}
	}
	return out
}

// queryFields keeps repeated keys and their order, which url.ParseQuery
// would fold into a map.
func queryFields(raw string) []render.Field {
	var out []render.Field
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, render.Field{Name: k, Value: v})
	}
	return out
}

// rawLimit is how much body the Raw tab shows; the Body tab has the rest.
const rawLimit = 64 << 10

// rawRequest writes the capture as the HTTP/1.1 message it arrived as
// (export.RawRequest: a chunked one chunked, with its trailers), a binary or
// long body replaced by a note that points to the Body tab.
func rawRequest(c *store.Capture) string {
	var body string
	switch {
	case bytes.IndexByte(c.Body, 0) >= 0:
		body = fmt.Sprintf("[%s of binary body: see the Body tab]", humanSize(len(c.Body)))
	case len(c.Body) > rawLimit:
		body = string(c.Body[:rawLimit]) + fmt.Sprintf("\n[… %s more: see the Body tab, or Save body]", humanSize(len(c.Body)-rawLimit))
	default:
		body = string(c.Body)
	}
	return export.RawRequest(c, body)
}

func writeHeaders(b *strings.Builder, h map[string][]string) {
	for _, f := range headerFields(h) {
		fmt.Fprintf(b, "%s: %s\n", f.Name, f.Value)
	}
}

// plainLines splits text into unstyled lines.
func plainLines(text string) []render.Line {
	text = strings.ReplaceAll(text, "\r", "")
	parts := strings.Split(text, "\n")
	lines := make([]render.Line, len(parts))
	for i, p := range parts {
		lines[i] = render.Line{{Text: strings.ReplaceAll(p, "\t", "    ")}}
	}
	return lines
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Status"
}

func extensionFor(ct string) string {
	switch {
	case strings.Contains(ct, "json"):
		return ".json"
	case strings.Contains(ct, "xml"):
		return ".xml"
	case strings.Contains(ct, "html"):
		return ".html"
	case strings.HasPrefix(ct, "text/"):
		return ".txt"
	default:
		return ".bin"
	}
}
