package receiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"hookscope/projects"
	"hookscope/projects/rules"
	"hookscope/store"
)

// projectInput is a project as PUT reads it: store.Project, except that a
// webhook's headers may also be an object of names to values — the header
// dict a platform's setup_webhook call takes — besides the list of
// {"name", "value"} the API answers with. Its rules are read as rules, so
// a misspelt field in one is refused as anywhere else in the project.
type projectInput struct {
	store.Project
	// Webhooks and Rules hide store.Project's own (encoding/json prefers
	// the shallower field of a name).
	Webhooks []webhookInput `json:"webhooks"`
	Rules    []rules.Rule   `json:"rules"`
}

type webhookInput struct {
	store.Webhook
	Headers headerFields `json:"headers"`
}

// project is the store.Project the input describes.
func (in projectInput) project() store.Project {
	p := in.Project
	projects.SetRules(&p, in.Rules)
	if in.Webhooks != nil {
		p.Webhooks = make([]store.Webhook, len(in.Webhooks))
		for i, w := range in.Webhooks {
			p.Webhooks[i] = w.Webhook
			p.Webhooks[i].Headers = w.Headers
		}
	}
	return p
}

// headerFields reads a webhook's headers in either form; an object keeps
// the order of its names, and a list of values gives one field per value.
type headerFields []store.HeaderField

func (h *headerFields) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*h = nil
	case len(b) > 0 && b[0] == '[':
		var list []store.HeaderField
		dec := json.NewDecoder(bytes.NewReader(b))
		// The outer decoder's DisallowUnknownFields does not reach here.
		dec.DisallowUnknownFields()
		if err := dec.Decode(&list); err != nil {
			return fmt.Errorf(`webhook headers: %w`, err)
		}
		*h = list
	case len(b) > 0 && b[0] == '{':
		entries, err := readHeaderObject(b)
		if err != nil {
			return fmt.Errorf("webhook headers: %w", err)
		}
		list := []store.HeaderField{}
		for _, e := range entries {
			for _, v := range e.Values {
				list = append(list, store.HeaderField{Name: e.Name, Value: v})
			}
		}
		*h = list
	default:
		return errors.New(`webhook headers must be a list of {"name", "value"} or an object of names to values`)
	}
	return nil
}

// headerEntry is one name of a JSON header object with its values.
type headerEntry struct {
	Name   string
	Values []string
}

// readHeaderObject reads {"Name": "v", "Other": ["v1", "v2"]} in the order
// it is written (a Go map would lose it, and the order names the entry an
// error is about).
func readHeaderObject(raw []byte) ([]headerEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("want an object of names to a value or a list of values")
	}
	out := []headerEntry{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		var one string
		var many []string
		switch {
		case bytes.Equal(v, []byte("null")):
			return nil, fmt.Errorf("%s: want a string or a list of strings, not null", name)
		case json.Unmarshal(v, &one) == nil:
			many = []string{one}
		case json.Unmarshal(v, &many) == nil:
		default:
			return nil, fmt.Errorf("%s: want a string or a list of strings", name)
		}
		out = append(out, headerEntry{Name: name, Values: many})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}
