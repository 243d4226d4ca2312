package ui

import (
	"fmt"
	"sort"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// responseHeaderSuggestions are the names the response's headers offer.
var responseHeaderSuggestions = []string{"Content-Type", "Retry-After", "Location", "Cache-Control", "X-Request-Id"}

// responsePage is the Response tab: what the receiver answers the
// project's captures with.
type responsePage struct {
	respStatus, respBody, respDelay *escEntry
	respHeaders                     *headerRows
}

// buildResponse builds the Response tab.
func (e *projectEditor) buildResponse() fyne.CanvasObject {
	e.respStatus = e.checkedEntry("0 = the receiver's default answer")
	e.respDelay = e.checkedEntry(fmt.Sprintf("seconds, up to %g", store.MaxResponseDelay.Seconds()))
	e.respBody = newEscMultiLineEntry(e.w.escape)
	e.respBody.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.respBody.TextStyle = fyne.TextStyle{Monospace: true}
	e.respBody.SetPlaceHolder("empty: the receiver's default body")
	growWithText(e.respBody, 8, func(string) { e.validate() })
	e.respHeaders = e.w.newHeaderRows(headerRowsOptions{suggestions: responseHeaderSuggestions, onChanged: e.validate})
	label := widget.NewLabel
	form := container.New(layout.NewFormLayout(),
		label("Status"), e.field("response.status", e.respStatus),
		label("Headers"), e.respHeaders,
		label("Body"), e.respBody,
		label("Delay"), e.field("response.delaySeconds", e.respDelay),
	)
	note := noteLabel("What the receiver answers this project's captures with — to test a sender's retries (a 500) and timeouts (a delay).", widget.LowImportance)
	return newPageScroll(container.NewVBox(note, form))
}

// loadResponse puts the project's answer in the form; headers are shown by
// name, as the answer is a map.
func (e *projectEditor) loadResponse(r store.ProjectResponse) {
	status, delay := "", ""
	if r.Status != 0 {
		status = strconv.Itoa(r.Status)
	}
	if r.DelaySeconds != 0 {
		delay = strconv.FormatFloat(r.DelaySeconds, 'f', -1, 64)
	}
	e.respStatus.SetText(status)
	e.respDelay.SetText(delay)
	e.respBody.SetText(r.Body)
	names := make([]string, 0, len(r.Headers))
	for n := range r.Headers {
		names = append(names, n)
	}
	sort.Strings(names)
	fields := make([]store.HeaderField, len(names))
	for i, n := range names {
		fields[i] = store.HeaderField{Name: n, Value: r.Headers[n]}
	}
	e.respHeaders.set(fields)
}
