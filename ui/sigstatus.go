package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// sigLook is how a signature check's status shows at a glance: an icon of
// its own in a theme colour (so light and dark both keep the meaning), and
// the words the detail and the filter use for it.
type sigLook struct {
	icon  fyne.Resource
	color fyne.ThemeColorName
	text  string
}

func signatureLook(status string) sigLook {
	switch status {
	case "":
		return sigLook{}
	case "valid":
		return sigLook{theme.ConfirmIcon(), theme.ColorNameSuccess, "signature valid"}
	case "missing_header":
		return sigLook{theme.WarningIcon(), theme.ColorNameWarning, "signature header missing"}
	case "no_secret":
		return sigLook{theme.InfoIcon(), theme.ColorNamePrimary, "signed, no secret to check it"}
	case "unsigned":
		return sigLook{theme.QuestionIcon(), theme.ColorNameDisabled, "unsigned"}
	}
	// Every other status is a check that failed.
	return sigLook{theme.ErrorIcon(), theme.ColorNameError, "signature " + failedCheck(status)}
}

// failedCheck says what failed in a signature check's status.
func failedCheck(status string) string {
	switch status {
	case "malformed_header":
		return "header malformed"
	case "timestamp_out_of_tolerance":
		return "timestamp out of tolerance"
	}
	return status // "invalid", or a status newer than this window
}

// signatureIcon is the status's icon in its colour; nil when unchecked.
func signatureIcon(status string) fyne.Resource {
	l := signatureLook(status)
	if l.icon == nil {
		return nil
	}
	return theme.NewColoredResource(l.icon, l.color)
}

// signatureChoices are the signature filter's entries and the status each
// narrows the list to.
var signatureChoices = []struct{ label, status string }{
	{"Any signature", ""},
	{"Signature: invalid", "invalid"},
	{"Signature: valid", "valid"},
	{"Signature: header missing", "missing_header"},
	{"Signature: no secret", "no_secret"},
	{"Signature: unsigned", "unsigned"},
}

func newSignatureFilter(canvas func() fyne.Canvas, changed func()) *dropdown {
	var labels []string
	for _, c := range signatureChoices {
		labels = append(labels, c.label)
	}
	d := newDropdown(canvas, labels, nil)
	d.SetSelected(labels[0])
	d.OnChanged = func(string) { changed() }
	return d
}

func signatureChoiceStatus(label string) string {
	for _, c := range signatureChoices {
		if c.label == label {
			return c.status
		}
	}
	return ""
}

// showSignatureTabIcon puts the status's icon on the Signature tab, so the
// detail tells the check's outcome whichever tab is open.
func (d *detailPanel) showSignatureTabIcon(status string) {
	for _, item := range d.tabs.Items {
		if item.Content == d.sig {
			item.Icon = signatureIcon(status)
		}
	}
	d.tabs.Refresh()
}

// signatureFilterBox sizes the filter to its longest choice: a Select sizes
// to what it shows and would cut "Any signature" short.
func signatureFilterBox(d *dropdown) fyne.CanvasObject {
	var widest float32
	for _, c := range signatureChoices {
		widest = max(widest, fyne.MeasureText(c.label, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	return fixedWidth(d, widest+4*theme.InnerPadding()+theme.IconInlineSize())
}
