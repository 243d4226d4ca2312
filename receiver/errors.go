package receiver

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"hookscope/delivery"
	"hookscope/projects"
	"hookscope/store"
	"hookscope/tunnel"
)

// requestFields lists what is wrong with a request body other than a
// project (a replay request), by field, as projects.FieldErrors does for a
// project.
type requestFields struct {
	what   string // "replay request"
	fields map[string]string
}

func (e *requestFields) Error() string {
	paths := make([]string, 0, len(e.fields))
	for p := range e.fields {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for i, p := range paths {
		paths[i] = p + ": " + e.fields[p]
	}
	return "invalid " + e.what + ": " + strings.Join(paths, "; ")
}

// badRequestErrors are the errors of the parts below that mean the client
// asked for something that cannot be done, not that the server failed.
var badRequestErrors = []error{
	delivery.ErrInvalidSample, delivery.ErrInvalidTarget, delivery.ErrTruncated,
	delivery.ErrCannotResign, delivery.ErrNoWebhook, delivery.ErrDotSegment,
	delivery.ErrInvalidSide,
}

// errorAnswer is the API's one table from an error to its HTTP status and
// JSON body: {"error": message}, with "fields" (path → message) for a body
// that breaks rules, and "hint" for a tunnel setting that cannot work.
func errorAnswer(err error) (int, map[string]any) {
	body := map[string]any{"error": err.Error()}
	var fields projects.FieldErrors
	var reqFields *requestFields
	var perm *tunnel.Permanent
	switch {
	case errors.As(err, &fields):
		body["fields"] = fields
		return http.StatusBadRequest, body
	case errors.As(err, &reqFields):
		body["fields"] = reqFields.fields
		return http.StatusBadRequest, body
	case errors.As(err, &perm):
		body["hint"] = perm.Hint
		return http.StatusBadRequest, body
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrProjectNotFound), errors.Is(err, store.ErrAttemptNotFound):
		return http.StatusNotFound, body
	case errors.Is(err, store.ErrProjectExists):
		return http.StatusConflict, body
	case isAny(err, badRequestErrors):
		return http.StatusBadRequest, body
	case errors.Is(err, store.ErrDamaged):
		// The file, not the request: the message names --recover.
		return http.StatusInternalServerError, body
	}
	return http.StatusInternalServerError, body
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// writeError answers err as errorAnswer says.
func writeError(w http.ResponseWriter, err error) {
	status, body := errorAnswer(err)
	writeJSON(w, status, body)
}
