package rules

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/tidwall/gjson"
)

// Request is what rules see of a capture.
type Request struct {
	Method string
	// Path is the path as received, without the query.
	Path   string
	Header http.Header
	Query  url.Values
	Body   []byte
	// Signature is the capture's signature status, in the words of the
	// signature package ("valid", "invalid", "missing_header", …; "" when
	// not checked).
	Signature string
}

// maxRendered bounds what one template may produce: a range over a large
// body must not build an unbounded answer.
const maxRendered = 4 << 20

// Template placeholders, for the forms' hints.
const TemplateHelp = `{{body.taskId}} {{body "docs.#"}} {{header "X-Request-Id"}} {{query.batch}} {{path 2}} {{method}} {{now}} {{uuid}} {{n}}`

// env is what one template execution reads: the request, the rule's count
// and the clock. The decoded body is kept for the templates of one answer.
type env struct {
	req     *Request
	n       uint64
	now     time.Time
	decoded bool
	body    any
}

// funcs are the only functions a template may call besides text/template's
// built-ins (and, or, not, len, index, printf, eq…): they read the request
// and produce values, nothing else.
//
//	body            the JSON body as a map: {{body.taskId}}, {{body.data.eventType}}
//	body "PATH"     a GJSON path of the body: {{body "docs.#"}}, {{body "docs.0.id"}}
//	header "NAME"   the first value of a request header
//	query           the query's first values as a map: {{query.batch}}; query "NAME" too
//	path N          the Nth path segment, from 1 (/isahit/42/review: path 2 is 42); path alone the whole path
//	method          the request's method
//	now             the time of the answer, RFC 3339 in UTC
//	uuid            a random UUID (version 4)
//	n               how many requests this rule has matched, this one included
func (e *env) funcs() template.FuncMap {
	return template.FuncMap{
		"body":   e.bodyValue,
		"header": func(name string) string { return e.req.Header.Get(name) },
		"query":  e.queryValue,
		"path":   e.pathSegment,
		"method": func() string { return e.req.Method },
		"now":    func() string { return e.now.UTC().Format(time.RFC3339) },
		"uuid":   newUUID,
		"n":      func() uint64 { return e.n },
	}
}

func (e *env) bodyValue(paths ...string) (any, error) {
	if len(paths) > 1 {
		return nil, errors.New("body takes at most one JSON path")
	}
	if len(paths) == 1 {
		return gjson.GetBytes(e.req.Body, paths[0]).String(), nil
	}
	if !e.decoded {
		e.decoded = true
		d := json.NewDecoder(bytes.NewReader(e.req.Body))
		d.UseNumber() // ids keep every digit
		if d.Decode(&e.body) != nil {
			e.body = map[string]any{}
		}
	}
	return e.body, nil
}

func (e *env) queryValue(names ...string) (any, error) {
	switch len(names) {
	case 0:
		m := make(map[string]string, len(e.req.Query))
		for k, v := range e.req.Query {
			if len(v) > 0 {
				m[k] = v[0]
			}
		}
		return m, nil
	case 1:
		return e.req.Query.Get(names[0]), nil
	}
	return nil, errors.New("query takes at most one parameter name")
}

func (e *env) pathSegment(n ...int) (string, error) {
	if len(n) == 0 {
		return e.req.Path, nil
	}
	if len(n) > 1 || n[0] < 1 {
		return "", errors.New("path takes one segment number, from 1")
	}
	segs := strings.Split(strings.TrimPrefix(e.req.Path, "/"), "/")
	if n[0] > len(segs) {
		return "", nil
	}
	seg := segs[n[0]-1]
	if u, err := url.PathUnescape(seg); err == nil {
		seg = u
	}
	return seg, nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])  // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// parse reads a template with the rules' functions; missingkey=error makes
// {{body.taskId}} on a body without taskId an error to record rather than
// the text "<no value>" sent to the sender.
func parse(text string, fm template.FuncMap) (*template.Template, error) {
	t, err := template.New("t").Option("missingkey=error").Funcs(fm).Parse(text)
	if err != nil {
		return nil, errors.New(cleanTemplateError(err))
	}
	return t, nil
}

// CheckTemplate parses text as a rule template and says clearly what is
// wrong with it.
func CheckTemplate(text string) error {
	if !strings.Contains(text, "{{") {
		return nil
	}
	_, err := parse(text, (&env{req: &Request{}}).funcs())
	if err != nil {
		return fmt.Errorf("template: %s (use %s)", strings.TrimPrefix(err.Error(), "template: "), TemplateHelp)
	}
	return nil
}

// cleanTemplateError drops text/template's "template: t:" prefix, which
// names the template's internal name, keeping the line number.
func cleanTemplateError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "template: ")
	if rest, ok := strings.CutPrefix(msg, "t:"); ok {
		msg = "line " + rest
	}
	return msg
}

// limitedBuffer refuses to grow past its limit.
type limitedBuffer struct {
	bytes.Buffer
	limit int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.limit {
		return 0, fmt.Errorf("the template produced more than %d bytes", b.limit)
	}
	return b.Buffer.Write(p)
}

// render executes text against e. On any error it returns text itself, as
// written, with the error: a template that cannot run is answered as
// literal text and the error recorded with the capture, never a 500.
func (e *env) render(text string) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	t, err := parse(text, e.funcs())
	if err != nil {
		return text, err
	}
	out := limitedBuffer{limit: maxRendered}
	if err := t.Execute(&out, nil); err != nil {
		return text, errors.New(cleanTemplateError(err))
	}
	return out.String(), nil
}

// Render executes one template for a request as the n-th match of its rule,
// at now. On error it returns text unchanged with the error.
func Render(text string, req *Request, n uint64, now time.Time) (string, error) {
	return (&env{req: req, n: n, now: now}).render(text)
}
