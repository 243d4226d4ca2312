package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"hookscope/delivery"
	"hookscope/store"
)

// Replay: send a capture again — as captured, or edited in a dialog — to
// its project's webhook or any URL, keep every attempt with the capture (the
// Replays tab), compare two answers, and replay many captures at once.

const (
	// prefReplayTargets are the recent replay targets, most recent first.
	prefReplayTargets = "replay.targets"
	// prefReplayAppend is what the last replay to the first target appended
	// to it (one of the replayAppend choices); a quick replay does the same.
	prefReplayAppend = "replay.append"
	maxReplayTargets = 10
	// maxReplayEditBody is the largest body the dialog's editor takes; a
	// larger one (or a binary one) is sent as captured.
	maxReplayEditBody = 256 << 10
)

// Choices of what the replay URL gets from the capture.
const (
	replayAppendNothing = "Nothing"
	replayAppendQuery   = "Query"
	replayAppendPath    = "Path and query"
)

var replayMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// recentTargets are the URLs replays were last sent to, most recent first.
func (w *Window) recentTargets() []string {
	return w.app.Preferences().StringList(prefReplayTargets)
}

// rememberTarget puts u first in the recent targets, with what was
// appended to it (an Append choice).
func (w *Window) rememberTarget(u, appended string) {
	u = strings.TrimSpace(u)
	if u == "" {
		return
	}
	w.app.Preferences().SetString(prefReplayAppend, appended)
	list := []string{u}
	for _, t := range w.recentTargets() {
		if t != u && len(list) < maxReplayTargets {
			list = append(list, t)
		}
	}
	w.app.Preferences().SetStringList(prefReplayTargets, list)
}

// replayProjectOf reads the capture's project; nil for Unsorted or a project
// deleted since. It reads the store: call it in the background.
func (w *Window) replayProjectOf(c *store.Capture) (*store.Project, error) {
	if c.Project == "" {
		return nil, nil
	}
	p, err := w.st.Project(c.Project)
	if errors.Is(err, store.ErrProjectNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// replayShown replays the capture the detail shows (Ctrl+R).
func (w *Window) replayShown() { w.replayCapture(w.detail.capture) }

// editAndReplayShown opens the edit-and-replay dialog on the capture the
// detail shows (Ctrl+Shift+R).
func (w *Window) editAndReplayShown() { w.showReplayDialog(w.detail.capture) }

// bulkReplayFiltered replays every capture the list shows.
func (w *Window) bulkReplayFiltered() { w.showBulkReplay(w.list.ids.IDs()) }

// replayCapture sends the capture again: to its project's webhook for its
// action, else to the last target used, else it asks for a URL in the
// replay dialog. It goes as captured, original signature included, unless
// the project's re-sign toggle is on.
func (w *Window) replayCapture(c *store.Capture) {
	w.withReplayProject(c, func(p *store.Project) { w.replayAgain(c, p) })
}

// withReplayProject reads c's project (see replayProjectOf) and hands it to
// then; with no capture selected it says so.
func (w *Window) withReplayProject(c *store.Capture, then func(p *store.Project)) {
	if c == nil {
		dialog.ShowInformation("Nothing selected", "Select a capture to replay it.", w.win)
		return
	}
	background(w, func() (*store.Project, error) { return w.replayProjectOf(c) }, func(p *store.Project, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		then(p)
	})
}

// replayAgain sends c where replayCapture says, p being its project.
func (w *Window) replayAgain(c *store.Capture, p *store.Project) {
	opt := delivery.ReplayOptions{KeepQuery: true, Resign: w.resignWanted(c.Project)}
	var to string
	if hook := delivery.NewReplayDraft(c, p).Webhook; hook != "" {
		to = "webhook " + hook
	} else if recent := w.recentTargets(); len(recent) > 0 {
		opt.URL, to = recent[0], recent[0]
		// As the last replay there did: the path too, or nothing.
		switch w.app.Preferences().StringWithFallback(prefReplayAppend, replayAppendQuery) {
		case replayAppendPath:
			opt.KeepPath = true
		case replayAppendNothing:
			opt.KeepQuery = false
		}
	} else {
		w.openReplayDialog(c, p)
		return
	}
	how := "as captured"
	if opt.Resign {
		how = "re-signed"
	}
	w.flash("Replaying to " + to + ", " + how + "…")
	w.sendReplay(c, p, opt, func(a store.Attempt, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.flash("Replayed to " + to + ", " + how + " → " + a.Outcome())
		w.selectReplaysTab()
	})
}

// sendReplay replays in the background and refreshes the Replays tab.
func (w *Window) sendReplay(c *store.Capture, p *store.Project, opt delivery.ReplayOptions, done func(store.Attempt, error)) {
	dc := w.srv.Delivery()
	background(w, func() (store.Attempt, error) {
		return dc.Replay(context.Background(), c, p, opt)
	}, func(a store.Attempt, err error) {
		if err == nil {
			w.refreshReplays(c.ID)
		}
		done(a, err)
	})
}

// selectReplaysTab brings the detail's Replays tab forward. The tab is
// found by what it holds, not by its label, which may be reworded.
func (w *Window) selectReplaysTab() {
	for _, item := range w.detail.tabs.Items {
		if tabHolds(item, w.detail.replays) {
			w.detail.tabs.Select(item)
			return
		}
	}
}

// tabHolds reports whether the tab shows o, directly or in a scroll.
func tabHolds(item *container.TabItem, o fyne.CanvasObject) bool {
	if s, ok := item.Content.(*container.Scroll); ok {
		return s.Content == o
	}
	return item.Content == o
}
