package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// receiveURLs shows, in the project editor, the URLs a platform should send
// the project's webhooks to — the project's path and one per action — under
// the Public URL while it is online, so they can be pasted into the
// platform's webhook settings; otherwise the local ones, which only senders
// on this machine reach.
type receiveURLs struct {
	e    *projectEditor
	note *widget.Label
	rows *fyne.Container
	box  *fyne.Container
	// shown are the URLs on show, so a refresh that changes nothing
	// rebuilds nothing (it runs on every keystroke in the editor).
	shown []string
	// twin shows the same URLs on the General tab, beside the slug they
	// are made of.
	twin *receiveURLs
}

func newReceiveURLs(e *projectEditor) *receiveURLs {
	r := newReceiveList(e)
	title := widget.NewLabelWithStyle("Receive at", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.box = container.NewVBox(title, r.rows, r.note, widget.NewSeparator())
	r.twin = newReceiveList(e)
	// Beside the slug the note keeps one line whatever it says, so the
	// form below does not move as the slug is typed; the Webhooks tab
	// shows it whole.
	r.twin.note.Wrapping = fyne.TextWrapOff
	r.twin.note.Truncation = fyne.TextTruncateEllipsis
	r.twin.box = container.NewVBox(r.twin.rows, r.twin.note)
	return r
}

func newReceiveList(e *projectEditor) *receiveURLs {
	return &receiveURLs{e: e, note: noteLabel("", widget.MediumImportance), rows: container.New(layout.NewFormLayout())}
}

func (r *receiveURLs) object() fyne.CanvasObject { return r.box }

// besideSlug is the General tab's copy of the URLs.
func (r *receiveURLs) besideSlug() fyne.CanvasObject { return r.twin.box }

// urls are the project's receive URLs under base: its path, then one per
// action of its webhooks ("default" takes what no action names, so it has
// no path of its own).
func receiveURLList(base, slug string, actions []string) []string {
	if slug == "" {
		return nil
	}
	root := strings.TrimRight(base, "/") + "/" + slug
	out := []string{root}
	for _, a := range actions {
		if a == "" || a == store.DefaultWebhookAction {
			continue
		}
		if u := root + "/" + a; !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// refresh shows the URLs for the slug and actions in the form now.
func (r *receiveURLs) refresh() {
	if r.twin != nil {
		r.twin.refresh()
	}
	w := r.e.w
	base, public := w.publicURL(), true
	if base == "" {
		base, public = w.baseURL(), false
	}
	var actions []string
	for _, row := range r.e.rows {
		actions = append(actions, row.action)
	}
	urls := receiveURLList(base, strings.TrimSpace(r.e.slug.Text), actions)
	switch {
	case len(urls) == 0:
		r.note.SetText("Give the project a slug: its captures arrive on /slug/….")
	case public:
		r.note.SetText("Paste these into the platform's webhook settings: they reach Hookscope through the Public URL while it is online.")
	default:
		r.note.SetText("Local URLs: only senders on this machine reach them. Start a Public URL (top bar) to receive from the cloud.")
	}
	hint := len(urls) == 0
	if hint {
		// Before there is a slug, the row it will fill: the form keeps its
		// height as the first letter is typed.
		urls = []string{strings.TrimRight(base, "/") + "/…"}
	}
	if slices.Equal(urls, r.shown) {
		return
	}
	r.shown = urls
	if hint {
		r.rows.Objects = []fyne.CanvasObject{widget.NewLabel("Project"), urlRow(urls[0], nil)}
		r.rows.Refresh()
		return
	}
	var objs []fyne.CanvasObject
	for i, u := range urls {
		name := "Project"
		if i > 0 {
			name = strings.TrimPrefix(u, urls[0]+"/")
		}
		objs = append(objs, widget.NewLabel(name), urlRow(u, func() {
			w.app.Clipboard().SetContent(u)
			w.flash("Copied " + u)
			if public && w.public != nil {
				w.public.seen(base)
			}
		}))
	}
	r.rows.Objects = objs
	r.rows.Refresh()
}

// urlRow shows a URL, cut if it is too long, and a button that copies it;
// without copy the URL is a hint and the button is off.
func urlRow(u string, copy func()) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(u, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Truncation = fyne.TextTruncateEllipsis
	cp := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), copy)
	if copy == nil {
		l.Importance = widget.LowImportance
		cp.Disable()
	}
	return container.NewBorder(nil, nil, nil, cp, l)
}
