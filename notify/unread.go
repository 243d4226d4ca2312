package notify

import "fmt"

// Unread counts the captures that arrived while the user was not looking,
// per project ("" is Unsorted), until each project is viewed. It is not safe
// for concurrent use: the window calls it from the UI goroutine only.
type Unread struct {
	counts map[string]int
	total  int
}

// NewUnread returns an empty counter.
func NewUnread() *Unread { return &Unread{counts: map[string]int{}} }

// Add counts a capture of project that the user did not see arrive.
func (u *Unread) Add(project string) {
	u.counts[project]++
	u.total++
}

// Seen forgets project's unseen captures: the user is looking at it.
func (u *Unread) Seen(project string) {
	u.total -= u.counts[project]
	delete(u.counts, project)
}

// SeenAll forgets every unseen capture (the All view is on show).
func (u *Unread) SeenAll() {
	clear(u.counts)
	u.total = 0
}

// Count is project's unseen captures.
func (u *Unread) Count(project string) int { return u.counts[project] }

// Total is every project's unseen captures.
func (u *Unread) Total() int { return u.total }

// Title is the window title with the unseen count: "Hookscope (3 new)".
func (u *Unread) Title(base string) string {
	if u.total == 0 {
		return base
	}
	return fmt.Sprintf("%s (%d new)", base, u.total)
}
