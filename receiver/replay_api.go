package receiver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"hookscope/delivery"
	"hookscope/store"
)

// ReplayRequestJSON is the body of POST /captures/{id}/replay. Absent
// fields keep what was captured: the method, the headers, the body. An
// absent url sends to the capture's project webhook for its action.
type ReplayRequestJSON struct {
	URL    string `json:"url"`
	Method string `json:"method,omitempty"`
	// Headers is {"Name": ["v1", "v2"]} or {"Name": "v"}; it replaces the
	// captured headers.
	Headers json.RawMessage `json:"headers,omitempty"`
	// BodyBase64 replaces the captured body ("" sends none).
	BodyBase64 *string `json:"body_base64,omitempty"`
	// Resign recomputes the signature of the project's scheme (default off:
	// the headers go as they are).
	Resign bool `json:"resign,omitempty"`
	// KeepPath appends the capture's path after the project slug and its
	// query to url; KeepQuery only the query.
	KeepPath  bool `json:"keep_path,omitempty"`
	KeepQuery bool `json:"keep_query,omitempty"`
}

// ReplayResultJSON answers a replay: what the target answered, or why it
// did not (error, with status_code 0).
type ReplayResultJSON struct {
	ID         string      `json:"id"`
	URL        string      `json:"url"`
	StatusCode int         `json:"status_code"`
	Headers    http.Header `json:"headers"`
	BodyBase64 string      `json:"body_base64"`
	Truncated  bool        `json:"truncated"`
	DurationMs float64     `json:"duration_ms"`
	Error      string      `json:"error"`
	Outcome    string      `json:"outcome"`
}

// ReplayListJSON answers GET /captures/{id}/replays: the capture's
// attempts, newest first; action is "replay" for replays and the webhook's
// action for the capture's forward.
type ReplayListJSON struct {
	Replays []AttemptJSON `json:"replays"`
}

// replayRoutes serves the replay API under /_hookscope/api.
func (a *localAPI) replayRoutes(mux *http.ServeMux) {
	const p = "/_hookscope/api"
	mux.HandleFunc("POST "+p+"/captures/{id}/replay", a.replayCapture)
	mux.HandleFunc("GET "+p+"/captures/{id}/replays", a.captureReplays)
}

// maxReplayJSON bounds the body of a replay request: a body as large as
// the receiver keeps, in base64, plus the headers.
func (a *localAPI) maxReplayJSON() int64 {
	return a.maxBody.Load()/3*4 + 1<<20
}

func (a *localAPI) replayCapture(w http.ResponseWriter, r *http.Request) {
	id, ok := a.captureID(w, r)
	if !ok {
		return
	}
	limit := a.maxReplayJSON()
	var req ReplayRequestJSON
	if err := decodeJSONObject(http.MaxBytesReader(w, r.Body, limit), &req); err != nil && !errors.Is(err, errEmptyBody) {
		if bodyTooLarge(err) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the replay JSON is larger than %d bytes", limit))
			return
		}
		writeJSONError(w, http.StatusBadRequest, `the body must be {"url", "method"?, "headers"?, "body_base64"?, "resign"?}: `+err.Error())
		return
	}
	headers, err := parseHeaders(req.Headers)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "headers: "+err.Error())
		return
	}
	if fields := checkReplayRequest(req, headers); fields != nil {
		writeError(w, &requestFields{what: "replay request", fields: fields})
		return
	}
	opt := delivery.ReplayOptions{URL: req.URL, Method: req.Method, Resign: req.Resign, KeepPath: req.KeepPath, KeepQuery: req.KeepQuery}
	opt.Header = headerOf(headers)
	if req.BodyBase64 != nil {
		if opt.Body, err = base64.StdEncoding.DecodeString(*req.BodyBase64); err != nil {
			writeJSONError(w, http.StatusBadRequest, "body_base64 is not base64: "+err.Error())
			return
		}
		if opt.Body == nil {
			opt.Body = []byte{} // an empty body, not the captured one
		}
	}
	c, err := a.store.Get(id)
	if err != nil {
		writeError(w, err)
		return
	}
	proj := a.projectOf(c)
	attempt, err := a.delivery.Replay(r.Context(), c, proj, opt)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, NewReplayResultJSON(newScrubber(r, proj).scrubAttempt(attempt)))
}

// projectOf is c's project, nil for a capture of no project.
func (a *localAPI) projectOf(c *store.Capture) *store.Project {
	if p, ok := a.book.Get(c.Project); ok {
		return &p
	}
	return nil
}

// NewReplayResultJSON converts a replay's attempt.
func NewReplayResultJSON(a store.Attempt) ReplayResultJSON {
	out := ReplayResultJSON{
		ID:         a.ID.String(),
		URL:        a.Request.URL,
		StatusCode: a.StatusCode,
		Headers:    a.ResponseHeader,
		BodyBase64: base64.StdEncoding.EncodeToString(a.ResponseBody),
		Truncated:  a.ResponseTruncated,
		DurationMs: float64(a.Duration.Microseconds()) / 1000,
		Error:      a.Error,
		Outcome:    a.Outcome(),
	}
	if out.Headers == nil {
		out.Headers = http.Header{}
	}
	return out
}

// parseHeaders reads {"Name": ["v"]} or {"Name": "v"}, in order; nil when
// absent.
func parseHeaders(raw json.RawMessage) ([]headerEntry, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	return readHeaderObject(raw)
}

// headerOf is the http.Header of the entries; nil (the captured headers)
// for none, an empty one for an empty object.
func headerOf(entries []headerEntry) http.Header {
	if entries == nil {
		return nil
	}
	h := http.Header{}
	for _, e := range entries {
		for _, v := range e.Values {
			h.Add(e.Name, v)
		}
	}
	return h
}

func (a *localAPI) captureReplays(w http.ResponseWriter, r *http.Request) {
	c, ok := a.pathCapture(w, r)
	if !ok {
		return
	}
	attempts, err := delivery.Replays(a.store, c)
	if err != nil {
		writeError(w, err)
		return
	}
	scrub := newScrubber(r, a.projectOf(c))
	out := ReplayListJSON{Replays: make([]AttemptJSON, 0, len(attempts))}
	for _, a := range attempts {
		out.Replays = append(out.Replays, scrub.attempt(a))
	}
	writeJSON(w, http.StatusOK, out)
}
