package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// stepJSON is Step on the wire. Its fields are Step's, in Step's order, so
// a step with a numeric status marshals to the same bytes as before status
// could be a string, and Rule.Hash — hence every stored counter — is
// unchanged by the upgrade.
type stepJSON struct {
	Action  string            `json:"action"`
	Status  json.RawMessage   `json:"status,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
	DelayMS int               `json:"delay_ms,omitempty"`
}

// MarshalJSON writes "status" as it was read: a string when StatusText is
// set, else a number (omitted when 0).
func (st Step) MarshalJSON() ([]byte, error) {
	w := stepJSON{Action: st.Action, Headers: st.Headers, Body: st.Body, DelayMS: st.DelayMS}
	switch {
	case st.StatusText != "":
		b, err := json.Marshal(st.StatusText)
		if err != nil {
			return nil, err
		}
		w.Status = b
	case st.Status != 0:
		w.Status = strconv.AppendInt(nil, int64(st.Status), 10)
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads "status" as a number into Status or a string into
// StatusText; null or absent leaves both empty (the fallback status).
func (st *Step) UnmarshalJSON(b []byte) error {
	var w stepJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*st = Step{Action: w.Action, Headers: w.Headers, Body: w.Body, DelayMS: w.DelayMS}
	raw := bytes.TrimSpace(w.Status)
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		return json.Unmarshal(raw, &st.StatusText)
	default:
		if err := json.Unmarshal(raw, &st.Status); err != nil {
			return errors.New("status must be a whole number or a string (a template such as \"{{query.code}}\")")
		}
	}
	return nil
}

// statusRange is said by every message about a bad status. 1xx answers are
// not final: a 101 leaves the sender waiting for a protocol switch, a 100
// is followed by net/http's own 200.
const statusRange = "from 200 to 599"

// maxStatusText bounds a string status: a status is three digits, and a
// template choosing one fits in far less.
const maxStatusText = 4 << 10

func validStatus(n int) bool { return n >= 200 && n <= 599 }

// checkStatusText says what is wrong with a string status when saving: a
// template must parse, and a string without one is a status already.
func checkStatusText(text string) error {
	if strings.Contains(text, "{{") {
		return CheckTemplate(text)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(text)); err != nil || !validStatus(n) {
		return fmt.Errorf("status must be a number %s or a template such as \"{{query.code}}\"", statusRange)
	}
	return nil
}

// renderStatus renders a string status for one answer: 0 (the fallback
// answer's status) with an error when the template fails or does not
// produce a status, so a sender is never answered something net/http
// would refuse or a 1xx it would wait on.
func (e *env) renderStatus(text string) (int, error) {
	out, err := e.render(text)
	if err != nil {
		return 0, fmt.Errorf("%w: the fallback answer's status was sent", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil || !validStatus(n) {
		return 0, fmt.Errorf("the template produced %q, not a status %s: the fallback answer's status was sent", out, statusRange)
	}
	return n, nil
}
