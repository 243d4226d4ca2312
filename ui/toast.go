package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// How long a toast stays. One with an action button stays longer: the user
// has to read it and reach for the button.
const (
	toastFor       = 4 * time.Second
	toastActionFor = 8 * time.Second
)

// toastSpec is one transient message: a confirmation, a warning or an
// error, with an optional action button (an "Undo" after a delete, say).
type toastSpec struct {
	text string
	// importance picks the icon and the colour of the toast's edge:
	// widget.SuccessImportance, WarningImportance or DangerImportance;
	// anything else is plain information.
	importance widget.Importance
	// actionText labels the action button; none when empty.
	actionText string
	// onAction runs on the UI goroutine when the action button is tapped;
	// the toast closes.
	onAction func()
	// onClose runs once on the UI goroutine when the toast goes, whether
	// its time ran out, the user closed it, another toast took its place
	// (acted false) or its action ran (acted true). A delete that waits
	// for the toast to close before it runs commits here.
	onClose func(acted bool)
	// duration is how long it stays; 0 is toastFor, or toastActionFor
	// with an action.
	duration time.Duration
}

// toaster shows one toast at a time, at the bottom centre of the area its
// layer covers (the panels). Only the toast takes taps: the rest of the
// layer is empty, and Fyne gives a tap to the topmost object under the
// pointer that takes taps, so what is under the layer works as before.
type toaster struct {
	do    func(func())
	box   *toastBox
	layer *fyne.Container
	// current is the toast on show, nil when none; its timer closes it.
	current *shownToast
}

type shownToast struct {
	spec  toastSpec
	timer *time.Timer
}

// newToaster makes the layer; do runs a function on the UI goroutine.
func newToaster(do func(func())) *toaster {
	t := &toaster{do: do}
	t.box = newToastBox(t)
	t.box.Hide()
	t.layer = container.New(toastLayout{}, t.box)
	return t
}

// object is the layer, to lay over the area toasts belong to.
func (t *toaster) object() fyne.CanvasObject { return t.layer }

// show shows s, closing the toast on show first.
func (t *toaster) show(s toastSpec) {
	t.close(false)
	if s.duration <= 0 {
		s.duration = toastFor
		if s.actionText != "" {
			s.duration = toastActionFor
		}
	}
	shown := &shownToast{spec: s}
	shown.timer = time.AfterFunc(s.duration, func() {
		t.do(func() {
			if t.current == shown {
				t.close(false)
			}
		})
	})
	t.current = shown
	t.box.set(s)
	t.box.Show()
	t.layer.Refresh()
}

// close takes the toast on show away, if any, and runs its onClose.
func (t *toaster) close(acted bool) {
	shown := t.current
	if shown == nil {
		return
	}
	t.current = nil
	shown.timer.Stop()
	t.box.Hide()
	if shown.spec.onClose != nil {
		shown.spec.onClose(acted)
	}
}

// act runs the toast's action and closes it.
func (t *toaster) act() {
	shown := t.current
	if shown == nil {
		return
	}
	if shown.spec.onAction != nil {
		shown.spec.onAction()
	}
	t.close(true)
}

// text is the message on show, "" when none.
func (t *toaster) text() string {
	if t.current == nil {
		return ""
	}
	return t.current.spec.text
}

// toastMaxWidth keeps a long message to a readable line length.
const toastMaxWidth = 560

// toastLayout puts its one object at the bottom centre, as wide as it needs
// up to toastMaxWidth or the area less a margin, as high as its wrapped
// text needs.
type toastLayout struct{}

func (toastLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	box := objs[0]
	margin := 2 * theme.Padding()
	w := min(box.MinSize().Width, toastMaxWidth, size.Width-2*margin)
	box.Resize(fyne.NewSize(w, box.MinSize().Height))
	// A wrapping label knows its height only once it has its width.
	h := box.MinSize().Height
	box.Resize(fyne.NewSize(w, h))
	box.Move(fyne.NewPos((size.Width-w)/2, size.Height-h-margin))
}

// MinSize is nothing: the layer floats over the panels and must not make
// them any larger.
func (toastLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

// toastBox is the toast itself: an icon for its importance, the text, the
// action button and a close button, on the overlay background with an edge
// in the importance's colour.
type toastBox struct {
	widget.BaseWidget
	t          *toaster
	importance widget.Importance
	bg         *canvas.Rectangle
	icon       *widget.Icon
	label      *widget.Label
	action     *widget.Button
	dismiss    *widget.Button
}

func newToastBox(t *toaster) *toastBox {
	b := &toastBox{t: t, bg: canvas.NewRectangle(color.Transparent), icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.bg.StrokeWidth = 2
	b.label.Wrapping = fyne.TextWrapWord
	b.action = widget.NewButton("", t.act)
	b.action.Importance = widget.HighImportance
	b.dismiss = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { t.close(false) })
	b.dismiss.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

func (b *toastBox) CreateRenderer() fyne.WidgetRenderer {
	buttons := container.NewHBox(b.action, b.dismiss)
	row := container.NewBorder(nil, nil, container.NewCenter(b.icon), container.NewCenter(buttons), b.label)
	return widget.NewSimpleRenderer(container.NewStack(b.bg, container.NewPadded(row)))
}

// MinSize lets the text wrap: the toast is as wide as its text on one line
// would make it, and the layout narrows it to what there is.
func (b *toastBox) MinSize() fyne.Size {
	m := b.BaseWidget.MinSize()
	one := fyne.MeasureText(b.label.Text, theme.TextSize(), fyne.TextStyle{}).Width
	return fyne.NewSize(m.Width+one, m.Height)
}

func (b *toastBox) set(s toastSpec) {
	b.importance = s.importance
	b.label.SetText(s.text)
	b.action.SetText(s.actionText)
	if s.actionText == "" {
		b.action.Hide()
	} else {
		b.action.Show()
	}
	b.Refresh()
}

// Refresh takes the theme's colours, which change with the theme.
func (b *toastBox) Refresh() {
	b.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	b.bg.StrokeColor = theme.Color(toastEdge(b.importance))
	b.icon.SetResource(toastIcon(b.importance))
	b.BaseWidget.Refresh()
}

// Tapped keeps a tap on the toast from reaching what is under it.
func (b *toastBox) Tapped(*fyne.PointEvent) {}

func toastEdge(i widget.Importance) fyne.ThemeColorName {
	switch i {
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.DangerImportance:
		return theme.ColorNameError
	}
	return theme.ColorNamePrimary
}

func toastIcon(i widget.Importance) fyne.Resource {
	switch i {
	case widget.SuccessImportance:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case widget.WarningImportance:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case widget.DangerImportance:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.NewPrimaryThemedResource(theme.InfoIcon())
}
