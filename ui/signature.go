package ui

import (
	"fmt"
	"image/color"
	"strings"

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
// width, marking each character where they differ. The computed value is
// shifted to where it lines up best with the received one, since a header
// such as Stripe's carries "t=…," before the signature.
func diffRows(received, computed string, width int) []widget.TextGridRow {
	ra, rb := []rune(received), []rune(computed)
	shift := bestShift(ra, rb)
	rb = append([]rune(strings.Repeat(" ", shift)), rb...)
	mark := &widget.CustomTextGridStyle{BGColor: diffBG}
	label := func(text string) []widget.TextGridCell {
		var cells []widget.TextGridCell
		for _, r := range fmt.Sprintf("%-10s", text) {
			cells = append(cells, widget.TextGridCell{Rune: r})
		}
		return cells
	}
	chunk := func(rs, other []rune, from int) []widget.TextGridCell {
		var cells []widget.TextGridCell
		for i := from; i < min(from+width, len(rs)); i++ {
			c := widget.TextGridCell{Rune: rs[i]}
			// Before the shift the computed side has nothing to compare.
			if i >= shift && (i >= len(other) || other[i] != rs[i]) {
				c.Style = mark
			}
			cells = append(cells, c)
		}
		return cells
	}
	var rows []widget.TextGridRow
	for from := 0; from < max(len(ra), len(rb)); from += width {
		// Only the first pair is labelled: a long value continues below,
		// and labels there read as a second signature.
		recv, comp := label("Received"), label("Computed")
		if from > 0 {
			recv, comp = label(""), label("")
		}
		rows = append(rows,
			widget.TextGridRow{Cells: append(recv, chunk(ra, rb, from)...)},
			widget.TextGridRow{Cells: append(comp, chunk(rb, ra, from)...)},
		)
	}
	return rows
}

// bestShift is where b lines up within a. A wrong signature shares almost
// no characters with the right one, so counting matches lines up on chance;
// what both sides share is the scheme's prefix ("v1=", "sha256="): the offset
// where the longest prefix of b starts in a wins, and failing that the one
// matching the most characters.
func bestShift(a, b []rune) int {
	best, bestPrefix := 0, 0
	for shift := 0; shift+len(b) <= len(a); shift++ {
		n := 0
		for n < len(b) && a[shift+n] == b[n] {
			n++
		}
		if n > bestPrefix {
			best, bestPrefix = shift, n
		}
	}
	if bestPrefix >= 2 {
		return best
	}
	best, bestScore := 0, -1
	for shift := 0; shift+len(b) <= len(a); shift++ {
		score := 0
		for i, r := range b {
			if a[shift+i] == r {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = shift, score
		}
	}
	// Values of different encodings line up nowhere: leave them flush.
	if bestScore*2 < len(b) {
		return 0
	}
	return best
}
