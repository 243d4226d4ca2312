package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"hookscope/render"
	"hookscope/store"
)

// attemptView shows one delivery attempt whole: its outcome, when it went
// and how long it took, the error if any, which test event it was a call
// of (template and batch) or which capture it carried, the request as sent
// — headers, and the body highlighted as capture bodies are — and the
// answer: status, headers and body. The delivery history opens it for a
// row; it fits any store.Attempt, a replay's too.
type attemptView struct {
	outcome           *widget.Label
	facts             *fyne.Container
	tabs              *container.AppTabs
	request, response *container.TabItem
	// reqBody and respBody hold the bodies once rendered in the background.
	reqBody, respBody *fyne.Container
	content           fyne.CanvasObject
}

func (w *Window) newAttemptView(a store.Attempt) *attemptView {
	v := &attemptView{}
	v.outcome = widget.NewLabelWithStyle(a.Outcome(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.outcome.Wrapping = fyne.TextWrapWord
	v.outcome.Importance = widget.SuccessImportance
	if !a.OK() {
		v.outcome.Importance = widget.DangerImportance
	}
	v.facts = container.New(layout.NewFormLayout(), attemptFacts(a)...)

	v.reqBody = w.attemptBody(a.Request.Body, a.Request.Header, "")
	v.request = container.NewTabItem("Request sent", container.NewVSplit(
		container.NewBorder(attemptLine(a.Request.Method+" "+a.Request.URL), nil, nil, nil, w.copyableFields(headerFields(a.Request.Header))),
		v.reqBody))
	v.response = container.NewTabItem("Response", w.attemptResponse(a, v))
	v.tabs = container.NewAppTabs(v.request, v.response)
	if !a.OK() {
		v.tabs.Select(v.response) // what went wrong first
	}
	v.content = container.NewBorder(container.NewVBox(v.outcome, v.facts), nil, nil, nil, v.tabs)
	return v
}

// attemptFacts are the form rows that place the attempt: when, how long,
// what it carried, and its error.
func attemptFacts(a store.Attempt) []fyne.CanvasObject {
	rows := []fyne.CanvasObject{
		attemptKey("Sent"), attemptLine(fmt.Sprintf("%s (%s)", a.At.Local().Format(logTimeFormat), relativeTime(time.Since(a.At)))),
		attemptKey("Duration"), attemptLine(a.Duration.Round(100 * time.Microsecond).String()),
	}
	switch {
	case a.Sample != nil:
		s := a.Sample
		records := "records"
		if s.Records == 1 {
			records = "record"
		}
		rows = append(rows, attemptKey("Test event"), attemptLine(fmt.Sprintf("template %s · batch %s · call %d of %d · %d %s",
			s.Template, s.Batch, s.Call, s.Calls, s.Records, records)))
	case a.CaptureID != 0:
		what := "capture " + a.CaptureID.String()
		if a.Resigned {
			what += ", re-signed"
		}
		rows = append(rows, attemptKey("Carried"), attemptLine(what))
	}
	if a.Error != "" {
		l := attemptLine(a.Error)
		l.Importance = widget.DangerImportance
		rows = append(rows, attemptKey("Error"), l)
	}
	return rows
}

// attemptResponse is the Response tab: the status and headers above the
// body, or why there was no answer.
func (w *Window) attemptResponse(a store.Attempt, v *attemptView) fyne.CanvasObject {
	if a.StatusCode == 0 {
		v.respBody = container.NewStack()
		msg := "No answer."
		if a.Error != "" {
			msg = "No answer: " + a.Error
		}
		return noteLabel(msg, widget.DangerImportance)
	}
	note := ""
	if a.ResponseTruncated {
		note = fmt.Sprintf("The answer was longer; its first %s were kept.", humanSize(len(a.ResponseBody)))
	}
	v.respBody = w.attemptBody(a.ResponseBody, a.ResponseHeader, note)
	status := attemptLine(fmt.Sprintf("%d %s", a.StatusCode, a.StatusMessage()))
	status.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewVSplit(container.NewBorder(status, nil, nil, nil, w.copyableFields(headerFields(a.ResponseHeader))), v.respBody)
}

// attemptBody renders body in the background, highlighted per its
// Content-Type as capture bodies are, with note (if any) above it.
func (w *Window) attemptBody(body []byte, header map[string][]string, note string) *fyne.Container {
	box := container.NewStack(widget.NewLabel("Rendering…"))
	opt := render.Options{Pretty: true, Dark: w.dark()}
	background(w, func() (renderedBody, error) { return renderBody(body, header, opt), nil }, func(rb renderedBody, _ error) {
		obj := w.bodyObject(rb, nil)
		if note != "" {
			obj = container.NewBorder(noteLabel(note, widget.WarningImportance), nil, nil, nil, obj)
		}
		box.Objects = []fyne.CanvasObject{obj}
		box.Refresh()
	})
	return box
}

func attemptKey(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func attemptLine(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}
