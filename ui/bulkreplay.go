package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
	"hookscope/store"
)

// bulkReplay replays many captures with a progress bar.
type bulkReplay struct {
	w       *Window
	ids     []store.ID
	url     *escSelectEntry
	append  *dropdown
	delay   *escEntry
	resign  *escCheck
	start   *widget.Button
	cancel  *widget.Button
	bar     *widget.ProgressBar
	status  *widget.Label
	result  *fyne.Container
	content fyne.CanvasObject
	dlg     dialog.Dialog
	stop    context.CancelFunc
	summary *delivery.BulkSummary
}

// showBulkReplay offers to replay the captures ids (the selection or the
// filter's), oldest first.
func (w *Window) showBulkReplay(ids []store.ID) {
	if len(ids) == 0 {
		dialog.ShowInformation("Nothing to replay", "No capture is selected or matches the filter.", w.win)
		return
	}
	w.newBulkReplay(ids).show()
}

func (w *Window) newBulkReplay(ids []store.ID) *bulkReplay {
	b := &bulkReplay{w: w, ids: ids}
	b.url = w.suggestEntry(w.recentTargets())
	b.url.SetPlaceHolder("Empty: each capture's project webhook")
	if recent := w.recentTargets(); len(recent) > 0 {
		b.url.SetText(recent[0])
	}
	b.append = newDropdown(w.win.Canvas, []string{replayAppendNothing, replayAppendQuery, replayAppendPath}, nil)
	b.append.SetSelected(replayAppendQuery)
	b.delay = newEscEntry(w.escape)
	b.delay.SetText("0")
	b.delay.Validator = func(s string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < 0 {
			return errors.New("a number of milliseconds, 0 or more")
		}
		return nil
	}
	b.resign = newEscCheck("Re-sign the captures whose project has a secret and a scheme", nil, w.escape)
	b.resign.SetChecked(true)
	b.bar = widget.NewProgressBar()
	b.bar.Max = float64(len(ids))
	b.status = widget.NewLabel(fmt.Sprintf("%s, sent oldest first.", captureCount(len(ids))))
	b.status.Wrapping = fyne.TextWrapWord
	b.result = container.NewStack()
	b.start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), b.run)
	b.start.Importance = widget.HighImportance
	b.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), b.onCancel)
	form := widget.NewForm(
		widget.NewFormItem("Target URL", b.url),
		widget.NewFormItem("Append", b.append),
		widget.NewFormItem("Delay (ms)", b.delay),
	)
	b.content = container.NewBorder(
		container.NewVBox(form, b.resign, b.status, b.bar, container.NewHBox(b.start, b.cancel)),
		nil, nil, nil, b.result)
	return b
}

func (b *bulkReplay) show() {
	b.dlg = dialog.NewCustomWithoutButtons("Replay "+captureCount(len(b.ids)), b.content, b.w.win)
	b.dlg.Resize(fyne.NewSize(760, 560))
	b.w.showDialog(dialogBulkReplay, b.dlg, b.onCancel)
}

func (b *bulkReplay) options() (delivery.BulkOptions, error) {
	opt := delivery.BulkOptions{URL: strings.TrimSpace(b.url.Text), Resign: b.resign.Checked}
	if opt.URL != "" {
		if err := delivery.CheckTarget(opt.URL); err != nil {
			return opt, err
		}
	}
	if err := b.delay.Validator(b.delay.Text); err != nil {
		return opt, fmt.Errorf("delay: %w", err)
	}
	ms, _ := strconv.Atoi(strings.TrimSpace(b.delay.Text))
	opt.Delay = time.Duration(ms) * time.Millisecond
	switch b.append.Selected {
	case replayAppendQuery:
		opt.KeepQuery = true
	case replayAppendPath:
		opt.KeepPath = true
	}
	return opt, nil
}

func (b *bulkReplay) run() {
	opt, err := b.options()
	if err != nil {
		b.status.Importance = widget.DangerImportance
		b.status.SetText(err.Error())
		return
	}
	if opt.URL != "" {
		b.w.rememberTarget(opt.URL, b.append.Selected)
	}
	ctx, stop := context.WithCancel(context.Background())
	b.stop = stop
	b.start.Disable()
	b.url.Disable()
	b.delay.Disable()
	b.resign.Disable()
	b.append.Disable()
	b.status.Importance = widget.MediumImportance
	b.status.SetText(fmt.Sprintf("Sending 0 of %d…", len(b.ids)))
	b.result.Objects = nil
	b.result.Refresh()
	dc, w := b.w.srv.Delivery(), b.w
	background(w, func() (delivery.BulkSummary, error) {
		return dc.ReplayAll(ctx, b.ids, opt, func(done, total int, a store.Attempt) {
			text := fmt.Sprintf("Sent %d of %d — last: %s", done, total, a.Outcome())
			w.do(func() {
				b.bar.SetValue(float64(done))
				b.status.SetText(text)
			})
		}), nil
	}, func(sum delivery.BulkSummary, _ error) {
		stop()
		b.stop = nil
		b.summary = &sum
		b.showSummary(sum)
		b.cancel.SetText("Close")
		b.cancel.SetIcon(theme.ConfirmIcon())
		b.cancel.Enable()
		if c := w.detail.capture; c != nil {
			w.refreshReplays(c.ID)
		}
	})
}

func (b *bulkReplay) showSummary(sum delivery.BulkSummary) {
	text := fmt.Sprintf("%d succeeded, %d failed.", sum.Succeeded, sum.Failed)
	if sum.Canceled {
		text = fmt.Sprintf("Canceled after %d of %d: ", sum.Succeeded+sum.Failed, len(b.ids)) + text
	}
	b.status.Importance = widget.SuccessImportance
	if sum.Failed > 0 || sum.Canceled {
		b.status.Importance = widget.WarningImportance
	}
	b.status.SetText(text)
	if len(sum.Failures) == 0 {
		return
	}
	lines := make([]string, 0, len(sum.Failures))
	for _, f := range sum.Failures {
		lines = append(lines, f.CaptureID.String()+"  "+f.Error)
	}
	b.result.Objects = []fyne.CanvasObject{container.NewBorder(
		widget.NewLabelWithStyle("Failures", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		newTextGrid(textGridRows(plainLines(strings.Join(lines, "\n")))))}
	b.result.Refresh()
}

// onCancel stops a running replay, or closes the dialog.
func (b *bulkReplay) onCancel() {
	if b.stop != nil {
		b.stop()
		b.cancel.Disable()
		b.status.SetText("Canceling…")
		return
	}
	if b.dlg != nil {
		b.dlg.Hide()
	}
}
