package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/delivery"
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
		grid := widget.NewTextGrid()
		grid.Rows = diffRows(sig.Received, sig.Computed, diffWidth)
		rows = append(rows, grid)
	}
	if sig.HasSkew {
		rows = append(rows, wrapped("Clock skew (receive time − signed timestamp): "+signature.SkewText(sig.Skew)))
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
				// The generic HMAC's code follows the project's header,
				// algorithm, encoding and prefix: read them first.
				background(w, func() (string, error) {
					cfg := signature.Config{Scheme: scheme}
					if c.Project != "" && !sig.Detected {
						if p, err := w.st.Project(c.Project); err == nil {
							cfg = delivery.SignatureConfig(p)
							cfg.Scheme = scheme
						}
					}
					return signature.ConfiguredSnippet(cfg, map[string]string{"Go": "go", "Python": "python"}[lang])
				}, func(code string, err error) {
					if err != nil {
						dialog.ShowError(err, w.win)
						return
					}
					w.app.Clipboard().SetContent(code)
					w.flash("Copied " + lang + " code that verifies " + schemeTitle(scheme))
				})
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
		if sig.Reason != "" {
			return "Not signed" // the reason below says why, in its own words
		}
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

// diffWidth is how many characters of a signature one grid line holds;
// longer values continue on the next pair of lines instead of scrolling.
const diffWidth = 64

// diffRows shows the received value above the computed one, in chunks of
// width, each character where they differ marked (signature.Compare).
func diffRows(received, computed string, width int) []widget.TextGridRow {
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	var rows []widget.TextGridRow
	for _, l := range signature.Compare(received, computed, width) {
		var cells []widget.TextGridCell
		for _, r := range fmt.Sprintf("%-10s", l.Label) {
			cells = append(cells, widget.TextGridCell{Rune: r})
		}
		for i, r := range l.Text {
			c := widget.TextGridCell{Rune: r}
			if l.Differ[i] {
				c.Style = mark
			}
			cells = append(cells, c)
		}
		rows = append(rows, widget.TextGridRow{Cells: cells})
	}
	return rows
}
