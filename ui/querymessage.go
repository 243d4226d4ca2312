package ui

import (
	"time"

	"hookscope/query"
)

// say shows msg under the search field, or hides the message when msg is
// "". The window lays out again, so that the top bar's line for it comes
// and goes with it, and the list's empty state says the query is invalid
// rather than that nothing matches.
func (b *queryBox) say(msg string) {
	if msg == b.invalid() {
		return
	}
	b.message.SetText(msg)
	if msg == "" {
		b.message.Hide()
	} else {
		b.message.Show()
	}
	if c := b.w.win.Content(); c != nil {
		c.Refresh()
	}
	b.w.list.refreshEmptyState()
}

// invalid is what is wrong with the field's query, "" when it parses.
func (b *queryBox) invalid() string {
	if !b.message.Visible() {
		return ""
	}
	return b.message.Text
}

// changed hides the message at once when the field is emptied or its query
// mended; a new error waits for the search's delay, so that it does not
// flash at every key of a word being typed.
func (b *queryBox) changed() {
	if b.invalid() == "" {
		return
	}
	if _, err := query.Parse(b.entry.Text, time.Local); err == nil {
		b.say("")
	}
}
