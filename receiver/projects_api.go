package receiver

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"hookscope/projects"
	"hookscope/store"
)

// ProjectListJSON is the answer of GET /projects.
type ProjectListJSON struct {
	Projects []store.Project `json:"projects"`
}

// WebhookJSON is a webhook in the shape of Isahit Lab's get_webhook output
// (isahit lab's "Webhook usage" documentation): header is the Authorization value, dates carry
// milliseconds, and lastError.body is the response body as JSON when it is
// JSON, else as a string.
type WebhookJSON struct {
	Header    string         `json:"header"`
	URL       string         `json:"url"`
	UpdatedAt *isoTime       `json:"updatedAt"`
	LastCall  *LastCallJSON  `json:"lastCall"`
	LastError *LastErrorJSON `json:"lastError"`
}

// LastCallJSON is store.LastCall with a millisecond date.
type LastCallJSON struct {
	StatusCode int     `json:"statusCode"`
	Message    string  `json:"message"`
	Date       isoTime `json:"date"`
}

// LastErrorJSON is store.LastError with the body as JSON when it is JSON.
type LastErrorJSON struct {
	StatusCode int             `json:"statusCode"`
	Message    string          `json:"message"`
	Body       json.RawMessage `json:"body"`
	Date       isoTime         `json:"date"`
}

// isoTime marshals as JavaScript's toISOString does
// ("2024-12-17T15:23:21.433Z"), like the platform's log.
type isoTime time.Time

func (t isoTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// NewWebhookJSON converts a webhook to the get_webhook shape.
func NewWebhookJSON(w store.Webhook) WebhookJSON {
	out := WebhookJSON{Header: w.Header("Authorization"), URL: w.URL}
	if !w.UpdatedAt.IsZero() {
		t := isoTime(w.UpdatedAt)
		out.UpdatedAt = &t
	}
	if c := w.LastCall; c != nil {
		out.LastCall = &LastCallJSON{StatusCode: c.StatusCode, Message: c.Message, Date: isoTime(c.Date)}
	}
	if e := w.LastError; e != nil {
		body := json.RawMessage(e.Body)
		if e.Body == "" || !json.Valid(body) {
			body, _ = json.Marshal(e.Body)
		}
		out.LastError = &LastErrorJSON{StatusCode: e.StatusCode, Message: e.Message, Body: body, Date: isoTime(e.Date)}
	}
	return out
}

// AttemptJSON is one delivery in the API. Bodies are text when they are
// valid UTF-8, else base64 in the *Base64 field.
type AttemptJSON struct {
	ID                 string      `json:"id"`
	Project            string      `json:"project"`
	Action             string      `json:"action"`
	At                 string      `json:"at"`
	Request            SentJSON    `json:"request"`
	StatusCode         int         `json:"statusCode"`
	Message            string      `json:"message"`
	ResponseHeaders    http.Header `json:"responseHeaders"`
	ResponseBody       string      `json:"responseBody,omitempty"`
	ResponseBodyBase64 string      `json:"responseBodyBase64,omitempty"`
	ResponseTruncated  bool        `json:"responseTruncated"`
	DurationMs         float64     `json:"durationMs"`
	Error              string      `json:"error,omitempty"`
	CaptureID          string      `json:"captureId,omitempty"`
	// Resigned says the signature headers were recomputed, not sent as
	// captured.
	Resigned bool `json:"resigned"`
	// Outcome is the one-line summary: "200 OK in 12 ms" or the error.
	Outcome string `json:"outcome"`
}

// SentJSON is the request of an attempt.
type SentJSON struct {
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Headers    http.Header `json:"headers"`
	Body       string      `json:"body,omitempty"`
	BodyBase64 string      `json:"bodyBase64,omitempty"`
}

// NewAttemptJSON converts a recorded attempt.
func NewAttemptJSON(a store.Attempt) AttemptJSON {
	out := AttemptJSON{
		ID:                a.ID.String(),
		Project:           a.Project,
		Action:            a.Action,
		At:                a.At.UTC().Format(time.RFC3339Nano),
		StatusCode:        a.StatusCode,
		Message:           a.StatusMessage(),
		ResponseHeaders:   a.ResponseHeader,
		ResponseTruncated: a.ResponseTruncated,
		DurationMs:        float64(a.Duration.Microseconds()) / 1000,
		Error:             a.Error,
		CaptureID:         a.CaptureID.String(),
		Resigned:          a.Resigned,
		Outcome:           a.Outcome(),
		Request:           SentJSON{Method: a.Request.Method, URL: a.Request.URL, Headers: a.Request.Header},
	}
	if out.ResponseHeaders == nil {
		out.ResponseHeaders = http.Header{}
	}
	if out.Request.Headers == nil {
		out.Request.Headers = http.Header{}
	}
	out.ResponseBody, out.ResponseBodyBase64 = textOrBase64(a.ResponseBody)
	out.Request.Body, out.Request.BodyBase64 = textOrBase64(a.Request.Body)
	return out
}

func textOrBase64(b []byte) (text, b64 string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return "", base64.StdEncoding.EncodeToString(b)
}

// TestEventJSON is the optional body of POST …/webhooks/{action}/test.
type TestEventJSON struct {
	Template string `json:"template"`
	Records  int    `json:"records"`
}

// TestResultJSON answers a test event: every attempt, and the webhook's log
// after them.
type TestResultJSON struct {
	Attempts []AttemptJSON `json:"attempts"`
	Webhook  WebhookJSON   `json:"webhook"`
}

// maxProjectJSON bounds a PUT body; templates are the only large part.
const maxProjectJSON = 1 << 20

// projectRoutes serves the projects API under /_hookscope/api.
func (api *localAPI) projectRoutes(mux *http.ServeMux) {
	const p = "/_hookscope/api"
	mux.HandleFunc("GET "+p+"/projects", api.list)
	mux.HandleFunc("GET "+p+"/projects/{slug}", api.get)
	mux.HandleFunc("PUT "+p+"/projects/{slug}", api.put)
	mux.HandleFunc("DELETE "+p+"/projects/{slug}", api.delete)
	mux.HandleFunc("GET "+p+"/projects/{slug}/webhooks/{action}", api.webhook)
	mux.HandleFunc("POST "+p+"/projects/{slug}/webhooks/{action}/test", api.test)
	mux.HandleFunc("GET "+p+"/projects/{slug}/deliveries", api.deliveries)
}

func (api *localAPI) list(w http.ResponseWriter, r *http.Request) {
	ps, err := api.store.Projects()
	if err != nil {
		writeError(w, err)
		return
	}
	for i, p := range ps {
		ps[i] = answerProject(r, p)
	}
	writeJSON(w, http.StatusOK, ProjectListJSON{Projects: ps})
}

// project reads the {slug} project, answering 404 or 500 itself.
func (api *localAPI) project(w http.ResponseWriter, r *http.Request) (store.Project, bool) {
	p, err := api.store.Project(r.PathValue("slug"))
	if err != nil {
		writeError(w, err)
		return store.Project{}, false
	}
	return p, true
}

func (api *localAPI) get(w http.ResponseWriter, r *http.Request) {
	if p, ok := api.project(w, r); ok {
		writeJSON(w, http.StatusOK, answerProject(r, p))
	}
}

func (api *localAPI) put(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	var in projectInput
	if err := decodeJSONObject(http.MaxBytesReader(w, r.Body, maxProjectJSON), &in); err != nil {
		if bodyTooLarge(err) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the project JSON is larger than %d bytes", maxProjectJSON))
			return
		}
		writeJSONError(w, http.StatusBadRequest, "the body is not a project: "+err.Error())
		return
	}
	p := in.project()
	if p.Slug == "" {
		p.Slug = slug
	}
	if p.Slug != slug {
		writeError(w, projects.FieldErrors{"slug": fmt.Sprintf("the body's slug %q differs from the path's %q", p.Slug, slug)})
		return
	}
	old, err := api.store.Project(slug)
	created := errors.Is(err, store.ErrProjectNotFound)
	if err != nil && !created {
		writeError(w, err)
		return
	}
	// A GET answers with masked secrets; sent back as they were, they
	// stand for the stored ones.
	if fields := unmaskProject(&p, old); fields != nil {
		writeError(w, projects.FieldErrors(fields))
		return
	}
	saved, err := api.book.Save(slug, p, api.addr())
	if err != nil {
		writeError(w, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", r.URL.Path)
	}
	writeJSON(w, status, answerProject(r, saved))
}

func (api *localAPI) delete(w http.ResponseWriter, r *http.Request) {
	if err := api.book.Delete(r.PathValue("slug")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// hook reads the {action} webhook of p, answering 404 itself.
func hook(w http.ResponseWriter, r *http.Request, p store.Project) (store.Webhook, bool) {
	action := r.PathValue("action")
	wh, ok := p.Webhook(action)
	if !ok {
		writeJSONError(w, http.StatusNotFound, fmt.Sprintf("project %q has no webhook for action %q", p.Slug, action))
	}
	return wh, ok
}

func (api *localAPI) webhook(w http.ResponseWriter, r *http.Request) {
	p, ok := api.project(w, r)
	if !ok {
		return
	}
	if wh, ok := hook(w, r, p); ok {
		writeJSON(w, http.StatusOK, answerWebhook(r, p, wh))
	}
}

func (api *localAPI) test(w http.ResponseWriter, r *http.Request) {
	p, ok := api.project(w, r)
	if !ok {
		return
	}
	wh, ok := hook(w, r, p)
	if !ok {
		return
	}
	var req TestEventJSON
	if err := decodeJSONObject(http.MaxBytesReader(w, r.Body, 64<<10), &req); err != nil && !errors.Is(err, errEmptyBody) {
		writeJSONError(w, http.StatusBadRequest, `the body must be {"template": NAME, "records": N}: `+err.Error())
		return
	}
	if wh.URL == "" {
		writeError(w, projects.FieldErrors{"url": "the webhook has no URL to send to"})
		return
	}
	attempts, err := api.delivery.SendTestEvent(r.Context(), p, wh.Action, req.Template, req.Records)
	if err != nil {
		writeError(w, err)
		return
	}
	scrub := newScrubber(r, &p)
	out := TestResultJSON{Attempts: make([]AttemptJSON, 0, len(attempts))}
	for _, a := range attempts {
		out.Attempts = append(out.Attempts, scrub.attempt(a))
	}
	// The log as the attempts left it.
	if p, err := api.store.Project(p.Slug); err == nil {
		wh, _ = p.Webhook(wh.Action)
	}
	out.Webhook = answerWebhook(r, p, wh)
	writeJSON(w, http.StatusOK, out)
}

// maxDeliveries bounds a page of GET …/deliveries.
const maxDeliveries = store.MaxDeliveriesPerProject

func (api *localAPI) deliveries(w http.ResponseWriter, r *http.Request) {
	p, ok := api.project(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDeliveries {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("limit must be a number from 1 to %d", maxDeliveries))
			return
		}
		limit = n
	}
	attempts, err := api.store.Deliveries(p.Slug, q.Get("action"), limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := struct {
		Deliveries []AttemptJSON `json:"deliveries"`
	}{make([]AttemptJSON, 0, len(attempts))}
	scrub := newScrubber(r, &p)
	for _, a := range attempts {
		out.Deliveries = append(out.Deliveries, scrub.attempt(a))
	}
	writeJSON(w, http.StatusOK, out)
}
