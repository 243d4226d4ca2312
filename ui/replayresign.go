package ui

import (
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// Re-signing a replay is a choice the user makes and sees: a developer
// reproducing a failed verification needs the request byte-exact, original
// signature included, so Replay (Ctrl+R) sends a capture as captured unless
// the "Re-sign" toggle beside it is on. The toggle is remembered per project:
// one project's receiver may want fresh signatures, another the originals.

// prefReplayResign prefixes the preference, one per project slug, that
// says whether a quick replay of its captures is re-signed.
const prefReplayResign = "replay.resign."

// resignLabel is the toggle's text.
const resignLabel = "Re-sign with the project's secret"

// resignWanted reports whether replays of the project's captures are to be
// re-signed; captures of no project cannot be.
func (w *Window) resignWanted(project string) bool {
	if project == "" {
		return false
	}
	return w.app.Preferences().Bool(prefReplayResign + project)
}

// setResignWanted remembers the toggle for the project.
func (w *Window) setResignWanted(project string, on bool) {
	if project == "" {
		return
	}
	w.app.Preferences().SetBool(prefReplayResign+project, on)
}

// newResignToggle is the toggle the detail shows beside Replay; syncResign
// points it at the capture shown.
func (d *detailPanel) newResignToggle() *widget.Check {
	return widget.NewCheck(resignLabel, func(on bool) {
		if c := d.capture; c != nil {
			d.w.setResignWanted(c.Project, on)
		}
	})
}

// syncResign shows the remembered choice of c's project; a capture of no
// project has no secret to sign with, so the toggle is off and disabled.
func (d *detailPanel) syncResign(c *store.Capture) {
	on := d.resign.OnChanged
	d.resign.OnChanged = nil
	d.resign.SetChecked(d.w.resignWanted(c.Project))
	d.resign.OnChanged = on
	if c.Project == "" {
		d.resign.Disable()
	} else {
		d.resign.Enable()
	}
}

// sentHow says how an attempt's signature went, as the Replays tab shows it.
func sentHow(a store.Attempt) string {
	if a.Resigned {
		return "re-signed"
	}
	return "as captured"
}
