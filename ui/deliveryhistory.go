package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// historySize is how many deliveries a webhook's History shows.
const historySize = 50

// historyDialog is a webhook's History: its last deliveries, newest first;
// selecting one opens the attempt beside the list.
type historyDialog struct {
	attempts []store.Attempt
	list     *escList
	// shown is the attempt open beside the list, nil until one is picked.
	shown  *attemptView
	detail *fyne.Container
	dialog *dialog.CustomDialog
}

// onHistory shows the webhook's last deliveries.
func (r *webhookRow) onHistory() {
	r.loadHistory(func() {
		r.historyDialog = r.e.w.newHistoryDialog("Deliveries to "+r.action, r.history)
		r.e.w.showDialog("", r.historyDialog.dialog, nil)
	})
}

func (w *Window) newHistoryDialog(title string, attempts []store.Attempt) *historyDialog {
	h := &historyDialog{attempts: attempts}
	h.list = newEscList(
		func() int { return len(h.attempts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("2006-01-02 15:04:05  200 OK in 12 ms")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(h.attempts) {
				o.(*widget.Label).SetText(deliveryLine(h.attempts[i]))
			}
		}, w.escape)
	h.list.OnSelected = func(i widget.ListItemID) {
		if i < 0 || i >= len(h.attempts) {
			return
		}
		h.shown = w.newAttemptView(h.attempts[i])
		h.detail.Objects = []fyne.CanvasObject{h.shown.content}
		h.detail.Refresh()
	}
	h.detail = container.NewStack(container.NewCenter(widget.NewLabel("Pick a delivery to see what was sent and answered.")))
	var content fyne.CanvasObject = widget.NewLabel("No deliveries yet.")
	size := fyne.NewSize(760, 420)
	if len(attempts) > 0 {
		split := container.NewHSplit(h.list, h.detail)
		split.Offset = 0.38
		content = split
		size = fyne.NewSize(1100, 680)
	}
	h.dialog = dialog.NewCustom(title, "Close", content, w.win)
	h.dialog.Resize(size)
	return h
}

// loadHistory reads the webhook's last deliveries in the background.
func (r *webhookRow) loadHistory(then func()) {
	w := r.e.w
	slug, action := r.e.origSlug, r.action
	background(w, func() ([]store.Attempt, error) { return w.st.Deliveries(slug, action, historySize) }, func(as []store.Attempt, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		r.history = as
		if then != nil {
			then()
		}
	})
}

func deliveryLine(a store.Attempt) string {
	what := "test event"
	if a.CaptureID != 0 {
		what = "capture " + a.CaptureID.String()
	}
	return fmt.Sprintf("%s  %s  (%s → %s)", a.At.Local().Format(logTimeFormat), a.Outcome(), what, a.Request.URL)
}
