package delivery

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hookscope/signature"
	"hookscope/store"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestIntegration250RecordsMake3CallsOf100_100_50(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	p := putProject(t, c.Store, project("crm",
		store.Webhook{Action: "ingested", URL: srv.URL + "/ingested", Enabled: true, Headers: []store.HeaderField{{Name: "Authorization", Value: "Api-Key k"}}}))

	attempts, err := c.SendTestEvent(context.Background(), p, "ingested", "integration", 250)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 3 {
		t.Fatalf("%d attempts, want 3", len(attempts))
	}
	reqs := rec.all()
	if len(reqs) != 3 {
		t.Fatalf("the server got %d calls, want 3", len(reqs))
	}
	var sizes []int
	keys := map[string]int{}
	ids := map[string]bool{}
	for i, r := range reqs {
		if r.Method != "POST" || r.Header.Get("Authorization") != "Api-Key k" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("call %d: %s %v", i, r.Method, r.Header)
		}
		var body struct {
			Docs []struct{ ID, Key string } `json:"docs"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("call %d: %v\n%s", i, err, r.Body)
		}
		sizes = append(sizes, len(body.Docs))
		for _, d := range body.Docs {
			keys[d.Key]++
			if ids[d.ID] || !uuidRE.MatchString(d.ID) {
				t.Errorf("id %q repeated or not a UUID", d.ID)
			}
			ids[d.ID] = true
		}
	}
	if !reflect.DeepEqual(sizes, []int{100, 100, 50}) {
		t.Errorf("batch sizes %v, want [100 100 50]", sizes)
	}
	if len(keys) != 250 {
		t.Errorf("%d distinct records, want 250", len(keys))
	}
	for n := 1; n <= 250; n++ {
		if k := "doc-" + strconv.Itoa(n); keys[k] != 1 {
			t.Errorf("record %s sent %d times", k, keys[k])
		}
	}
	hist, _ := c.Store.Deliveries("crm", "ingested", 10)
	if len(hist) != 3 {
		t.Errorf("%d attempts recorded", len(hist))
	}
	for i, a := range hist { // newest first
		if want := (store.SampleCall{Template: "integration", Batch: a.Sample.Batch, Call: 3 - i, Calls: 3, Records: []int{50, 100, 100}[i]}); *a.Sample != want || a.Sample.Batch != hist[0].Sample.Batch {
			t.Errorf("attempt %d recorded as %+v, want %+v", i, a.Sample, want)
		}
	}
	got, _ := c.Store.Project("crm")
	if w, _ := got.Webhook("ingested"); w.LastCall == nil || w.LastCall.StatusCode != 200 || w.LastError != nil {
		t.Errorf("log %+v %+v", w.LastCall, w.LastError)
	}
}

func TestSendTestEventStopsWhenTheTargetIsDown(t *testing.T) {
	c := newClient(t)
	addr := closedPort(t)
	p := putProject(t, c.Store, project("crm", store.Webhook{Action: "ingested", URL: "http://" + addr + "/", Enabled: true}))
	attempts, err := c.SendTestEvent(context.Background(), p, "ingested", "", 250)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 1 || attempts[0].Error != "connection refused by "+addr {
		t.Fatalf("attempts %+v", attempts)
	}
	got, _ := c.Store.Project("crm")
	w, _ := got.Webhook("ingested")
	if w.LastCall != nil || w.LastError == nil || w.LastError.StatusCode != 0 || w.LastError.Message != "connection refused by "+addr {
		t.Fatalf("log %+v %+v", w.LastCall, w.LastError)
	}
}

// keysOf lists an object's keys in order, following a path of keys.
func keysOf(t *testing.T, body []byte, path ...string) []string {
	t.Helper()
	tree, err := parseOrdered(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	for _, k := range path {
		v, ok := tree.(object).get(k)
		if !ok {
			t.Fatalf("no %q in %s", k, body)
		}
		tree = v
	}
	var keys []string
	for _, m := range tree.(object) {
		keys = append(keys, m.key)
	}
	return keys
}

func TestSampleShapes(t *testing.T) {
	hooks := []store.Webhook{
		{Action: "annotation", URL: "http://127.0.0.1:9000/isahit"},
		{Action: "review", URL: "http://127.0.0.1:9000/isahit"},
		{Action: "onSubmit", URL: "http://127.0.0.1:9000/kili"},
		{Action: "onReview", URL: "http://127.0.0.1:9000/kili"},
		{Action: "result", URL: "http://127.0.0.1:9000/results?filename=original_file_name.mp4&current_timestamp=1687864622"},
		{Action: "modified", URL: "http://127.0.0.1:9000/modified"},
		{Action: "excluded", URL: "http://127.0.0.1:9000/excluded"},
	}
	p := project("lab", hooks...)
	type generic = map[string]any
	tests := map[string]struct {
		action, template string
		wantKeys         []string // top-level keys, in order
		check            func(t *testing.T, body generic)
	}{
		"isahit annotation": {
			action: "annotation", wantKeys: []string{"workflowId", "type", "taskId", "batchId", "projectId"},
			check: func(t *testing.T, b generic) {
				if b["type"] != "annotation" || b["projectId"] != "lab" || !uuidRE.MatchString(b["taskId"].(string)) {
					t.Errorf("%v", b)
				}
			},
		},
		"isahit review": {
			action: "review", template: "isahit", wantKeys: []string{"workflowId", "type", "taskId", "batchId", "projectId"},
			check: func(t *testing.T, b generic) {
				if b["type"] != "review" {
					t.Errorf("type %v", b["type"])
				}
			},
		},
		"kili onSubmit": {
			action: "onSubmit", wantKeys: []string{"eventType", "logPayload", "payload"},
			check: func(t *testing.T, b generic) {
				payload := b["payload"].(generic)
				label := payload["label"].(generic)
				if b["eventType"] != "onSubmit" || b["logPayload"].(generic)["projectId"] != "lab" ||
					!uuidRE.MatchString(payload["asset_id"].(string)) || len(label["id"].(string)) != 25 ||
					label["search"].(generic)["numberOfAnnotationsByObject"].(generic)["JOB_0.OBJECT_A"] != 1.0 {
					t.Errorf("%v", b)
				}
			},
		},
		"kili onReview": {
			action: "onReview", template: "kili", wantKeys: []string{"eventType", "logPayload", "payload"},
			check: func(t *testing.T, b generic) {
				if b["eventType"] != "onReview" {
					t.Errorf("eventType %v", b["eventType"])
				}
			},
		},
		"unitary success with the callback's query": {
			action: "result", template: "unitary-success", wantKeys: []string{"data"},
			check: func(t *testing.T, b generic) {
				d := b["data"].(generic)
				if d["is_error"] != false || d["callback_url"] != hooks[4].URL || d["filename"] != "original_file_name.mp4" ||
					d["current_timestamp"] != "1687864622" || len(d["result"].(generic)["policy_categories"].([]any)) != 2 {
					t.Errorf("%v", d)
				}
			},
		},
		"unitary error": {
			action: "result", template: "unitary-error", wantKeys: []string{"data"},
			check: func(t *testing.T, b generic) {
				d := b["data"].(generic)
				if d["is_error"] != true || d["result"].(generic)["error"] != "Failed to decode video." || d["filename"] != "original_file_name.mp4" {
					t.Errorf("%v", d)
				}
			},
		},
		"integration modified": {
			action: "modified", wantKeys: []string{"modified"},
			check: func(t *testing.T, b generic) {
				recs := b["modified"].([]any)
				r := recs[0].(generic)
				if len(recs) != 3 || r["key"] != "doc-1" || !reflect.DeepEqual(r["labels"], []any{"positive"}) || !uuidRE.MatchString(r["id"].(string)) {
					t.Errorf("%v", b)
				}
			},
		},
		"integration excluded": {
			action: "excluded", wantKeys: []string{"docs"},
			check: func(t *testing.T, b generic) {
				if len(b["docs"].([]any)) != 3 {
					t.Errorf("%v", b)
				}
			},
		},
	}
	c := &Client{Now: func() time.Time { return t0 }}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			reqs, err := c.SampleEvents(p, tc.action, tc.template, 3)
			if err != nil {
				t.Fatal(err)
			}
			wantCalls := 3
			if strings.HasPrefix(tc.action, "modified") || tc.action == "excluded" {
				wantCalls = 1 // batched
			}
			if len(reqs) != wantCalls {
				t.Fatalf("%d calls, want %d", len(reqs), wantCalls)
			}
			for _, r := range reqs {
				if r.Method != "POST" || r.URL != hooks[indexOf(hooks, tc.action)].URL || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("request %s %s %v", r.Method, r.URL, r.Header)
				}
				if r.Header.Get("X-Hub-Signature-256") != "" {
					t.Errorf("signed without a secret")
				}
			}
			if got := keysOf(t, reqs[0].Body); !reflect.DeepEqual(got, tc.wantKeys) {
				t.Errorf("keys %v, want %v", got, tc.wantKeys)
			}
			var body map[string]any
			if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
				t.Fatal(err)
			}
			tc.check(t, body)
		})
	}
}

func indexOf(hooks []store.Webhook, action string) int {
	for i, w := range hooks {
		if w.Action == action {
			return i
		}
	}
	return -1
}

func TestIsahitEventsDifferPerRecordAndShareTheBatch(t *testing.T) {
	p := project("lab", store.Webhook{Action: "annotation", URL: "http://h/"})
	reqs, err := (&Client{}).SampleEvents(p, "annotation", "isahit", 3)
	if err != nil {
		t.Fatal(err)
	}
	tasks, batches := map[string]bool{}, map[string]bool{}
	for _, r := range reqs {
		var b struct{ TaskID, BatchID string }
		json.Unmarshal(r.Body, &b)
		tasks[b.TaskID], batches[b.BatchID] = true, true
	}
	if len(tasks) != 3 || len(batches) != 1 {
		t.Fatalf("%d task ids, %d batch ids; want 3 and 1", len(tasks), len(batches))
	}
}

func TestUnitaryEventsAreSignedWhenTheProjectHasASecret(t *testing.T) {
	p := project("media", store.Webhook{Action: "result", URL: "http://127.0.0.1:9000/results?filename=a.mp4"})
	p.Secret = "test_key"
	c := &Client{Now: func() time.Time { return t0 }}
	for _, tmpl := range []string{"unitary-success", "unitary-error"} {
		reqs, err := c.SampleEvents(p, "result", tmpl, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			mac := hmac.New(sha256.New, []byte("test_key"))
			mac.Write(r.Body)
			want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
			if got := r.Header.Get("X-Hub-Signature-256"); got != want {
				t.Errorf("%s: X-Hub-Signature-256 %q, want %q", tmpl, got, want)
			}
			res := signature.Verify(signature.Request{Method: r.Method, URL: r.URL, Header: r.Header, Body: r.Body},
				signature.Config{Scheme: signature.SchemeHubSHA256Base64, Secret: "test_key"}, t0)
			if res.Status != signature.Valid {
				t.Errorf("%s: verification %s: %s", tmpl, res.Status, res.Reason)
			}
		}
	}
	// Other templates are not signed this way.
	p.Webhooks = append(p.Webhooks, store.Webhook{Action: "ingested", URL: "http://h/"})
	reqs, _ := c.SampleEvents(p, "ingested", "", 1)
	if reqs[0].Header.Get("X-Hub-Signature-256") != "" {
		t.Error("an integration event got a Unitary signature")
	}
}

// The error example of Unitary's "Integrating Webhooks", signed with
// test_key in its 2-space-indented form, gives base64 HMAC-SHA256 of
// exactly those bytes: the body is sent exactly as the template is laid
// out, without a trailing newline.
func TestUnitaryOverrideMatchesTheDocumentedSignature(t *testing.T) {
	p := project("media", store.Webhook{Action: "result", URL: "http://127.0.0.1:9000/results"})
	p.Secret = "test_key"
	p.Templates = map[string]string{"unitary-error": `{"data": {"job_id": "{JOB_ID}", "callback_url": "{CALLBACK_URL}", "is_error": true, "result": {"error": "Failed to decode video."}}}`}
	reqs, err := (&Client{}).SampleEvents(p, "result", "unitary-error", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"data\": {\n    \"job_id\": \"{JOB_ID}\",\n    \"callback_url\": \"{CALLBACK_URL}\",\n    \"is_error\": true,\n    \"result\": {\n      \"error\": \"Failed to decode video.\"\n    }\n  }\n}"
	if string(reqs[0].Body) != want {
		t.Fatalf("body\n%s\nwant\n%s", reqs[0].Body, want)
	}
	if got := reqs[0].Header.Get("X-Hub-Signature-256"); got != "xDIo1V+MXrch+M11WZF1TTbBc5FWQSOyBNpkLxMR27k=" {
		t.Fatalf("signature %q", got)
	}
}

func TestProjectTemplatesOverrideTheBuiltIns(t *testing.T) {
	p := project("lab",
		store.Webhook{Action: "annotation", URL: "http://h/a"},
		store.Webhook{Action: "modified", URL: "http://h/m"},
		store.Webhook{Action: "ingested", URL: "http://h/i"},
	)
	p.Templates = map[string]string{
		"isahit":               `{"z": "{{project}}-{{n}}", "a": {"keep": "{{unknown}}", "html": "<&>", "num": 1.50, "null": null}, "list": []}`,
		"integration/modified": `{"source": "{{action}}", "changed": [{"key": "k{{n}}"}]}`,
		"mine/annotation":      `{"custom": "{{type}}"}`,
	}
	c := &Client{}
	tests := map[string]struct {
		action, template string
		records          int
		want             []string
	}{
		"isahit override, key order and literals kept": {"annotation", "isahit", 2, []string{
			"{\n  \"z\": \"lab-1\",\n  \"a\": {\n    \"keep\": \"{{unknown}}\",\n    \"html\": \"<&>\",\n    \"num\": 1.50,\n    \"null\": null\n  },\n  \"list\": []\n}",
			"{\n  \"z\": \"lab-2\",\n  \"a\": {\n    \"keep\": \"{{unknown}}\",\n    \"html\": \"<&>\",\n    \"num\": 1.50,\n    \"null\": null\n  },\n  \"list\": []\n}",
		}},
		"per-action override, batched on its own array": {"modified", "integration", 2, []string{
			"{\n  \"source\": \"modified\",\n  \"changed\": [\n    {\n      \"key\": \"k1\"\n    },\n    {\n      \"key\": \"k2\"\n    }\n  ]\n}",
		}},
		"the other actions keep the built-in": {"ingested", "integration", 1, nil},
		"a custom template name":              {"annotation", "mine", 1, []string{"{\n  \"custom\": \"annotation\"\n}"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			reqs, err := c.SampleEvents(p, tc.action, tc.template, tc.records)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if got := keysOf(t, reqs[0].Body); !reflect.DeepEqual(got, []string{"docs"}) {
					t.Fatalf("keys %v", got)
				}
				return
			}
			var got []string
			for _, r := range reqs {
				got = append(got, string(r.Body))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("bodies\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	text, err := TemplateJSON(p, "integration", "modified")
	if err != nil || text != p.Templates["integration/modified"] {
		t.Errorf("TemplateJSON %q (%v)", text, err)
	}
	if text, _ := TemplateJSON(project("x"), "integration", "Modified"); !strings.Contains(text, `"modified"`) {
		t.Errorf("built-in modified template: %s", text)
	}
}

func TestSampleEventErrors(t *testing.T) {
	p := project("lab", store.Webhook{Action: "ingested", URL: "http://h/"})
	p.Templates = map[string]string{"broken": `{"a": `, "flat": `{"a": 1}`}
	tests := map[string]struct {
		action, template string
		records          int
		want             string
	}{
		"unknown action":     {"nope", "", 1, "no webhook"},
		"unknown template":   {"ingested", "nope", 1, `unknown template "nope"`},
		"too many records":   {"ingested", "", MaxSampleRecords + 1, "records must be from 1 to 10000"},
		"negative records":   {"ingested", "", -1, "records must be"},
		"broken override":    {"ingested", "broken", 1, "not valid JSON"},
		"batched needs list": {"ingested", "integration", 1, ""},
	}
	p2 := p
	p2.Templates = map[string]string{"integration": `{"a": 1}`}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			pp := p
			if tc.want == "" {
				pp, tc.want = p2, "top-level array"
			}
			_, err := (&Client{}).SampleEvents(pp, tc.action, tc.template, tc.records)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
			if invalid := errors.Is(err, ErrInvalidSample); invalid == (name == "unknown action") {
				t.Errorf("errors.Is(err, ErrInvalidSample) = %v for %v", invalid, err)
			}
		})
	}
	if _, err := (&Client{}).SampleEvents(p, "nope", "", 1); !errors.Is(err, ErrNoWebhook) {
		t.Errorf("not ErrNoWebhook: %v", err)
	}
}

func TestTemplatesAndDefaults(t *testing.T) {
	names := map[string]bool{}
	for _, tmpl := range Templates() {
		names[tmpl.Name] = true
		if tmpl.Title == "" {
			t.Errorf("%s has no title", tmpl.Name)
		}
	}
	for _, n := range []string{"isahit", "kili", "unitary-success", "unitary-error", "integration"} {
		if !names[n] {
			t.Errorf("no built-in %s", n)
		}
	}
	tests := map[string]string{"ingested": "integration", "Modified": "integration", "review": "isahit", "onSubmit": "kili", "onreview": "kili", "orders": "isahit"}
	for action, want := range tests {
		if got := DefaultTemplate(action); got != want {
			t.Errorf("DefaultTemplate(%q) = %q, want %q", action, got, want)
		}
	}
}

// Each call of a test event is recorded with the template it was built
// from, the batch ID its body carries, and its place in the send, so the
// delivery history can say which event a call belonged to.
func TestTestEventAttemptsRecordTemplateAndBatch(t *testing.T) {
	c := newClient(t)
	rec := &recorder{}
	srv := rec.server(t, func(w http.ResponseWriter, r *http.Request) {})
	p := putProject(t, c.Store, project("crm", store.Webhook{Action: "ingested", URL: srv.URL + "/ingested", Enabled: true}))
	// The Isahit template makes a call per record, each carrying the batch.
	if _, err := c.SendTestEvent(context.Background(), p, "ingested", TemplateIsahit, 3); err != nil {
		t.Fatal(err)
	}
	hist, err := c.Store.Deliveries("crm", "ingested", 10)
	if err != nil || len(hist) != 3 {
		t.Fatalf("%d attempts recorded (%v)", len(hist), err)
	}
	slices.Reverse(hist) // oldest first, as sent
	var batch string
	for i, a := range hist {
		var body struct {
			BatchID string `json:"batchId"`
		}
		if err := json.Unmarshal(a.Request.Body, &body); err != nil {
			t.Fatal(err)
		}
		want := store.SampleCall{Template: TemplateIsahit, Batch: body.BatchID, Call: i + 1, Calls: 3, Records: 1}
		if a.Sample == nil || *a.Sample != want {
			t.Fatalf("call %d recorded as %+v, want %+v", i+1, a.Sample, want)
		}
		if !uuidRE.MatchString(body.BatchID) || (batch != "" && body.BatchID != batch) {
			t.Fatalf("call %d: batch %q, the send's %q", i+1, body.BatchID, batch)
		}
		batch = body.BatchID
	}
	if _, err := c.Deliver(context.Background(), p, "ingested", []byte(`{}`), nil); err != nil {
		t.Fatal(err)
	}
	if hist, _ := c.Store.Deliveries("crm", "ingested", 1); hist[0].Sample != nil {
		t.Fatalf("a plain delivery recorded as a test event's call: %+v", hist[0].Sample)
	}
}
