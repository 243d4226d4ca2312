package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"fyne.io/fyne/v2"
)

// The edit-and-replay dialog's body editor shows a JSON body pretty-printed
// or raw. What it sends does not depend on the view: a body nobody edited
// goes byte for byte as captured (the view, and the entry's normalised line
// ends, are only for reading); an edited one goes as typed.

// The views of the body.
const (
	replayBodyPretty = "Pretty"
	replayBodyRaw    = "Raw"
)

// replayBody is the body editor: the entry, the Pretty/Raw choice, and the
// body as captured.
type replayBody struct {
	entry *escEntry
	mode  *dropdown
	orig  []byte
	// untouched is the entry's text when it last showed the captured body
	// unedited; the entry holding it means nobody edited the body.
	untouched string
	view      string // the mode the entry's text is in
	// onChange runs after each edit; onRefused when Pretty cannot be
	// shown (the text is not JSON).
	onChange  func()
	onRefused func()
}

func newReplayBody(orig []byte, canvas func() fyne.Canvas, onEscape func() bool, onChange, onRefused func()) *replayBody {
	b := &replayBody{orig: orig, onChange: onChange, onRefused: onRefused}
	b.entry = newEscMultiLineEntry(onEscape)
	b.entry.TextStyle = fyne.TextStyle{Monospace: true}
	b.entry.Wrapping = fyne.TextWrapOff
	b.entry.SetMinRowsVisible(10)
	b.mode = newDropdown(canvas, []string{replayBodyPretty, replayBodyRaw}, nil)
	b.view = replayBodyRaw
	if json.Valid(orig) {
		b.view = replayBodyPretty
	}
	b.mode.SetSelected(b.view)
	b.showUntouched()
	b.entry.OnChanged = func(string) {
		if b.onChange != nil {
			b.onChange()
		}
	}
	b.mode.OnChanged = b.switchView
	return b
}

// showUntouched shows the captured body in the current view.
func (b *replayBody) showUntouched() {
	text := string(b.orig)
	if b.view == replayBodyPretty {
		text, _ = prettyJSON(text)
	}
	b.setText(text)
	b.untouched = b.entry.Text
}

// setText sets the entry's text without counting it as an edit.
func (b *replayBody) setText(text string) {
	on := b.entry.OnChanged
	b.entry.OnChanged = nil
	b.entry.SetText(text)
	b.entry.OnChanged = on
	if on != nil {
		on(b.entry.Text)
	}
}

// edited reports whether the user changed the body.
func (b *replayBody) edited() bool { return b.entry.Text != b.untouched }

// switchView shows the body in the view chosen: the captured body when it
// was not edited, else the edit pretty-printed or compacted. Text that is not
// JSON has no pretty view: the choice goes back to Raw.
func (b *replayBody) switchView(view string) {
	if view == b.view {
		return
	}
	if !b.edited() {
		if view == replayBodyPretty && !json.Valid(b.orig) {
			b.refuse()
			return
		}
		b.view = view
		b.showUntouched()
		return
	}
	text, ok := prettyJSON(b.entry.Text)
	if view == replayBodyRaw {
		text, ok = compactJSON(b.entry.Text)
	}
	if !ok {
		if view == replayBodyPretty {
			b.refuse()
			return
		}
		text = b.entry.Text // the edit was not JSON: raw is what it is
	}
	b.view = view
	b.setText(text)
}

// refuse puts the choice back on Raw.
func (b *replayBody) refuse() {
	on := b.mode.OnChanged
	b.mode.OnChanged = nil
	b.mode.SetSelected(replayBodyRaw)
	b.mode.OnChanged = on
	if b.onRefused != nil {
		b.onRefused()
	}
}

// body is what to send: the captured bytes unless the body was edited.
func (b *replayBody) body() []byte {
	if !b.edited() {
		return bytes.Clone(b.orig)
	}
	return []byte(b.entry.Text)
}

// prettyJSON indents JSON text by two spaces, its strings and numbers
// written as they were (json.Indent does not re-encode them).
func prettyJSON(text string) (string, bool) {
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(text), "", "  "); err != nil {
		return text, false
	}
	return strings.TrimRight(out.String(), " \t\r\n"), true
}

// compactJSON drops the insignificant whitespace of JSON text.
func compactJSON(text string) (string, bool) {
	var out bytes.Buffer
	if err := json.Compact(&out, []byte(text)); err != nil {
		return text, false
	}
	return out.String(), true
}
