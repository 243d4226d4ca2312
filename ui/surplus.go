package ui

import (
	"fmt"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// askAboutSurplus asks, once per start, whether to delete the captures the
// file held at open beyond the retention count: the store keeps them until
// the user says so (store.Options.KeepSurplus), since deleting them silently
// would lose captures nobody chose to delete.
func (w *Window) askAboutSurplus() {
	held, keep := w.st.Surplus()
	if held == 0 {
		return
	}
	msg := fmt.Sprintf("This file holds %s; retention keeps %s. Delete the %s oldest?",
		captureCount(held), groupDigits(keep), groupDigits(held-keep))
	c := dialog.NewConfirm("More captures than retention keeps", msg, func(del bool) {
		if del {
			w.st.PruneSurplus()
			return
		}
		w.flash("All captures kept; retention applies from the next start or a new setting")
	}, w.win)
	c.SetConfirmText("Delete")
	c.SetDismissText("Keep")
	c.SetConfirmImportance(widget.DangerImportance)
	c.Show()
}
