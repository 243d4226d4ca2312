package receiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

var (
	// errNotObject is a body that is JSON but not an object: null would
	// otherwise decode into a zero project and replace the stored one.
	errNotObject = errors.New("body must be a JSON object")
	// errEmptyBody is a body of nothing but white space; endpoints whose
	// fields are all optional take it as {}.
	errEmptyBody = fmt.Errorf("%w; the body is empty", errNotObject)
	// errTrailingData is what follows the object: json.Decoder stops after
	// one value, so `{"a":1}{"b":2}` would lose its second half unsaid.
	errTrailingData = errors.New("unexpected data after the JSON object")
)

// decodeJSONObject reads the one JSON object body holds into v, strictly:
// a misspelt field, a value that is not an object (null included) and data
// after the object are errors. Every JSON body of the API goes through it.
// body is read to its end; a *http.MaxBytesError from it is returned
// wrapped, for a 413.
func decodeJSONObject(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return errEmptyBody
		}
		return err
	}
	if raw[0] != '{' {
		return errNotObject
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return fmt.Errorf("after the JSON object: %w", err)
		}
		return errTrailingData
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	// A misspelt field would otherwise be dropped without a word.
	strict.DisallowUnknownFields()
	return strict.Decode(v)
}

// bodyTooLarge reports whether err is http.MaxBytesReader's.
func bodyTooLarge(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}
