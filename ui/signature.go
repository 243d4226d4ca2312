package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/signature"
	"hookscope/store"
)

// diffBG marks the characters where the received and computed signatures
// differ.
var diffBG = color.NRGBA{0xe5, 0x39, 0x35, 0x60}

// signatureView lays out a capture's signature diagnosis: what was checked,
// the received and computed values side by side with differences marked, the
// signed content, and the hint.
func (w *Window) signatureView(c *store.Capture, reverify func()) fyne.CanvasObject {
	sig := c.Signature
	rows := []fyne.CanvasObject{}
	status := widget.NewLabelWithStyle(signatureHeadline(sig), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = signatureImportance(sig.Status)
	rows = append(rows, container.NewHBox(widget.NewIcon(signatureIcon(sig.Status)), status))
	if sig.Reason != "" {
		rows = append(rows, wrapped(sig.Reason))
	}
	if sig.Hint != "" {
		hint := noteLabel("Hint: "+sig.Hint, widget.WarningImportance)
		hint.TextStyle = fyne.TextStyle{Bold: true}
		rows = append(rows, hint)
	}
	if sig.Received != "" || sig.Computed != "" {
		recv, comp := diffRows(sig.Received, sig.Computed)
		grid := widget.NewTextGrid()
		grid.Rows = []widget.TextGridRow{recv, comp}
		grid.Scroll = fyne.ScrollHorizontalOnly
		rows = append(rows, container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(90, 40), widget.NewLabel("Received"), widget.NewLabel("Computed")), nil, grid))
	}
	if sig.HasSkew {
		rows = append(rows, wrapped("Clock skew (receive time − signed timestamp): "+sig.Skew.Round(time.Second).String()))
	}
	if sig.SignedContentLen > 0 {
		rows = append(rows, wrapped(fmt.Sprintf("Signed content: %d bytes, starting:", sig.SignedContentLen)))
		g := newTextGrid(textGridRows(plainLines(sig.SignedContentStart)))
		g.Scroll = fyne.ScrollHorizontalOnly
		rows = append(rows, g)
	}
	actions := container.NewHBox(widget.NewButtonWithIcon("Re-verify", theme.ViewRefreshIcon(), reverify))
	if sig.Scheme != "" {
		scheme := sig.Scheme
		for _, lang := range []string{"Go", "Python"} {
			actions.Add(widget.NewButtonWithIcon("Copy "+lang+" verification code", theme.ContentCopyIcon(), func() {
				code, err := signature.Snippet(scheme, map[string]string{"Go": "go", "Python": "python"}[lang])
				if err != nil {
					dialog.ShowError(err, w.win)
					return
				}
				w.app.Clipboard().SetContent(code)
				w.flash("Copied " + lang + " code that verifies " + schemeTitle(scheme))
			}))
		}
	}
	rows = append(rows, actions)
	return container.NewVScroll(container.NewVBox(rows...))
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func signatureHeadline(sig store.Signature) string {
	scheme := schemeTitle(sig.Scheme)
	if sig.Detected {
		scheme = "detected: " + scheme
	}
	var what string
	switch sig.Status {
	case "valid":
		what = "Valid signature"
	case "invalid":
		what = "Invalid signature"
	case "missing_header":
		what = "Signature header missing"
	case "malformed_header":
		what = "Signature header malformed"
	case "timestamp_out_of_tolerance":
		what = "Timestamp out of tolerance"
	case "no_secret":
		what = "Signed, but the project has no secret to check it"
	case "unsigned", "":
		return "Not signed: no project scheme and no known signature header"
	default:
		what = sig.Status
	}
	if scheme == "" {
		return what
	}
	return what + " (" + scheme + ")"
}

func schemeTitle(name string) string {
	for _, s := range signature.Schemes() {
		if s.Name == name {
			return s.Title
		}
	}
	return name
}

func signatureImportance(status string) widget.Importance {
	switch status {
	case "valid":
		return widget.SuccessImportance
	case "unsigned", "":
		return widget.MediumImportance
	case "no_secret":
		return widget.WarningImportance
	default:
		return widget.DangerImportance
	}
}

// diffRows renders two strings one above the other, marking each column
// where they differ.
func diffRows(a, b string) (widget.TextGridRow, widget.TextGridRow) {
	ra, rb := []rune(a), []rune(b)
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	row := func(rs, other []rune) widget.TextGridRow {
		cells := make([]widget.TextGridCell, len(rs))
		for i, r := range rs {
			cells[i] = widget.TextGridCell{Rune: r}
			if i >= len(other) || other[i] != r {
				cells[i].Style = mark
			}
		}
		return widget.TextGridRow{Cells: cells}
	}
	return row(ra, rb), row(rb, ra)
}
