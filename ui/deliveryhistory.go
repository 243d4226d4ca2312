package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// historySize is how many deliveries a webhook's History shows.
const historySize = 50

// onHistory shows the webhook's last deliveries.
func (r *webhookRow) onHistory() {
	r.loadHistory(func() {
		w := r.e.w
		list := widget.NewList(
			func() int { return len(r.history) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("2006-01-02 15:04:05  200 OK in 12 ms")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				if i < len(r.history) {
					o.(*widget.Label).SetText(deliveryLine(r.history[i]))
				}
			})
		var content fyne.CanvasObject = list
		if len(r.history) == 0 {
			content = widget.NewLabel("No deliveries yet.")
		}
		d := dialog.NewCustom("Deliveries to "+r.action, "Close", content, w.win)
		d.Resize(fyne.NewSize(760, 420))
		d.Show()
	})
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
