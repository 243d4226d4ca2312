package ui

import (
	"fmt"

	"hookscope/notify"
	"hookscope/store"
)

// unreadState counts the captures that arrive while the user is not looking
// (the window hidden to the tray or not focused): the title says how many,
// and the sidebar marks their projects until each is viewed.
type unreadState struct {
	w       *Window
	counts  *notify.Unread
	focused bool
	hidden  bool
}

func newUnreadState(w *Window) *unreadState {
	// A window starts focused: a capture at start-up is seen as it lands.
	return &unreadState{w: w, counts: notify.NewUnread(), focused: true}
}

func (u *unreadState) attentive() bool { return u.focused && !u.hidden }

// apply counts new captures the user does not see arrive.
func (u *unreadState) apply(events []store.Event) {
	if u.attentive() {
		return
	}
	added := false
	for _, e := range events {
		if e.Type == store.Added {
			u.counts.Add(e.Summary.Project)
			added = true
		}
	}
	if added {
		u.show()
	}
}

// setFocused follows the window's focus (Fyne's lifecycle: the app entered
// or left the foreground).
func (u *unreadState) setFocused(focused bool) {
	u.focused = focused
	u.viewed()
}

// setHidden follows the window hidden to the tray and shown again.
func (u *unreadState) setHidden(hidden bool) {
	u.hidden = hidden
	u.viewed()
}

// shown is the project the sidebar shows ("" is Unsorted), or all of them
// under All.
func (u *unreadState) shown() (project string, all bool) {
	switch _, p, _ := u.w.side.entry(u.w.side.selected); p {
	case "":
		return "", true
	case store.Unsorted:
		return "", false
	default:
		return p, false
	}
}

// watching reports whether the user sees project's ("" is Unsorted)
// captures arrive: the window focused and shown, with that project, or
// All, chosen in the sidebar. A notification would tell them nothing.
func (u *unreadState) watching(project string) bool {
	if !u.attentive() {
		return false
	}
	shown, all := u.shown()
	return all || shown == project
}

// viewed forgets the unseen captures of what the sidebar shows, once the
// user looks at the window: a project's own, or all of them under All.
func (u *unreadState) viewed() {
	if !u.attentive() || u.counts.Total() == 0 {
		return
	}
	if project, all := u.shown(); all {
		u.counts.SeenAll()
	} else {
		u.counts.Seen(project)
	}
	u.show()
}

func (u *unreadState) show() {
	u.w.win.SetTitle(u.counts.Title("Hookscope"))
	u.w.side.list.Refresh()
}

// mark is a sidebar row's label with its unseen count: "isahit • 3 new".
// The All row (project "") carries the total.
func (u *unreadState) mark(project, label string) string {
	n := u.counts.Total()
	switch project {
	case "":
	case store.Unsorted:
		n = u.counts.Count("")
	default:
		n = u.counts.Count(project)
	}
	if n == 0 {
		return label
	}
	return fmt.Sprintf("%s • %d new", label, n)
}
