package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hookscope/signature"
	"hookscope/store"
)

// detectScheme is the scheme picker's entry for Project.Scheme "".
const detectScheme = "Detect from headers"

// generalPage is the General tab: the project's path, name, secret and
// signature scheme, forwarding and notifications.
type generalPage struct {
	slug, name, description, secret     *escEntry
	scheme                              *dropdown
	sigHeader, sigPrefix, publicBaseURL *escEntry
	sigAlgorithm, sigEncoding           *dropdown
	forward                             *escCheck
	notify                              *dropdown
	// schemeRows are the form rows only some schemes use, by scheme: the
	// others hide them.
	schemeRows map[string][]fyne.CanvasObject
	// receive shows the URLs senders use, public while a tunnel is online.
	receive *receiveURLs
}

// buildGeneral builds the General tab.
func (e *projectEditor) buildGeneral() fyne.CanvasObject {
	e.buildIdentity()
	e.buildSignature()
	e.forward = newEscCheck("Forward each capture on /slug/action/… to that action's webhook (or to \"default\")", func(bool) { e.validate() }, e.w.escape)
	e.notify = newProjectNotifyChoice(e.w, func(string) { e.validate() })
	e.receive = newReceiveURLs(e)

	label := widget.NewLabel
	rows := []fyne.CanvasObject{
		label("Slug"), e.steadyField("slug", e.slug),
		label("Receive at"), e.receive.besideSlug(),
		label("Name"), e.field("name", e.name),
		label("Description"), e.description,
		label("Secret"), e.secret,
		label("Signature scheme"), e.scheme,
	}
	rows = append(rows, e.signatureRows()...)
	rows = append(rows, label("Forwarding"), e.forward, label("Notifications"), e.notify)
	note := noteLabel("Renaming the slug moves the project's captures and delivery history with it; senders must then use the new path.", widget.LowImportance)
	return newPageScroll(container.NewVBox(container.New(layout.NewFormLayout(), rows...), note))
}

// buildIdentity builds the slug, name, description and secret; a new
// project's slug follows its name until the user types one.
func (e *projectEditor) buildIdentity() {
	e.slug = e.checkedEntry("my-shop — captures on /my-shop/… belong to the project")
	e.slug.OnChanged = func(string) {
		if !e.quiet {
			e.slugTouched = true
		}
		e.validate()
	}
	e.name = e.checkedEntry("My shop")
	e.name.OnChanged = func(s string) {
		if e.isNew && !e.slugTouched {
			e.setQuietly(func() { e.slug.SetText(slugify(s)) })
		}
		e.validate()
	}
	e.description = newEscMultiLineEntry(e.w.escape)
	growWithText(e.description, 2, func(string) { e.validate() })
	e.secret = newEscPasswordEntry(e.w.escape)
	e.secret.SetPlaceHolder("signs and verifies the project's webhooks")
	e.secret.OnChanged = func(string) { e.validate() }
}

// buildSignature builds the scheme picker and the options of the schemes
// that take some.
func (e *projectEditor) buildSignature() {
	e.scheme = newDropdown(e.w.win.Canvas, schemeOptions(), func(string) { e.onSchemeChanged() })
	e.sigHeader = e.checkedEntry("")
	e.sigAlgorithm = newDropdown(e.w.win.Canvas, []string{"sha1", "sha256", "sha512"}, func(string) { e.validate() })
	e.sigAlgorithm.PlaceHolder = "sha256 (default)"
	e.sigEncoding = newDropdown(e.w.win.Canvas, []string{"hex", "base64"}, func(string) { e.validate() })
	e.sigEncoding.PlaceHolder = "hex (default)"
	e.sigPrefix = newEscEntry(e.w.escape)
	e.sigPrefix.SetPlaceHolder("e.g. sha256=")
	e.sigPrefix.OnChanged = func(string) { e.validate() }
	e.publicBaseURL = e.checkedEntry("https://abc.tunnel.example — the URL Twilio signed")
}

// signatureRows lays out the scheme options as form rows and notes which
// scheme shows which.
func (e *projectEditor) signatureRows() []fyne.CanvasObject {
	label := widget.NewLabel
	headerLabel, algLabel, encLabel, prefixLabel, baseLabel := label("Signature header"), label("Algorithm"), label("Encoding"), label("Prefix"), label("Public base URL")
	headerField := e.field("signature.header", e.sigHeader)
	algField := container.NewVBox(e.sigAlgorithm, e.field("signature.algorithm", nil))
	encField := container.NewVBox(e.sigEncoding, e.field("signature.encoding", nil))
	baseField := e.field("signature.publicBaseURL", e.publicBaseURL)
	e.schemeRows = map[string][]fyne.CanvasObject{
		signature.SchemeHMAC:        {headerLabel, headerField, algLabel, algField, encLabel, encField, prefixLabel, e.sigPrefix},
		signature.SchemeHeaderToken: {headerLabel, headerField},
		signature.SchemeTwilio:      {baseLabel, baseField},
	}
	return []fyne.CanvasObject{
		headerLabel, headerField,
		algLabel, algField,
		encLabel, encField,
		prefixLabel, e.sigPrefix,
		baseLabel, baseField,
	}
}

// loadGeneral puts p's general settings in the form.
func (e *projectEditor) loadGeneral(p store.Project) {
	e.slug.SetText(p.Slug)
	e.name.SetText(p.Name)
	e.description.SetText(p.Description)
	e.secret.SetText(p.Secret)
	sel := detectScheme
	if p.Scheme != "" {
		sel = schemeTitle(p.Scheme)
	}
	e.scheme.SetSelected(sel)
	e.sigHeader.SetText(p.Signature.Header)
	e.sigAlgorithm.SetSelected(strings.ToLower(p.Signature.Algorithm))
	e.sigEncoding.SetSelected(strings.ToLower(p.Signature.Encoding))
	e.sigPrefix.SetText(p.Signature.Prefix)
	e.publicBaseURL.SetText(p.Signature.PublicBaseURL)
	e.forward.SetChecked(p.Forward)
	e.notify.SetSelected(projectNotifyLabel(p.Notify))
}

func schemeOptions() []string {
	out := []string{detectScheme}
	for _, s := range signature.Schemes() {
		out = append(out, s.Title)
	}
	return out
}

func schemeName(title string) string {
	for _, s := range signature.Schemes() {
		if s.Title == title {
			return s.Name
		}
	}
	return ""
}

func (e *projectEditor) onSchemeChanged() {
	name := schemeName(e.scheme.Selected)
	shown := map[fyne.CanvasObject]bool{}
	for _, o := range e.schemeRows[name] {
		shown[o] = true
	}
	for _, objs := range e.schemeRows {
		for _, o := range objs {
			if shown[o] {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	if name == signature.SchemeHeaderToken {
		e.sigHeader.SetPlaceHolder("Authorization (default)")
	} else {
		e.sigHeader.SetPlaceHolder("X-Signature (default)")
	}
	e.validate()
}

// slugify proposes a slug for a project name.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > store.MaxSlugLen {
		s = strings.TrimRight(s[:store.MaxSlugLen], "-")
	}
	return s
}
