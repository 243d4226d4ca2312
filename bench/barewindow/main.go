// Command barewindow is the baseline of bench/idle.sh: a Fyne window of
// Hookscope's size holding one label and nothing else, so the idle cost of
// Fyne itself (its event loop, the X connection, the software renderer) is
// measured in the same run as Hookscope's and the ratio means something.
// It imports Fyne, as only main.go and ui/ otherwise do, because the
// baseline must be a real Fyne window.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("dev.hookscope.bench.barewindow")
	w := a.NewWindow("Bare Fyne window")
	w.SetContent(widget.NewLabel("A bare Fyne window"))
	w.Resize(fyne.NewSize(1400, 860)) // the size ui.New gives Hookscope's window
	w.ShowAndRun()
}
