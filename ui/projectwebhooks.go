package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/projects"
	"hookscope/store"
)

// Names the Webhooks page suggests; any token may be typed.
var (
	webhookHeaderSuggestions = []string{"Authorization", "X-Api-Key", "X-Auth-Token", "X-Webhook-Secret", "Content-Type", "User-Agent"}
	actionSuggestions        = []string{"ingested", "modified", "excluded", "annotation", "review", "onSubmit", "onReview", store.DefaultWebhookAction}
)

// webhooksPage is the Webhooks tab: the receive URLs, one URL and header
// set to apply to every action, a row per webhook, and the row that adds
// one — a button per default action not yet there, or any action typed.
type webhooksPage struct {
	rowList[*webhookRow]
	noRows      *widget.Label
	hooksScroll *pageScroll

	applyURL     *escEntry
	applyURLErr  *widget.Label
	applyHeaders *headerRows
	applyAll     *widget.Button
	applyItem    *widget.Accordion

	addChoices   map[string]*widget.Button
	addAction    *escSelectEntry
	addActionErr *widget.Label
	addButton    *widget.Button
}

// buildWebhooks builds the Webhooks tab.
func (e *projectEditor) buildWebhooks() fyne.CanvasObject {
	e.rowsBox = container.NewVBox()
	e.noRows = noteLabel("No webhooks yet: add one for an action below.", widget.MediumImportance)
	intro := noteLabel("Where each action's webhook goes, with the headers it sends (an Authorization token, say) and the log of its last call and last error.", widget.LowImportance)
	e.hooksScroll = newPageScroll(container.NewVBox(e.receive.object(), intro, e.buildApplyAll(), e.rowsBox, e.noRows, e.buildAddWebhook()))
	return e.hooksScroll
}

// buildApplyAll builds the folded section that sets one URL and header set
// on every webhook.
func (e *projectEditor) buildApplyAll() fyne.CanvasObject {
	e.applyURL = newCheckedEntry(e.w.escape)
	e.applyURL.SetPlaceHolder("e.g. http://127.0.0.1:3000/webhooks")
	e.applyURL.OnChanged = func(string) { e.validateApply() }
	e.applyURLErr = newFieldError()
	e.applyHeaders = e.w.newHeaderRows(headerRowsOptions{suggestions: webhookHeaderSuggestions, masked: true, onChanged: e.validateApply})
	e.applyAll = widget.NewButtonWithIcon("Apply to all actions", theme.ContentCopyIcon(), e.onApplyAll)
	form := container.NewVBox(
		container.New(layout.NewFormLayout(),
			widget.NewLabel("URL"), container.NewVBox(e.applyURL, e.applyURLErr),
			widget.NewLabel("Headers"), e.applyHeaders,
		),
		container.NewBorder(nil, nil, e.applyAll, nil, noteLabel("sets this URL and these headers on every webhook below; each keeps its log. Save to keep it.", widget.LowImportance)),
	)
	e.applyItem = widget.NewAccordion(widget.NewAccordionItem("One URL and header set for all actions", form))
	if e.isNew {
		e.applyItem.Open(0)
	}
	return e.applyItem
}

// buildAddWebhook builds the row that adds a webhook: a button per default
// action the project has no webhook for yet, and an entry for any other.
func (e *projectEditor) buildAddWebhook() fyne.CanvasObject {
	choices := container.NewHBox(widget.NewLabelWithStyle("Add webhook:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	e.addChoices = map[string]*widget.Button{}
	for _, a := range store.DefaultActions {
		b := widget.NewButtonWithIcon(a, theme.ContentAddIcon(), func() { e.addWebhook(a) })
		e.addChoices[a] = b
		choices.Add(b)
	}
	e.addAction = e.w.suggestEntry(actionSuggestions)
	e.addAction.SetPlaceHolder("or any action, e.g. annotation")
	e.addAction.OnChanged = func(string) { showFieldError(e.addActionErr, nil, "") }
	e.addAction.OnSubmitted = func(string) { e.onAddAction() }
	e.addActionErr = newFieldError()
	e.addButton = widget.NewButtonWithIcon("Add webhook", theme.ContentAddIcon(), e.onAddAction)
	return container.NewVBox(choices, container.NewBorder(nil, nil, nil, e.addButton, e.addAction), e.addActionErr)
}

// loadWebhooks shows a row per webhook; stored rows keep their action.
func (e *projectEditor) loadWebhooks(hooks []store.Webhook) {
	e.clearRows()
	for _, wh := range hooks {
		e.addRow(wh, !e.isNew)
	}
}

// addRow appends a webhook's row; stored rows keep their action, whose log
// the store carries over.
func (e *projectEditor) addRow(wh store.Webhook, stored bool) *webhookRow {
	r := newWebhookRow(e, wh, stored)
	e.appendRow(r, r.card)
	e.refreshAddChoices()
	return r
}

func (e *projectEditor) removeRow(r *webhookRow) {
	e.dropRow(r, r.card)
	e.refreshAddChoices()
	e.validate()
}

// refreshAddChoices offers the default actions that have no row, and says
// when there is no row at all.
func (e *projectEditor) refreshAddChoices() {
	setVisible(e.noRows, len(e.rows) == 0)
	for a, b := range e.addChoices {
		setVisible(b, !slices.ContainsFunc(e.rows, func(r *webhookRow) bool { return strings.EqualFold(r.action, a) }))
	}
}

// onAddAction adds a webhook for the action typed.
func (e *projectEditor) onAddAction() {
	if e.addWebhook(strings.TrimSpace(e.addAction.Text)) {
		e.addAction.SetText("")
	}
}

// addWebhook adds a row for action, brings it into view and puts the
// cursor in its URL; an action the project cannot take is refused beside
// the entry.
func (e *projectEditor) addWebhook(action string) bool {
	if msg := e.actionError(action); msg != "" {
		showFieldError(e.addActionErr, nil, msg)
		return false
	}
	showFieldError(e.addActionErr, nil, "")
	r := e.addRow(store.Webhook{Action: action}, false)
	e.validate()
	e.hooksScroll.reveal(r.card)
	e.w.win.Canvas().Focus(r.url)
	return true
}

// actionError is why the form cannot take a webhook for action, or "".
func (e *projectEditor) actionError(action string) string {
	p, _ := e.collect()
	p.Webhooks = append(p.Webhooks, store.Webhook{Action: action})
	errs := projects.Validate(p, nil, "")
	return errs[fmt.Sprintf("webhooks[%d].action", len(p.Webhooks)-1)]
}

// onApplyAll sets one URL and header set on every webhook, keeping each
// log, as Isahit Lab's setup_webhook does when given only a project.
func (e *projectEditor) onApplyAll() {
	url := strings.TrimSpace(e.applyURL.Text)
	fields, _ := e.applyHeaders.fields()
	for _, r := range e.rows {
		if url != "" {
			r.url.SetText(url)
		}
		r.headers.set(fields)
	}
	e.validate()
	e.w.flash(fmt.Sprintf("Applied to %d actions; Save to keep it", len(e.rows)))
}
