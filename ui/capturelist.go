package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/idlist"
	"hookscope/store"
)

// pageSize is how many summaries one background read fetches for the list.
const pageSize = 100

// maxCached bounds the summaries kept for display; scrolling far away drops
// the cache rather than growing it to the size of the store.
const maxCached = 5000

// captureList is the live list of captures, newest first. It holds the IDs
// matching the filter (8 bytes each) and fetches summaries a page at a time
// as rows come into view.
type captureList struct {
	w      *Window
	filter store.Filter

	ids      idlist.List // what matches the filter, kept in step with events
	cache    map[store.ID]store.Summary
	loading  map[int]bool // pages being read
	gen      int          // bumped on reload; stale reads are dropped
	selected store.ID
	// marked is a second capture, Ctrl+clicked, to compare with the
	// selected one (comparemark.go); 0 for none.
	marked store.ID
	// selectedRow is the row the list widget has selected; it moves down as
	// captures arrive above it.
	selectedRow int

	widths   *runeWidths // for the rows' paths
	columns  *rowColumnCache
	quiet    bool // the program, not the user, is selecting
	list     *keyList
	empty    fyne.CanvasObject
	emptyMsg *widget.Label
	curl     *widget.Label
	copyCurl *copyButton
	content  fyne.CanvasObject
	now      func() time.Time
}

func newCaptureList(w *Window) *captureList {
	l := &captureList{w: w, cache: map[store.ID]store.Summary{}, loading: map[int]bool{}, now: time.Now, widths: newRuneWidths(fyne.TextStyle{}), columns: &rowColumnCache{}}
	l.list = &keyList{onKey: w.onKey}
	l.list.Length, l.list.CreateItem, l.list.UpdateItem = l.length, l.newRow, l.updateRow
	l.list.OnSelected = l.onSelected
	l.list.ExtendBaseWidget(l.list)
	l.emptyMsg = widget.NewLabel("")
	l.emptyMsg.Wrapping = fyne.TextWrapWord
	l.emptyMsg.Alignment = fyne.TextAlignCenter
	l.curl = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	l.curl.Wrapping = fyne.TextWrapWord
	l.copyCurl = w.newCopyButton("Copy curl", func() string {
		w.app.Clipboard().SetContent(l.curl.Text)
		return "Copied the curl command"
	})
	// A VBox between spacers gives the wrapping labels the panel's whole
	// width; a Center container would squeeze them to their minimum.
	l.empty = container.NewPadded(container.NewVBox(layout.NewSpacer(), l.emptyMsg, l.curl, container.NewCenter(l.copyCurl), layout.NewSpacer()))
	l.empty.Hide()
	l.content = container.NewStack(l.list, l.empty)
	return l
}

func (l *captureList) object() fyne.CanvasObject { return l.content }

func (l *captureList) length() int { return l.ids.Len() }

// idAt maps a row (0 = newest) to its capture.
func (l *captureList) idAt(row int) store.ID { return l.ids.At(row) }

func (l *captureList) rowOf(id store.ID) int { return l.ids.Row(id) }

// firstPage is how many of the newest captures a reload shows before it has
// read every ID: on a large store the full read takes a second from a cold
// disk, and the window should not sit empty meanwhile.
const firstPage = 200

// reload reads the IDs for the current filter in the background: the newest
// page first (unless the filter searches text, where finding a page can cost
// as much as the whole read), then all of them.
func (l *captureList) reload() {
	l.gen++
	l.ids.Reload()
	gen, f := l.gen, l.filter
	// The list keeps showing what it shows until the first read lands.
	l.refreshEmptyState()
	if f.Text == "" {
		background(l.w, func() ([]store.Summary, error) {
			page, _, err := l.w.st.List(f, 0, firstPage)
			return page, err
		}, func(page []store.Summary, err error) {
			if gen != l.gen || l.ids.Loaded() || err != nil {
				return // the full read reports errors
			}
			ids := make([]store.ID, 0, len(page))
			for i := len(page) - 1; i >= 0; i-- {
				ids = append(ids, page[i].ID)
				l.cache[page[i].ID] = page[i]
			}
			l.swapIDs(ids, false)
		})
	}
	background(l.w, func() ([]store.ID, error) { return l.w.st.IDs(f) }, func(ids []store.ID, err error) {
		if gen != l.gen {
			return
		}
		if err != nil {
			l.showMessage("Could not read captures: " + err.Error())
			return
		}
		l.swapIDs(ids, true)
		l.w.startup.loaded()
	})
}

// swapIDs replaces the list's IDs with ids, read from the store while
// events kept arriving (idlist.List.Snapshot reconciles them; complete: all
// of the filter's), and keeps the selection on the same capture.
func (l *captureList) swapIDs(ids []store.ID, complete bool) {
	l.ids.Snapshot(ids, complete)
	l.loading = map[int]bool{}
	if l.ids.Loaded() {
		l.dropSelectionIfGone()
		l.dropMarkIfGone()
	}
	if l.w.top != nil {
		l.w.top.showCount()
	}
	l.list.UnselectAll()
	if row := l.rowOf(l.selected); row >= 0 {
		l.selectQuietly(row)
	}
	l.list.Refresh()
	l.refreshEmptyState()
	l.w.scheduleClock()
}

// narrowSince moves the start of a relative time filter ("last 5 minutes")
// to since without reading the store: a capture whose ID is below since was
// received before it (IDs are never below their receive time), and those
// are a prefix of ids.
func (l *captureList) narrowSince(since time.Time) {
	l.filter.Since = since
	gone := l.ids.DropBefore(store.ID(since.UnixNano()))
	if len(gone) == 0 {
		return
	}
	l.forget(gone)
	l.list.Refresh()
	l.refreshEmptyState()
	if l.w.top != nil {
		l.w.top.showCount()
	}
}

// forget drops what the list keeps for captures no longer listed. A
// capture no longer listed must not stay in the detail, where Replay would
// still send it.
func (l *captureList) forget(gone []store.ID) {
	for _, id := range gone {
		delete(l.cache, id)
	}
	l.loading = map[int]bool{}
	l.dropSelectionIfGone()
	l.dropMarkIfGone()
	l.reselect()
}

// dropSelectionIfGone clears the detail when the selected capture is no
// longer in the list (a filter now leaves it out), as a mail client empties
// its preview.
func (l *captureList) dropSelectionIfGone() {
	if l.selected == 0 || l.rowOf(l.selected) >= 0 {
		return
	}
	l.selected = 0
	l.list.UnselectAll()
	l.w.detail.clear(noneSelected)
}

func (l *captureList) setFilter(f store.Filter) {
	if f == l.filter {
		return
	}
	l.filter = f
	l.reload()
}

// apply folds a batch of store events into the list, keeping the selection
// and, when the user has scrolled away from the top, the rows in view.
func (l *captureList) apply(events []store.Event) {
	var added []store.Summary
	for _, e := range events {
		switch e.Type {
		case store.Added:
			if l.filter.MatchesSummary(e.Summary) {
				added = append(added, e.Summary)
			}
		case store.Deleted:
			if row := l.ids.Delete(e.ID); row >= 0 {
				delete(l.cache, e.ID)
				l.dropMarkIfGone()
				l.loading = map[int]bool{}
				if e.ID == l.selected {
					// Like a mail client: the next capture takes its place.
					l.selected = 0
					l.list.UnselectAll()
					if l.ids.Len() > 0 {
						l.selectQuietly(min(row, l.ids.Len()-1))
					}
				} else {
					l.reselect()
				}
			}
		case store.Pruned:
			// Retention takes the oldest: every ID up to e.ID is gone.
			// Captures of this batch not yet inserted are dropped by insert.
			if gone := l.ids.Prune(e.ID); len(gone) > 0 {
				l.forget(gone)
			}
		case store.Cleared, store.Restored:
			l.reload()
			return
		case store.ProjectsChanged:
			// A deleted or renamed project moved its captures.
			if l.filter.Project != "" {
				l.reload()
				return
			}
		case store.Updated:
			if _, ok := l.cache[e.ID]; ok {
				l.cache[e.ID] = e.Summary
			}
		}
	}
	if l.filter.NeedsCapture() && len(added) > 0 {
		l.confirmText(added)
		added = nil
	}
	l.insert(added)
}

// confirmText checks new captures against the search text in the background
// (the text may be in a body the event does not carry).
func (l *captureList) confirmText(added []store.Summary) {
	gen, f := l.gen, l.filter
	background(l.w, func() ([]store.Summary, error) {
		var keep []store.Summary
		for _, s := range added {
			c, err := l.w.st.Get(s.ID)
			if err == nil && f.MatchesCapture(c) {
				keep = append(keep, s)
			}
		}
		return keep, nil
	}, func(keep []store.Summary, _ error) {
		if gen == l.gen {
			l.insert(keep)
		}
	})
}

func (l *captureList) insert(added []store.Summary) {
	if l.w.top != nil {
		defer l.w.top.showCount() // a filtered count follows the list
	}
	if len(added) == 0 {
		l.list.Refresh()
		return
	}
	offset := l.list.GetScrollOffset()
	ids := make([]store.ID, 0, len(added))
	for _, s := range added {
		if !l.ids.Pruned(s.ID) { // retention took it before it was shown
			l.cache[s.ID] = s
		}
		ids = append(ids, s.ID)
	}
	newest := l.ids.Insert(ids)
	// Rows moved down: page numbers no longer match.
	l.loading = map[int]bool{}
	l.reselect()
	if offset > 0 {
		l.list.ScrollToOffset(offset + float32(newest)*l.rowHeight())
	}
	l.list.Refresh()
	l.refreshEmptyState()
}

// reselect moves the list's selection to where the selected capture now is.
func (l *captureList) reselect() {
	if l.selected == 0 {
		return
	}
	if row := l.rowOf(l.selected); row >= 0 {
		l.selectQuietly(row)
	}
}

// selectQuietly selects row for the program, not the user: the keyboard
// focus stays where it is (the user may be typing a search).
func (l *captureList) selectQuietly(row int) {
	l.quiet = true
	defer func() { l.quiet = false }()
	l.list.Select(row)
}

// move selects the row delta rows below the selected one (above when
// negative), as the arrow keys do.
func (l *captureList) move(delta int) {
	if l.ids.Len() == 0 {
		return
	}
	row := 0
	if l.selected != 0 {
		row = max(0, min(l.ids.Len()-1, l.selectedRow+delta))
	}
	l.list.Select(row)
	l.list.ScrollTo(row)
}

func (l *captureList) rowHeight() float32 {
	return l.newRow().MinSize().Height + theme.Padding()
}

func (l *captureList) onSelected(row int) {
	if row < 0 || row >= l.ids.Len() {
		return
	}
	l.selectedRow = row
	if !l.quiet {
		// A row the user picked takes the keyboard from the search
		// field, so Up/Down/Enter/Delete act on the list next; clicking
		// a row does not move the focus by itself.
		if c := l.w.win.Canvas(); c.Focused() != l.list {
			c.Focus(l.list)
		}
	}
	id := l.idAt(row)
	if id == l.selected && l.w.detail.shown == id {
		return
	}
	l.selected = id
	l.w.detail.show(id)
	l.w.detail.syncCompareAction()
}

// summary returns the row's summary, fetching its page when not cached.
func (l *captureList) summary(row int) (store.Summary, bool) {
	id := l.idAt(row)
	if s, ok := l.cache[id]; ok {
		return s, true
	}
	page := row / pageSize
	if l.loading[page] {
		return store.Summary{}, false
	}
	l.loading[page] = true
	from, to := page*pageSize, min((page+1)*pageSize, l.ids.Len())
	want := make([]store.ID, 0, to-from)
	for r := from; r < to; r++ {
		want = append(want, l.idAt(r))
	}
	gen := l.gen
	background(l.w, func() ([]store.Summary, error) { return l.w.st.Summaries(want) }, func(sums []store.Summary, err error) {
		if gen != l.gen || err != nil {
			return
		}
		if len(l.cache)+len(sums) > maxCached {
			l.cache = map[store.ID]store.Summary{}
		}
		for _, s := range sums {
			l.cache[s.ID] = s
		}
		delete(l.loading, page)
		l.list.Refresh()
		l.w.scheduleClock() // the rows now show ages
	})
	return store.Summary{}, false
}

func (l *captureList) refreshEmptyState() {
	if l.ids.Len() > 0 {
		l.empty.Hide()
		return
	}
	if !l.ids.Loaded() {
		l.showMessage("Reading captures…")
		return
	}
	if bad := l.queryError(); bad != "" {
		// The list is still narrowed by the query read before this one:
		// that nothing matches it says nothing of the query typed.
		l.showMessage("The search does not parse: " + bad + ". Mend it or clear the field.")
		return
	}
	if !l.filter.IsZero() {
		msg := "No capture matches the filters."
		if l.filter.Text != "" || !l.filter.Query.Empty() {
			msg = "No capture matches the search."
		}
		l.showMessage(msg)
		return
	}
	url := l.w.srv.URL()
	if url == "" {
		l.showMessage("The receiver is stopped. Start it to capture webhooks.")
		return
	}
	url = l.w.receiveBase()
	l.emptyMsg.SetText("No captures yet. Point your webhook at " + url + "/anything — every method and path is captured. Or try:")
	l.curl.SetText(fmt.Sprintf(`curl -X POST %s/demo/ingested -H 'Content-Type: application/json' -d '{"docs":[{"id":"1","key":"k"}]}'`, url))
	l.curl.Show()
	l.copyCurl.Show()
	l.empty.Show()
}

// queryError is what is wrong with the search field's query, "" when it
// parses (or before the top bar is made).
func (l *captureList) queryError() string {
	if l.w.top == nil {
		return ""
	}
	return l.w.top.query.invalid()
}

func (l *captureList) showMessage(msg string) {
	l.emptyMsg.SetText(msg)
	l.curl.Hide()
	l.copyCurl.Hide()
	l.empty.Show()
}

// keyList is the capture list widget with the window's keys: a tapped list
// takes the keyboard focus, and Up/Down must then move the selection (not
// just a focus highlight), Enter and Delete act on the capture.
type keyList struct {
	widget.List
	onKey func(*fyne.KeyEvent)
}

// TypedKey hands every key to the window's handler.
func (k *keyList) TypedKey(e *fyne.KeyEvent) { k.onKey(e) }

func (l *captureList) updateRow(row int, obj fyne.CanvasObject) {
	r := obj.(*captureRow)
	r.row = row
	r.setMarked(row < l.ids.Len() && l.marked != 0 && l.idAt(row) == l.marked)
	if row >= l.ids.Len() {
		r.setLoading()
		return
	}
	s, ok := l.summary(row)
	if !ok {
		r.setLoading()
		return
	}
	r.set(s, l.now())
}

// methodColor gives each common method a badge colour, as API tools do.
func methodColor(m string) color.Color {
	switch m {
	case "GET":
		return color.NRGBA{0x2e, 0x7d, 0x32, 0xff}
	case "POST":
		return color.NRGBA{0x15, 0x65, 0xc0, 0xff}
	case "PUT":
		return color.NRGBA{0xef, 0x6c, 0x00, 0xff}
	case "PATCH":
		return color.NRGBA{0x6a, 0x1b, 0x9a, 0xff}
	case "DELETE":
		return color.NRGBA{0xc6, 0x28, 0x28, 0xff}
	default:
		return color.NRGBA{0x54, 0x6e, 0x7a, 0xff}
	}
}

func relativeTime(d time.Duration) string {
	switch {
	case d < time.Second:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}

func humanSize(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
}
