package rules

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func req(method, target, body string, h http.Header) *Request {
	p, q, _ := strings.Cut(target, "?")
	vals, _ := url.ParseQuery(q)
	if h == nil {
		h = http.Header{}
	}
	return &Request{Method: method, Path: p, Query: vals, Header: h, Body: []byte(body)}
}

func TestMatch(t *testing.T) {
	ingested := http.Header{"X-Event": {"ingested"}, "X-Request-Id": {"r-1"}}
	review := `{"type":"review","taskId":"t-42","data":{"eventType":"done"},"docs":[{"id":1},{"id":2}]}`
	tests := []struct {
		name string
		m    Match
		r    *Request
		want bool
	}{
		{"empty match matches all", Match{}, req("GET", "/x", "", nil), true},
		{"method in set", Match{Methods: []string{"PUT", "POST"}}, req("POST", "/x", "", nil), true},
		{"method typed lower case", Match{Methods: []string{"post"}}, req("POST", "/x", "", nil), true},
		{"method not in set", Match{Methods: []string{"PUT"}}, req("POST", "/x", "", nil), false},
		{"glob one segment", Match{Path: "/isahit/*/review"}, req("POST", "/isahit/42/review", "", nil), true},
		{"glob star does not cross a slash", Match{Path: "/isahit/*/review"}, req("POST", "/isahit/4/2/review", "", nil), false},
		{"glob trailing star", Match{Path: "/integration/*"}, req("POST", "/integration/ingested", "", nil), true},
		{"glob other project", Match{Path: "/integration/*"}, req("POST", "/acme/ingested", "", nil), false},
		{"header present", Match{Headers: map[string]string{"x-request-id": ""}}, req("POST", "/x", "", ingested), true},
		{"header absent", Match{Headers: map[string]string{"X-Missing": ""}}, req("POST", "/x", "", ingested), false},
		{"header equal", Match{Headers: map[string]string{"X-Event": "ingested"}}, req("POST", "/x", "", ingested), true},
		{"header not equal", Match{Headers: map[string]string{"X-Event": "modified"}}, req("POST", "/x", "", ingested), false},
		{"header regex", Match{Headers: map[string]string{"X-Event": "/^ing/"}}, req("POST", "/x", "", ingested), true},
		{"header regex fails", Match{Headers: map[string]string{"X-Event": "/^mod/"}}, req("POST", "/x", "", ingested), false},
		{"query equal", Match{Query: map[string]string{"batch": "b-1"}}, req("POST", "/x?batch=b-1", "", nil), true},
		{"query other value", Match{Query: map[string]string{"batch": "b-1"}}, req("POST", "/x?batch=b-2", "", nil), false},
		{"query present", Match{Query: map[string]string{"batch": ""}}, req("POST", "/x?batch=", "", nil), true},
		{"body field equal", Match{Body: map[string]string{"type": "review"}}, req("POST", "/x", review, nil), true},
		{"body nested field", Match{Body: map[string]string{"data.eventType": "done"}}, req("POST", "/x", review, nil), true},
		{"body array length", Match{Body: map[string]string{"docs.#": "2"}}, req("POST", "/x", review, nil), true},
		{"body array length differs", Match{Body: map[string]string{"docs.#": "3"}}, req("POST", "/x", review, nil), false},
		{"body field exists", Match{Body: map[string]string{"taskId": ""}}, req("POST", "/x", review, nil), true},
		{"body field missing", Match{Body: map[string]string{"batchId": ""}}, req("POST", "/x", review, nil), false},
		{"body not JSON", Match{Body: map[string]string{"type": "review"}}, req("POST", "/x", `type=review`, nil), false},
		{"signature valid", Match{Signature: "valid"}, &Request{Signature: "valid"}, true},
		{"signature invalid is not valid", Match{Signature: "valid"}, &Request{Signature: "invalid"}, false},
		{"stale timestamp is invalid", Match{Signature: "invalid"}, &Request{Signature: "timestamp_out_of_tolerance"}, true},
		{"no header is missing", Match{Signature: "missing"}, &Request{Signature: "missing_header"}, true},
		{"unsigned is missing", Match{Signature: "missing"}, &Request{Signature: "unsigned"}, true},
		{"every field at once", Match{Methods: []string{"POST"}, Path: "/integration/*",
			Headers: map[string]string{"X-Event": "ingested"}, Query: map[string]string{"batch": "b-1"},
			Body: map[string]string{"type": "review"}, Signature: "invalid"},
			&Request{Method: "POST", Path: "/integration/ingested", Header: ingested,
				Query: url.Values{"batch": {"b-1"}}, Body: []byte(review), Signature: "invalid"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Matches(tc.r); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := Rule{Name: "flaky", Enabled: true, Steps: []Step{{Action: ActionRespond, Status: 500}}}
	tests := []struct {
		name  string
		rules []Rule
		field string // "" for valid
		msg   string // part of the message
	}{
		{"valid", []Rule{good}, "", ""},
		{"no name", []Rule{{Steps: good.Steps}}, "rules[0].name", "needs a name"},
		{"duplicate name", []Rule{good, good}, "rules[1].name", "already used by rules[0]"},
		{"no steps", []Rule{{Name: "a"}}, "rules[0].steps", "at least one step"},
		{"unknown action", []Rule{{Name: "a", Steps: []Step{{Action: "explode"}}}}, "rules[0].steps[0].action", "respond, drop"},
		{"1xx status", []Rule{{Name: "a", Steps: []Step{{Action: "respond"}, {Action: "respond", Status: 101}}}}, "rules[0].steps[1].status", "200 to 599"},
		{"delay too long", []Rule{{Name: "a", Steps: []Step{{Action: "respond", DelayMS: 121_000}}}}, "rules[0].steps[0].delay_ms", "0 to 120000"},
		{"bad after", []Rule{{Name: "a", Steps: good.Steps, After: "loop"}}, "rules[0].after", "repeat_last"},
		{"bad glob", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Path: "/a/[b"}}}, "rules[0].match.path", "not a valid glob"},
		{"relative path", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Path: "a/*"}}}, "rules[0].match.path", "start with /"},
		{"bad regex", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Headers: map[string]string{"X-Event": "/(/"}}}}, "rules[0].match.headers.X-Event", "regular expression"},
		{"bad header name", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Headers: map[string]string{"X Event": ""}}}}, "rules[0].match.headers.X Event", "header name"},
		{"bad method", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Methods: []string{"PO ST"}}}}, "rules[0].match.methods[0]", "not a method"},
		{"bad signature", []Rule{{Name: "a", Steps: good.Steps, Match: Match{Signature: "bad"}}}, "rules[0].match.signature", "valid, invalid or missing"},
		{"unknown template function", []Rule{{Name: "a", Steps: []Step{{Action: "respond", Body: `{{bodyy.taskId}}`}}}}, "rules[0].steps[0].body", `function "bodyy" not defined`},
		{"unclosed template", []Rule{{Name: "a", Steps: []Step{{Action: "respond", Body: `{"task":"{{body.taskId"}`}}}}, "rules[0].steps[0].body", "template: line 1"},
		{"template in a header", []Rule{{Name: "a", Steps: []Step{{Action: "respond", Headers: map[string]string{"X-Task": "{{header}"}}}}}, "rules[0].steps[0].headers.X-Task", "template"},
		{"status template", []Rule{{Name: "a", Steps: []Step{{Action: "respond", StatusText: `{{if eq (header "X-Fail") "1"}}500{{else}}200{{end}}`}}}}, "", ""},
		{"status as a string", []Rule{{Name: "a", Steps: []Step{{Action: "respond", StatusText: "503"}}}}, "", ""},
		{"bad status template", []Rule{{Name: "a", Steps: []Step{{Action: "respond"}, {Action: "respond", StatusText: "{{query.code}"}}}}, "rules[0].steps[1].status", "template: line 1"},
		{"unknown function in a status", []Rule{{Name: "a", Steps: []Step{{Action: "respond", StatusText: "{{code}}"}}}}, "rules[0].steps[0].status", `function "code" not defined`},
		{"status string not a status", []Rule{{Name: "a", Steps: []Step{{Action: "respond", StatusText: "abc"}}}}, "rules[0].steps[0].status", "200 to 599 or a template"},
		{"1xx status string", []Rule{{Name: "a", Steps: []Step{{Action: "respond", StatusText: "101"}}}}, "rules[0].steps[0].status", "200 to 599"},
		{"status number and template", []Rule{{Name: "a", Steps: []Step{{Action: "respond", Status: 500, StatusText: "{{query.code}}"}}}}, "rules[0].steps[0].status", "not both"},
		{"receiver's header", []Rule{{Name: "a", Steps: []Step{{Action: "respond", Headers: map[string]string{"content-length": "3"}}}}}, "rules[0].steps[0].headers.content-length", "set by the receiver"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := Validate(tc.rules)
			if tc.field == "" {
				if errs != nil {
					t.Fatalf("Validate = %v, want valid", errs)
				}
				return
			}
			if !strings.Contains(errs[tc.field], tc.msg) {
				t.Fatalf("Validate = %v, want %s: …%s…", errs, tc.field, tc.msg)
			}
		})
	}
}

func TestPresetsAreValid(t *testing.T) {
	var rs []Rule
	for _, p := range Presets() {
		rs = append(rs, p.Rule)
	}
	rs = append(rs, OnlyNth("third", Match{}, 3, Step{Action: ActionDrop}), EveryNth("every fifth", Match{}, 5, Step{Action: ActionReset}))
	if errs := Validate(rs); errs != nil {
		t.Fatal(errs)
	}
}

// statuses runs k requests through rs as Choose would with counters that
// start at zero, and lists the status (or action) each got; "fallback"
// when no rule answered.
func statuses(rs []Rule, k int) []string {
	counts := make([]uint64, len(rs))
	next := func(i int) (uint64, error) { counts[i]++; return counts[i], nil }
	r := req("POST", "/integration/ingested", `{}`, nil)
	var out []string
	for range k {
		c, ok, _ := Choose(rs, Matching(rs, r), next)
		switch {
		case !ok:
			out = append(out, "fallback")
		case rs[c.Rule].Steps[c.Step].Action != ActionRespond:
			out = append(out, c.Name+":"+rs[c.Rule].Steps[c.Step].Action)
		case rs[c.Rule].Steps[c.Step].Status == 0:
			out = append(out, c.Name+":pass")
		default:
			out = append(out, c.Name+":"+strconv.Itoa(rs[c.Rule].Steps[c.Step].Status))
		}
	}
	return out
}

func TestSequences(t *testing.T) {
	s := func(code int) Step { return Step{Action: ActionRespond, Status: code} }
	flaky := Rule{Name: "f", Enabled: true, Steps: []Step{s(500), s(500), s(200)}}
	tests := []struct {
		name  string
		rules []Rule
		want  string
	}{
		{"repeat last (default)", []Rule{flaky}, "f:500 f:500 f:200 f:200 f:200"},
		{"cycle", []Rule{{Name: "f", Enabled: true, Steps: flaky.Steps, After: AfterCycle}}, "f:500 f:500 f:200 f:500 f:500"},
		{"next rule, then fallback", []Rule{{Name: "f", Enabled: true, Steps: flaky.Steps, After: AfterNextRule}}, "f:500 f:500 f:200 fallback fallback"},
		{"next rule, then the next rule", []Rule{{Name: "f", Enabled: true, Steps: []Step{s(503)}, After: AfterNextRule},
			{Name: "g", Enabled: true, Steps: []Step{{Action: ActionDrop}}}}, "f:503 g:drop g:drop g:drop g:drop"},
		{"disabled rule is skipped", []Rule{{Name: "f", Steps: flaky.Steps}}, "fallback fallback fallback fallback fallback"},
		{"non-matching rule is skipped", []Rule{{Name: "x", Enabled: true, Match: Match{Methods: []string{"GET"}}, Steps: flaky.Steps}, flaky},
			"f:500 f:500 f:200 f:200 f:200"},
		{"only the 3rd", []Rule{OnlyNth("n", Match{}, 3, Step{Action: ActionHang})}, "n:pass n:pass n:hang fallback fallback"},
		{"every 2nd", []Rule{EveryNth("e", Match{}, 2, Step{Action: ActionReset})}, "e:pass e:reset e:pass e:reset e:pass"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(statuses(tc.rules, 5), " "); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestHashChangesWithTheRuleNotWithEnabled(t *testing.T) {
	r := Presets()[0].Rule
	off := r
	off.Enabled = false
	if r.Hash() != off.Hash() {
		t.Error("switching a rule off changed its hash")
	}
	edited := r
	edited.Steps = append([]Step{{Action: ActionDrop}}, r.Steps...)
	if r.Hash() == edited.Hash() {
		t.Error("adding a step kept the hash")
	}
}

func TestTemplates(t *testing.T) {
	r := req("POST", "/isahit/t%2042/review?batch=b-1&batch=b-2",
		`{"taskId":"t-42","id":12345678901234567890,"docs":[{"id":"a"},{"id":"b"}],"data":{"eventType":"done"}}`,
		http.Header{"X-Request-Id": {"req-9"}})
	now := time.Date(2026, 12, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		text, want, err string
	}{
		{`plain text`, `plain text`, ""},
		{`{"task":"{{body.taskId}}"}`, `{"task":"t-42"}`, ""},
		{`{{body.data.eventType}}`, `done`, ""},
		{`{{body.id}}`, `12345678901234567890`, ""},
		{`{{body "docs.#"}} {{body "docs.1.id"}}`, `2 b`, ""},
		{`{{header "X-Request-Id"}}|{{header "X-None"}}`, `req-9|`, ""},
		{`{{query.batch}} {{query "batch"}}`, `b-1 b-1`, ""},
		{`{{path 1}}/{{path 2}}/{{path 3}}/{{path 4}}`, `isahit/t 42/review/`, ""},
		{`{{path}}`, `/isahit/t%2042/review`, ""},
		{`{{method}} {{now}} #{{n}}`, `POST 2026-12-01T08:30:00Z #3`, ""},
		{`{{if eq (body "docs.#") "2"}}two{{end}}`, `two`, ""},
		// A missing field is an error to record; the text goes out as written.
		{`{"task":"{{body.nope}}"}`, `{"task":"{{body.nope}}"}`, "nope"},
		{`{{path 0}}`, `{{path 0}}`, "from 1"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if err := CheckTemplate(tc.text); err != nil {
				t.Fatalf("CheckTemplate: %v", err)
			}
			got, err := Render(tc.text, r, 3, now)
			if got != tc.want {
				t.Errorf("Render = %q, want %q", got, tc.want)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Render error = %v, want %q", err, tc.err)
			}
		})
	}
}

func TestUUIDTemplate(t *testing.T) {
	a, _ := Render(`{{uuid}}`, req("GET", "/", "", nil), 1, time.Now())
	b, _ := Render(`{{uuid}}`, req("GET", "/", "", nil), 1, time.Now())
	if len(a) != 36 || a[14] != '4' || a == b {
		t.Errorf("uuid = %q then %q, want two different version-4 UUIDs", a, b)
	}
}

func TestAnswerRendersAndRecordsTemplateErrors(t *testing.T) {
	rs := []Rule{{Name: "echo", Enabled: true, Steps: []Step{{Action: ActionRespond, Status: 202,
		Headers: map[string]string{"X-Task": "{{body.taskId}}", "X-Bad": "{{body.absent}}"},
		Body:    `{"ok":true,"task":"{{body.taskId}}","n":{{n}}}`, DelayMS: 1500}}}}
	a := Choice{Rule: 0, Name: "echo", Step: 0, N: 7}.Answer(rs, req("POST", "/p", `{"taskId":"t-1"}`, nil), time.Now())
	if a.Status != 202 || a.Header.Get("X-Task") != "t-1" || string(a.Body) != `{"ok":true,"task":"t-1","n":7}` || a.Delay != 1500*time.Millisecond {
		t.Errorf("answer = %+v", a)
	}
	if a.Header.Get("X-Bad") != "{{body.absent}}" || a.Err == nil || !strings.Contains(a.Err.Error(), "header X-Bad") {
		t.Errorf("a failing template: header %q, error %v; want the literal text and the error", a.Header.Get("X-Bad"), a.Err)
	}
}

// TestStatusJSON: a numeric status reads and writes as a number (the same
// bytes as before status could be a string, so rule hashes, and counters,
// are kept), a string as a string.
func TestStatusJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     Step
		err      string
	}{
		{"number", `{"action":"respond","status":503}`, Step{Action: ActionRespond, Status: 503}, ""},
		{"absent", `{"action":"respond","body":"x"}`, Step{Action: ActionRespond, Body: "x"}, ""},
		{"template", `{"action":"respond","status":"{{query.code}}"}`, Step{Action: ActionRespond, StatusText: "{{query.code}}"}, ""},
		{"plain string", `{"action":"respond","status":"503"}`, Step{Action: ActionRespond, StatusText: "503"}, ""},
		{"every field", `{"action":"partial","status":"{{n}}","headers":{"A":"b"},"body":"x","delay_ms":5}`,
			Step{Action: ActionPartial, StatusText: "{{n}}", Headers: map[string]string{"A": "b"}, Body: "x", DelayMS: 5}, ""},
		{"fraction", `{"action":"respond","status":500.5}`, Step{}, "whole number or a string"},
		{"object", `{"action":"respond","status":{}}`, Step{}, "whole number or a string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var st Step
			err := json.Unmarshal([]byte(tc.in), &st)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Unmarshal error = %v, want …%s…", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(st, tc.want) {
				t.Fatalf("Unmarshal = %+v, %v; want %+v", st, err, tc.want)
			}
			out, err := json.Marshal(st)
			if err != nil || string(out) != tc.in {
				t.Errorf("Marshal = %s, %v; want it written back as %s", out, err, tc.in)
			}
		})
	}
	// The wire form of a numeric step is what encoding/json gave Step
	// before it had a MarshalJSON: the hash of an existing rule is kept.
	r := Rule{Name: "flaky", Steps: []Step{{Action: ActionRespond, Status: 500, Headers: map[string]string{"Retry-After": "3"}, Body: "no", DelayMS: 10}}}
	if got, want := r.Hash(), "bb3b4846aa32a046"; got != want {
		t.Errorf("Hash = %s, want %s (the hash before string statuses)", got, want)
	}
}

// TestStatusTemplateAtAnswerTime: a rendered status that is not a status
// from 200 to 599 gives the fallback status (0) with the error recorded.
func TestStatusTemplateAtAnswerTime(t *testing.T) {
	const failIf = `{{if eq (header "X-Fail") "1"}}500{{else}}200{{end}}`
	tests := []struct {
		name   string
		status string
		r      *Request
		want   int
		err    string
	}{
		{"query code", "{{query.code}}", req("POST", "/p?code=503", "", nil), 503, ""},
		{"spaces around", " {{query.code}}\n", req("POST", "/p?code=429", "", nil), 429, ""},
		{"if header", failIf, req("POST", "/p", "", http.Header{"X-Fail": {"1"}}), 500, ""},
		{"else", failIf, req("POST", "/p", "", nil), 200, ""},
		{"body field", "{{body.code}}", req("POST", "/p", `{"code":418}`, nil), 418, ""},
		{"plain string", "503", req("POST", "/p", "", nil), 503, ""},
		{"renders abc", "{{query.code}}", req("POST", "/p?code=abc", "", nil), 0, `status: the template produced "abc", not a status from 200 to 599`},
		{"renders 42", "{{query.code}}", req("POST", "/p?code=42", "", nil), 0, `produced "42"`},
		{"renders 1xx", "{{query.code}}", req("POST", "/p?code=101", "", nil), 0, `produced "101"`},
		{"no code", "{{query.code}}", req("POST", "/p", "", nil), 0, `no entry for key "code": the fallback answer's status was sent`},
		{"renders nothing", `{{query "code"}}`, req("POST", "/p", "", nil), 0, `produced ""`},
		{"missing field", "{{body.code}}", req("POST", "/p", `{}`, nil), 0, "status: line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := []Rule{{Name: "s", Enabled: true, Steps: []Step{{Action: ActionRespond, StatusText: tc.status, Body: "ok"}}}}
			if errs := Validate(rs); errs != nil {
				t.Fatalf("Validate = %v", errs)
			}
			a := Choice{N: 1}.Answer(rs, tc.r, time.Now())
			if a.Status != tc.want || string(a.Body) != "ok" {
				t.Errorf("answer status %d body %q, want %d", a.Status, a.Body, tc.want)
			}
			if tc.err == "" && a.Err != nil || tc.err != "" && (a.Err == nil || !strings.Contains(a.Err.Error(), tc.err)) {
				t.Errorf("answer error = %v, want …%s…", a.Err, tc.err)
			}
		})
	}
}

func TestHangIsBounded(t *testing.T) {
	rs := []Rule{{Name: "h", Enabled: true, Steps: []Step{{Action: ActionHang}, {Action: ActionHang, DelayMS: 5000}}}}
	r := req("POST", "/p", "", nil)
	if a := (Choice{Step: 0}).Answer(rs, r, time.Now()); a.Hang != MaxHang || a.Delay != 0 {
		t.Errorf("hang without a delay: %+v, want MaxHang", a)
	}
	if a := (Choice{Step: 1}).Answer(rs, r, time.Now()); a.Hang != 5*time.Second {
		t.Errorf("hang with delay_ms 5000: %+v", a)
	}
}

func FuzzTemplate(f *testing.F) {
	for _, s := range []string{`{{body.taskId}}`, `{{header "X"}}`, `{{query.batch}}`, `{{path 2}}`, `{{now}} {{uuid}} {{n}}`,
		`{{range body.docs}}{{.id}}{{end}}`, `{{`, `}}{{`, `{{printf "%d" n}}`, `{{body "docs.#"}}`, `{{template "x"}}`, `{{define "x"}}{{end}}`} {
		f.Add(s, `{"taskId":"t","docs":[{"id":1}]}`)
	}
	f.Fuzz(func(t *testing.T, text, body string) {
		err := CheckTemplate(text)
		r := req("POST", "/a/b?batch=1", body, http.Header{"X": {"y"}})
		out, rerr := Render(text, r, 2, time.Unix(0, 0))
		if err != nil && out != text {
			t.Fatalf("an invalid template rendered %q, want the text as written", out)
		}
		if rerr != nil && out != text {
			t.Fatalf("a failed render gave %q, want the text as written", out)
		}
		if !strings.Contains(text, "{{") && (err != nil || out != text) {
			t.Fatalf("text without {{ changed: %q, %v", out, err)
		}
	})
}

func TestDryRunDoesNotCount(t *testing.T) {
	rs := []Rule{Presets()[0].Rule, {Name: "rest", Enabled: true, Steps: []Step{{Action: ActionDrop}}}}
	r := req("POST", "/x", "", nil)
	for _, tc := range []struct {
		counts   []uint64
		wantRule int
		wantStep int
	}{{[]uint64{0, 0}, 0, 0}, {[]uint64{2, 0}, 0, 2}, {[]uint64{9, 0}, 0, 2}} {
		c, ok := DryRun(rs, r, tc.counts)
		if !ok || c.Rule != tc.wantRule || c.Step != tc.wantStep {
			t.Errorf("counts %v: rule %d step %d (%v), want rule %d step %d", tc.counts, c.Rule, c.Step, ok, tc.wantRule, tc.wantStep)
		}
	}
	rs[0].Enabled = false
	if c, ok := DryRun(rs, r, []uint64{0, 0}); !ok || c.Name != "rest" {
		t.Errorf("with the first rule off: %+v, want rest", c)
	}
}

func TestStepSummary(t *testing.T) {
	for st, want := range map[*Step]string{
		{Action: ActionRespond, Status: 500}:                  "respond 500",
		{Action: ActionRespond, DelayMS: 30000}:               "after 30s: respond (fallback status)",
		{Action: ActionHang}:                                  "hang (at most 2m0s)",
		{Action: ActionDrop}:                                  "drop",
		{Action: ActionRespond, StatusText: "{{query.code}}"}: "respond {{query.code}}",
	} {
		if got := st.Summary(); got != want {
			t.Errorf("Summary = %q, want %q", got, want)
		}
	}
}

// A catch-all rule is one no later rule can follow: enabled, without a
// condition, and never handing over.
func TestCatchAll(t *testing.T) {
	answer := []Step{{Action: ActionRespond, Status: 200}}
	for _, c := range []struct {
		name string
		r    Rule
		want bool
	}{
		{"no condition", Rule{Enabled: true, Steps: answer}, true},
		{"cycling", Rule{Enabled: true, Steps: answer, After: AfterCycle}, true},
		{"switched off", Rule{Steps: answer}, false},
		{"a path", Rule{Enabled: true, Match: Match{Path: "/shop/*"}, Steps: answer}, false},
		{"a method", Rule{Enabled: true, Match: Match{Methods: []string{"POST"}}, Steps: answer}, false},
		{"a signature", Rule{Enabled: true, Match: Match{Signature: SignatureInvalid}, Steps: answer}, false},
		{"a body condition", Rule{Enabled: true, Match: Match{Body: map[string]string{"type": ""}}, Steps: answer}, false},
		{"hands over", Rule{Enabled: true, Steps: answer, After: AfterNextRule}, false},
	} {
		if got := c.r.CatchAll(); got != c.want {
			t.Errorf("%s: CatchAll %v, want %v", c.name, got, c.want)
		}
	}
}
