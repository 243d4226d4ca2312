package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// undoTimeout is how long a deletion can be undone. The store holds the
// deleted captures in its trash meanwhile (store.Discard): a quit or crash
// before the time is up keeps the deletion, and touches no other capture.
const undoTimeout = 8 * time.Second

// undoBar is the banner above the status line that offers Undo after Delete
// and Clear all. One deletion is pending at a time: a newer one makes the
// older final.
type undoBar struct {
	w       *Window
	box     *fyne.Container
	msg     *widget.Label
	undo    *widget.Button
	timeout time.Duration
	pending *pendingDiscard
}

// pendingDiscard is a deletion that can still be undone.
type pendingDiscard struct {
	d store.Discard
	// reselect is the capture to show again after Undo (0: none).
	reselect store.ID
	timer    *time.Timer
}

func newUndoBar(w *Window) *undoBar {
	u := &undoBar{w: w, msg: widget.NewLabel(""), timeout: undoTimeout}
	u.msg.Truncation = fyne.TextTruncateEllipsis
	u.undo = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), u.onUndo)
	u.undo.Importance = widget.HighImportance
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), u.finish)
	u.box = container.NewBorder(nil, nil, widget.NewIcon(theme.DeleteIcon()), container.NewHBox(u.undo, dismiss), u.msg)
	u.box.Hide()
	return u
}

func (u *undoBar) object() fyne.CanvasObject { return u.box }

// offer shows msg with Undo for d until the timeout, then deletes d's
// captures for good.
func (u *undoBar) offer(msg string, d store.Discard, reselect store.ID) {
	u.finish()
	p := &pendingDiscard{d: d, reselect: reselect}
	p.timer = time.AfterFunc(u.timeout, func() {
		u.w.do(func() {
			if u.pending == p {
				u.finish()
			}
		})
	})
	u.pending = p
	u.msg.SetText(msg + fmt.Sprintf(" · Undo within %d s", int(u.timeout.Seconds())))
	u.box.Show()
}

// take ends the banner and hands over the pending deletion, nil when
// there is none (the timer and a tap on Undo can race to it).
func (u *undoBar) take() *pendingDiscard {
	p := u.pending
	if p == nil {
		return nil
	}
	u.pending = nil
	p.timer.Stop()
	u.box.Hide()
	return p
}

// settle ends the banner and runs op (the store's Purge or Restore) on
// the pending deletion in the background, then done; nothing when none is
// pending.
func (u *undoBar) settle(op func(store.Discard) error, done func(p *pendingDiscard, err error)) {
	p := u.take()
	if p == nil {
		return
	}
	backgroundDo(u.w, func() error { return op(p.d) }, func(err error) { done(p, err) })
}

// finish makes the pending deletion final and hides the banner.
func (u *undoBar) finish() {
	u.settle(u.w.st.Purge, func(_ *pendingDiscard, err error) {
		if err != nil {
			// The captures stay out of the list in the trash; the next
			// start empties it.
			u.w.flash("Could not delete for good yet: " + err.Error())
		}
	})
}

// onUndo brings the pending deletion's captures back and shows the
// capture that was deleted.
func (u *undoBar) onUndo() {
	u.settle(u.w.st.Restore, func(p *pendingDiscard, err error) {
		if err != nil {
			if errors.Is(err, store.ErrDiscardGone) {
				err = fmt.Errorf("too late to undo: %w", err)
			}
			dialog.ShowError(err, u.w.win)
			return
		}
		u.w.flash(fmt.Sprintf("Restored %s", captureCount(p.d.N)))
		if p.reselect != 0 {
			u.w.reselect(p.reselect)
		}
	})
}

// reselect shows capture id again and selects its row; the list's reload
// after the store's Restored event keeps it selected.
func (w *Window) reselect(id store.ID) {
	w.list.selected = id
	if row := w.list.rowOf(id); row >= 0 {
		w.list.selectQuietly(row)
		w.list.list.ScrollTo(row)
	}
	w.detail.show(id)
}

func captureCount(n int) string {
	if n == 1 {
		return "1 capture"
	}
	return groupDigits(n) + " captures"
}

// deleteShown deletes the capture on show, undoably.
func (w *Window) deleteShown() {
	c := w.detail.capture
	if c == nil {
		return
	}
	id, what := c.ID, c.Method+" "+c.URI()
	background(w, func() (store.Discard, error) { return w.st.Discard([]store.ID{id}) }, func(d store.Discard, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if w.detail.shown == id && w.list.selected == 0 {
			w.detail.clear("Deleted. Select another capture.")
		}
		w.undo.offer("Deleted "+what, d, id)
	})
}

// confirmClear asks before deleting every capture, naming how many; the
// deletion can be undone for a few seconds.
func (w *Window) confirmClear() {
	background(w, w.st.Count, func(n int, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if n == 0 {
			w.flash("There are no captures to clear")
			return
		}
		if w.dialogOf(dialogClear) != nil {
			return
		}
		msg := fmt.Sprintf("Every stored capture and its replay history is deleted.\nYou can undo it for %d seconds.", int(w.undo.timeout.Seconds()))
		title := fmt.Sprintf("Clear all %s captures?", groupDigits(n))
		if n == 1 {
			title = "Clear the 1 capture?"
		}
		c := dialog.NewConfirm(title, msg, func(ok bool) {
			if ok {
				w.clearAll()
			}
		}, w.win)
		c.SetConfirmText("Clear all")
		c.SetConfirmImportance(widget.DangerImportance)
		w.showDialog(dialogClear, c, nil)
	})
}

func (w *Window) clearAll() {
	background(w, w.st.DiscardAll, func(d store.Discard, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.detail.clear("All captures were deleted.")
		w.undo.offer("Cleared "+captureCount(d.N), d, 0)
	})
}
