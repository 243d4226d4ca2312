package delivery

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"hookscope/signature"
	"hookscope/store"
)

// Template is a built-in sample event, in the shape of one platform's
// webhooks as its public documentation describes them: isahit lab's
// "Webhook usage", Kili's "How to develop a Kili Webhook", Unitary's
// "Integrating Webhooks" and the integration's "Webhook callbacks".
type Template struct {
	Name  string
	Title string
	// Actions are the actions the template is meant for; the first template
	// listing an action is its default. Nil means any action.
	Actions []string
}

// The built-in template names.
const (
	TemplateIsahit         = "isahit"
	TemplateKili           = "kili"
	TemplateUnitarySuccess = "unitary-success"
	TemplateUnitaryError   = "unitary-error"
	TemplateIntegration    = "integration"
)

var templates = []Template{
	{TemplateIntegration, "Integration callbacks: ingested, modified, excluded documents (batches of 100)", []string{"ingested", "modified", "excluded"}},
	{TemplateIsahit, "Isahit Lab: task done in an annotation or review job", []string{"annotation", "review"}},
	{TemplateKili, "Kili: label submitted or reviewed", []string{"onSubmit", "onReview"}},
	{TemplateUnitarySuccess, "Unitary: job result (success)", nil},
	{TemplateUnitaryError, "Unitary: job result (error)", nil},
}

// Templates lists the built-in templates.
func Templates() []Template {
	out := make([]Template, len(templates))
	for i, t := range templates {
		t.Actions = slices.Clone(t.Actions)
		out[i] = t
	}
	return out
}

// Placeholder is a {{name}} a template's strings may contain.
type Placeholder struct{ Name, Meaning string }

// Placeholders are replaced in every string value of a template (unknown
// ones are left as written).
var Placeholders = []Placeholder{
	{"id", "a UUID per record, the same everywhere in that record"},
	{"uuid", "a new UUID at each occurrence"},
	{"cuid", "a new Kili-style id (c + 24 letters and digits) at each occurrence"},
	{"n", "the record's number, from 1"},
	{"batch", "a UUID shared by every call of one send"},
	{"project", "the project's slug"},
	{"action", "the webhook's action"},
	{"type", `"review" when the action names a review, else "annotation" (Isahit Lab)`},
	{"eventType", `"onReview" when the action names a review, else "onSubmit" (Kili)`},
	{"label", "a label: positive, negative, neutral in turn"},
	{"url", "the webhook's URL"},
	{"now", "the send time, RFC 3339 UTC with milliseconds"},
}

// BatchSize is how many records one integration callback carries at most
// (the integration's "Webhook callbacks" documentation: "called on each
// 100 records").
const BatchSize = 100

// MaxSampleRecords bounds one send.
const MaxSampleRecords = 10_000

// builtinJSON holds the templates' JSON; integration has one shape for
// modified and another for the rest.
var builtinJSON = map[string]string{
	TemplateIsahit: `{
  "workflowId": "{{uuid}}",
  "type": "{{type}}",
  "taskId": "{{id}}",
  "batchId": "{{batch}}",
  "projectId": "{{project}}"
}`,
	TemplateKili: `{
  "eventType": "{{eventType}}",
  "logPayload": {
    "projectId": "{{project}}",
    "runId": "{{uuid}}"
  },
  "payload": {
    "label": {
      "id": "{{cuid}}",
      "labelType": "DEFAULT",
      "createdAt": "{{now}}",
      "jsonResponse": {
        "JOB_0": {
          "annotations": [
            {
              "boundingPoly": [
                {
                  "normalizedVertices": [
                    {"x": 0.15, "y": 0.84},
                    {"x": 0.15, "y": 0.31},
                    {"x": 0.82, "y": 0.31},
                    {"x": 0.82, "y": 0.84}
                  ]
                }
              ],
              "categories": [{"name": "OBJECT_A"}],
              "children": {},
              "mid": "20221124161451411-13314",
              "type": "rectangle"
            }
          ]
        }
      },
      "search": {
        "numberOfAnnotationsByObject": {"JOB_0.OBJECT_A": 1}
      }
    },
    "asset_id": "{{id}}"
  }
}`,
	TemplateUnitarySuccess: `{
  "data": {
    "job_id": "{{id}}",
    "callback_url": "{{url}}",
    "is_error": false,
    "result": {
      "policy_categories": [
        {
          "name": "ARMS_AMMO",
          "description": "Arms & Ammunition",
          "risk_level": "HIGH"
        },
        {
          "name": "DEATH_INJURY_MILITARY",
          "description": "Death, Injury or Military Conflict",
          "risk_level": "MEDIUM"
        }
      ],
      "metadata": {
        "width": 720,
        "height": 480,
        "fps": 30,
        "duration": 11.6,
        "seconds_processed": 11
      },
      "url": "https://example.com/media/video-{{n}}.mp4"
    }
  }
}`,
	TemplateUnitaryError: `{
  "data": {
    "job_id": "{{id}}",
    "callback_url": "{{url}}",
    "is_error": true,
    "result": {
      "error": "Failed to decode video."
    }
  }
}`,
	TemplateIntegration: `{
  "docs": [
    {
      "id": "{{id}}",
      "key": "doc-{{n}}"
    }
  ]
}`,
	TemplateIntegration + "/modified": `{
  "modified": [
    {
      "id": "{{id}}",
      "key": "doc-{{n}}",
      "labels": ["{{label}}"]
    }
  ]
}`,
}

// TemplateJSON is the JSON a template sends for action: the project's
// override (Templates["name/action"], then Templates["name"]) or the
// built-in. The form's template editor starts from it.
func TemplateJSON(project store.Project, name, action string) (string, error) {
	if !slices.ContainsFunc(templates, func(t Template) bool { return t.Name == name }) {
		_, custom := project.Templates[name]
		_, customForAction := project.Templates[name+"/"+action]
		if !custom && !customForAction {
			msg := fmt.Sprintf("unknown template %q for %s (built-in: %s", name, action, templateNames())
			if own := projectTemplateNames(project, action); own != "" {
				msg += "; this project's: " + own
			}
			return "", errors.New(msg + ")")
		}
	}
	for _, key := range []string{name + "/" + action, name} {
		if s, ok := project.Templates[key]; ok {
			return s, nil
		}
	}
	if name == TemplateIntegration && strings.EqualFold(action, "modified") {
		return builtinJSON[TemplateIntegration+"/modified"], nil
	}
	return builtinJSON[name], nil
}

// projectTemplateNames lists the project's own templates action can send.
func projectTemplateNames(p store.Project, action string) string {
	var names []string
	for k := range p.Templates {
		name, forAction, scoped := strings.Cut(k, "/")
		if (!scoped || forAction == action) && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func templateNames() string {
	names := make([]string, len(templates))
	for i, t := range templates {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

// DefaultTemplate is the template offered first for action: the first
// listing it, else isahit's generic task event.
func DefaultTemplate(action string) string {
	for _, t := range templates {
		if slices.ContainsFunc(t.Actions, func(a string) bool { return strings.EqualFold(a, action) }) {
			return t.Name
		}
	}
	return TemplateIsahit
}

// ErrInvalidSample wraps the errors of a sample request that cannot be
// built: unknown template, records out of range, a template that is not
// valid JSON or lacks a record list.
var ErrInvalidSample = errors.New("invalid sample event")

// SampleRequest is one call of a sample event, ready to send to the webhook
// (whose own headers Deliver still adds).
type SampleRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Records is how many records the call carries.
	Records int
	// Template is the template the body was built from; Batch the ID
	// every call of one send shares (the {{batch}} placeholder).
	Template, Batch string
}

// SampleEvents builds the calls a platform would make for records records
// on the project's webhook for action, from template ("" picks
// DefaultTemplate). The integration template puts its records in batches of
// BatchSize — the first element of its top-level array is the pattern of a
// record — so 250 records make calls of 100, 100 and 50; other templates make
// one call per record. Unitary templates get the webhook URL's query
// parameters merged into "data" (the callback_url's custom data, as
// Unitary's "Integrating Webhooks" says) and, when the project has a secret, an
// X-Hub-Signature-256 header: base64 HMAC-SHA256 of the exact body.
func (c *Client) SampleEvents(project store.Project, action, template string, records int) ([]SampleRequest, error) {
	w, ok := project.Webhook(action)
	if !ok {
		return nil, fmt.Errorf("sample events for %s/%s: %w", project.Slug, action, ErrNoWebhook)
	}
	if template == "" {
		template = DefaultTemplate(action)
	}
	if records == 0 {
		records = 1
	}
	if records < 1 || records > MaxSampleRecords {
		return nil, fmt.Errorf("sample events: %w: records must be from 1 to %d", ErrInvalidSample, MaxSampleRecords)
	}
	text, err := TemplateJSON(project, template, action)
	if err != nil {
		return nil, fmt.Errorf("sample events for %s/%s: %w: %w", project.Slug, action, ErrInvalidSample, err)
	}
	tree, err := parseOrdered([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("sample events: %w: template %q is not valid JSON: %w", ErrInvalidSample, template, err)
	}
	now := c.now()
	v := &vars{
		project: project.Slug, action: w.Action, url: w.URL, batch: newUUID(),
		now: now.UTC().Format("2006-01-02T15:04:05.000Z"),
	}

	var bodies []sampleBody
	if template == TemplateIntegration {
		bodies, err = batched(tree, records, v)
		if err != nil {
			return nil, fmt.Errorf("sample events: %w: template %q: %w", ErrInvalidSample, template, err)
		}
	} else {
		for n := 1; n <= records; n++ {
			bodies = append(bodies, sampleBody{v.expand(tree, n), 1})
		}
	}

	unitary := strings.HasPrefix(template, "unitary")
	out := make([]SampleRequest, 0, len(bodies))
	for _, b := range bodies {
		if unitary {
			b.tree = mergeQuery(b.tree, w.URL)
		}
		req := SampleRequest{
			Method: http.MethodPost,
			URL:    w.URL,
			Header: http.Header{
				"Content-Type": {"application/json"},
				"User-Agent":   {"Hookscope (sample event: " + template + ")"},
			},
			Body:     encodeOrdered(b.tree),
			Records:  b.records,
			Template: template,
			Batch:    v.batch,
		}
		if unitary && project.Secret != "" {
			sr := &signature.Request{Method: req.Method, URL: req.URL, Header: req.Header, Body: req.Body}
			err := signature.Sign(sr, signature.Config{Scheme: signature.SchemeHubSHA256Base64, Secret: project.Secret}, now)
			if err != nil {
				return nil, fmt.Errorf("sample events: sign: %w", err)
			}
			req.Header = sr.Header
		}
		out = append(out, req)
	}
	return out, nil
}

type sampleBody struct {
	tree    any
	records int
}

// batched splits records into calls of at most BatchSize, numbering records
// across calls so each is sent once.
func batched(tree any, records int, v *vars) ([]sampleBody, error) {
	root, ok := tree.(object)
	if !ok {
		return nil, errors.New("a batched template must be a JSON object")
	}
	at := -1
	for i, m := range root {
		if arr, ok := m.val.([]any); ok && len(arr) > 0 {
			at = i
			break
		}
	}
	if at < 0 {
		return nil, errors.New(`a batched template needs a top-level array whose first element is the record pattern, e.g. {"docs": [{"id": "{{id}}"}]}`)
	}
	pattern := root[at].val.([]any)[0]
	var out []sampleBody
	for first := 1; first <= records; first += BatchSize {
		last := min(first+BatchSize-1, records)
		list := make([]any, 0, last-first+1)
		for n := first; n <= last; n++ {
			list = append(list, v.expand(pattern, n))
		}
		call := make(object, len(root))
		for i, m := range root {
			if i == at {
				call[i] = member{m.key, list}
			} else {
				call[i] = member{m.key, v.expand(m.val, first)}
			}
		}
		out = append(out, sampleBody{call, len(list)})
	}
	return out, nil
}

// mergeQuery adds the query parameters of target to the body's "data"
// object (or to the top level when there is none), in their order; a
// repeated parameter becomes an array.
func mergeQuery(tree any, target string) any {
	u, err := url.Parse(target)
	if err != nil || u.RawQuery == "" {
		return tree
	}
	root, ok := tree.(object)
	if !ok {
		return tree
	}
	var order []string
	values := map[string][]string{}
	for _, pair := range strings.Split(u.RawQuery, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			continue
		}
		if _, seen := values[key]; !seen {
			order = append(order, key)
		}
		values[key] = append(values[key], value)
	}
	add := func(o object) object {
		for _, k := range order {
			if vs := values[k]; len(vs) == 1 {
				o.set(k, vs[0])
			} else {
				list := make([]any, len(vs))
				for i, s := range vs {
					list[i] = s
				}
				o.set(k, list)
			}
		}
		return o
	}
	root = slices.Clone(root)
	if data, ok := root.get("data"); ok {
		if d, ok := data.(object); ok {
			root.set("data", add(slices.Clone(d)))
			return root
		}
	}
	return add(root)
}

// vars are the placeholder values of one send.
type vars struct {
	project, action, url, batch, now string
}

var labels = []string{"positive", "negative", "neutral"}

// expand fills the placeholders of tree for record n.
func (v *vars) expand(tree any, n int) any {
	id := newUUID()
	review := strings.Contains(strings.ToLower(v.action), "review")
	return mapStrings(tree, func(s string) string {
		if !strings.Contains(s, "{{") {
			return s
		}
		var b strings.Builder
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				break
			}
			j := strings.Index(s[i+2:], "}}")
			if j < 0 {
				break
			}
			name := strings.TrimSpace(s[i+2 : i+2+j])
			val, ok := "", true
			switch name {
			case "id":
				val = id
			case "uuid":
				val = newUUID()
			case "cuid":
				val = newCUID()
			case "n":
				val = strconv.Itoa(n)
			case "batch":
				val = v.batch
			case "project":
				val = v.project
			case "action":
				val = v.action
			case "type":
				val = map[bool]string{true: "review", false: "annotation"}[review]
			case "eventType":
				val = map[bool]string{true: "onReview", false: "onSubmit"}[review]
			case "label":
				val = labels[(n-1)%len(labels)]
			case "url":
				val = v.url
			case "now":
				val = v.now
			default:
				ok = false
			}
			if ok {
				b.WriteString(s[:i])
				b.WriteString(val)
			} else {
				b.WriteString(s[:i+2+j+2])
			}
			s = s[i+2+j+2:]
		}
		b.WriteString(s)
		return b.String()
	})
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

const cuidChars = "abcdefghijklmnopqrstuvwxyz0123456789"

func newCUID() string {
	var b [24]byte
	rand.Read(b[:])
	out := []byte{'c'}
	for _, x := range b {
		out = append(out, cuidChars[int(x)%len(cuidChars)])
	}
	return string(out)
}

// SendTestEvent builds the sample events (see SampleEvents) and delivers
// each to the webhook in turn, recording every attempt. It stops after an
// attempt that got no answer: the target is down and the next calls would
// only wait for the same timeout.
func (c *Client) SendTestEvent(ctx context.Context, project store.Project, action, template string, records int) ([]store.Attempt, error) {
	reqs, err := c.SampleEvents(project, action, template, records)
	if err != nil {
		return nil, err
	}
	w, _ := project.Webhook(action) // SampleEvents found it
	attempts := make([]store.Attempt, 0, len(reqs))
	for i, r := range reqs {
		sample := &store.SampleCall{Template: r.Template, Batch: r.Batch, Call: i + 1, Calls: len(reqs), Records: r.Records}
		a, err := c.deliver(ctx, project, w, Request{Method: r.Method, URL: r.URL, Header: r.Header, Body: r.Body, Sample: sample}, 0)
		if err != nil {
			return attempts, fmt.Errorf("send test event: %w", err)
		}
		attempts = append(attempts, a)
		if a.StatusCode == 0 {
			break
		}
	}
	return attempts, nil
}
