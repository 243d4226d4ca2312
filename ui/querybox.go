package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/query"
	"hookscope/store"
)

// prefRecentQueries holds the last queries searched, newest first. The
// preferences file is per database (AppID), so each database keeps its own.
const prefRecentQueries = "search.recent"

// maxRecentQueries is how many recent queries the history menu offers.
const maxRecentQueries = 10

// rememberAfter is how long a query stays unchanged before it is kept as
// recent: the words typed on the way to it are not.
const rememberAfter = 2 * time.Second

// queryBox wraps the search field: the message under it when the query does
// not parse, its "?" syntax popover, recent queries and saving a view.
type queryBox struct {
	w       *Window
	entry   *widget.Entry
	message *widget.Label
	help    *widget.Button
	recent  *widget.Button
	save    *widget.Button
	content fyne.CanvasObject
	// parsed is the last query read, kept while the text is unchanged so
	// the filter compares equal and the list does not read again.
	parsed   *query.Query
	source   string
	remember *time.Timer
}

func newQueryBox(w *Window, entry *widget.Entry) *queryBox {
	b := &queryBox{w: w, entry: entry}
	entry.SetPlaceHolder("Search, or fields: body.type:review …")
	// The top bar lays the message out on a line of its own under the
	// field, as wide as the window from the field's left edge, wrapped:
	// cut to the field's width it lost its column.
	b.message = widget.NewLabel("")
	b.message.Importance = widget.DangerImportance
	b.message.Wrapping = fyne.TextWrapWord
	b.message.Hide()
	b.help = widget.NewButton("?", b.showHelp)
	b.recent = widget.NewButtonWithIcon("", theme.HistoryIcon(), b.showRecent)
	b.save = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), b.saveView)
	entry.OnSubmitted = func(string) { b.keep() }
	buttons := container.NewHBox(b.recent, b.save, b.help)
	b.content = container.NewBorder(nil, nil, nil, buttons, entry)
	return b
}

func (b *queryBox) object() fyne.CanvasObject { return b.content }

// parse reads the field's query, saying what is wrong under it; ok is
// false while it does not parse, and the list then stays as it was. An
// empty field is a nil query.
func (b *queryBox) parse() (q *query.Query, ok bool) {
	text := b.entry.Text
	if text == b.source && b.parsed != nil {
		b.scheduleKeep()
		return b.parsed, true
	}
	q, err := query.Parse(text, time.Local)
	var syntax *query.Error
	if errors.As(err, &syntax) {
		b.say(syntaxMessage(syntax))
		return nil, false
	}
	b.say("")
	if q.Empty() {
		b.parsed, b.source = nil, ""
		return nil, true
	}
	b.parsed, b.source = q, text
	b.scheduleKeep()
	return q, true
}

// syntaxMessage is the error's first clause (the ? popover lists the
// fields), capitalised, and its column: the field is narrow, so the point
// comes first.
func syntaxMessage(e *query.Error) string {
	msg, _, _ := strings.Cut(e.Msg, "; ")
	if msg != "" && !e.Typed {
		// Only prose gets a capital: the user's text stays as typed.
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return fmt.Sprintf("%s (column %d)", msg, e.Pos+1)
}

func (b *queryBox) scheduleKeep() {
	if b.remember != nil {
		b.remember.Stop()
	}
	b.remember = time.AfterFunc(rememberAfter, func() { b.w.do(b.keep) })
}

// keep adds the field's query to the recent ones when it parses.
func (b *queryBox) keep() {
	text := strings.TrimSpace(b.entry.Text)
	if text == "" {
		return
	}
	if q, err := query.Parse(text, time.Local); err != nil || q.Empty() {
		return
	}
	p := b.w.app.Preferences()
	recent := slices.DeleteFunc(p.StringList(prefRecentQueries), func(s string) bool { return s == text })
	recent = append([]string{text}, recent...)
	p.SetStringList(prefRecentQueries, recent[:min(len(recent), maxRecentQueries)])
}

func (b *queryBox) recentQueries() []string {
	return b.w.app.Preferences().StringList(prefRecentQueries)
}

func (b *queryBox) showRecent() {
	recent := b.recentQueries()
	var items []*fyne.MenuItem
	for _, q := range recent {
		items = append(items, fyne.NewMenuItem(q, func() { b.entry.SetText(q) }))
	}
	if len(items) == 0 {
		items = append(items, fyne.NewMenuItem("No recent queries", nil))
		items[0].Disabled = true
	}
	c := b.w.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.recent)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos.AddXY(0, b.recent.Size().Height))
}

// queryHelp documents the syntax; README's "Search and queries" says the
// same. A list, not a table: Fyne's Markdown has no tables.
const queryHelp = `**Search**: words are found in the path, query, headers and body (gzip, deflate and br bodies decoded). Every word and field must match.

- ` + "`invoice 42`" + ` both words anywhere; ` + "`\"needs review\"`" + ` the phrase
- ` + "`method:POST`" + ` the method
- ` + "`path:/isahit/*`" + ` the path; * is any text
- ` + "`project:isahit`" + ` a project; ` + "`project:_unsorted`" + ` none
- ` + "`status:500`" + `, ` + "`status:5xx`" + `, ` + "`status>=400`" + ` the answer sent
- ` + "`sig:invalid`" + ` the signature check: valid, invalid, unsigned, missing_header, malformed_header, timestamp_out_of_tolerance, no_secret, none
- ` + "`header.x-event:onSubmit`" + ` a header's value; ` + "`header.x-event:*`" + ` it is there
- ` + "`body.type:review`" + ` a JSON body's value at a dotted path
- ` + "`body.docs.#>50`" + ` a JSON array's length
- ` + "`after:2026-12-01`" + `, ` + "`before:2026-12-01T14:30`" + ` received at or after, before
- ` + "`size>1mb`" + ` the body's size (kb, mb, gb)
- ` + "`-body.type:annotation`" + ` not

Values compare ignoring case, numbers by value (1.0 is 1). Put text with a ':' in quotes.`

func (b *queryBox) showHelp() {
	text := widget.NewRichTextFromMarkdown(queryHelp)
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(560, 420))
	c := b.w.win.Canvas()
	pop := widget.NewPopUp(scroll, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.help)
	x := max(0, pos.X+b.help.Size().Width-scroll.MinSize().Width)
	pop.ShowAtPosition(fyne.NewPos(x, pos.Y+b.help.Size().Height))
}

// saveView asks a name and saves the field's query as a view of the
// project chosen in the sidebar.
func (b *queryBox) saveView() {
	text := strings.TrimSpace(b.entry.Text)
	if text == "" {
		b.w.flash("Type a query first, then save it as a view")
		return
	}
	if _, ok := b.parse(); !ok {
		return
	}
	name := newEscEntry(b.w.escape)
	name.SetPlaceHolder("Reviews of batch b-12")
	project := b.w.list.filter.Project
	d := dialog.NewForm("Save the query as a view", "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("Query", widget.NewLabel(text))},
		func(ok bool) {
			if !ok {
				return
			}
			b.storeView(store.View{Name: name.Text, Project: project, Query: text})
		}, b.w.win)
	d.Resize(fyne.NewSize(520, 220))
	b.w.showDialog("", d, nil)
	b.w.win.Canvas().Focus(name)
}

func (b *queryBox) storeView(v store.View) {
	backgroundDo(b.w, func() error { return b.w.st.SaveView(v) }, func(err error) {
		if err != nil {
			dialog.ShowError(err, b.w.win)
			return
		}
		b.keep()
		b.w.flash("Saved the view “" + strings.TrimSpace(v.Name) + "”")
		b.w.side.views.show(v.Project)
	})
}
