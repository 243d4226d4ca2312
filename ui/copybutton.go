package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copiedFor is how long a copy button says it copied.
const copiedFor = 1500 * time.Millisecond

// copiedLabel is what a copy button with a label reads after a copy.
const copiedLabel = "Copied"

// copyButton is a button that copies to the clipboard and says so on
// itself: for copiedFor its icon is a check mark and its label, if it has
// one, reads "Copied". An icon-only button keeps no label, so the row it is
// in does not shift. Its width stays that of its own label, so its
// neighbours do not move either.
type copyButton struct {
	widget.Button
	w *Window
	// copy does the copying; it reports what the status line should say,
	// or "" when there was nothing to copy.
	copy       func() string
	label      string
	icon       fyne.Resource
	restMin    fyne.Size // the button's size with its own label
	restore    *time.Timer
	showingFor time.Duration // copiedFor; tests shorten it
}

func (w *Window) newCopyButton(label string, copy func() string) *copyButton {
	b := &copyButton{w: w, copy: copy, label: label, icon: theme.ContentCopyIcon(), showingFor: copiedFor}
	b.Text, b.Icon = label, b.icon
	b.OnTapped = b.tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *copyButton) tapped() {
	msg := b.copy()
	if msg == "" {
		return
	}
	if !b.Visible() {
		// Tapped from a More menu: the button is not on show, so the
		// toast says it.
		b.w.flash(msg)
		return
	}
	b.w.top.flash(msg)
	b.showCopied()
}

// showCopied turns the button into its "Copied" state and back after
// showingFor.
func (b *copyButton) showCopied() {
	if b.restore == nil {
		b.restMin = b.Button.MinSize()
	} else {
		b.restore.Stop()
	}
	b.Icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
	if b.label != "" {
		b.Text = copiedLabel
	}
	b.Refresh()
	b.restore = time.AfterFunc(b.showingFor, func() {
		b.w.do(func() {
			b.restore = nil
			b.Text, b.Icon = b.label, b.icon
			b.Refresh()
		})
	})
}

// copied reports whether the button says it copied.
func (b *copyButton) copied() bool { return b.restore != nil }

// MinSize stays the size with the button's own label while it says
// "Copied", which is shorter than most.
func (b *copyButton) MinSize() fyne.Size {
	return b.Button.MinSize().Max(b.restMin)
}
