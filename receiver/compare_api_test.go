package receiver

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"hookscope/diff"
	"hookscope/store"
)

// isahitBody is a task event as Isahit Lab posts it to a batch's webhook
// (https://sdk-docs.isahit.com/, "Webhook usage").
func isahitBody(typ, taskID string) string {
	return `{"workflowId": "wf_6752c1f0a8", "type": "` + typ + `", "taskId": "` + taskID +
		`", "batchId": "b_6752c1f0a9", "projectId": "p_6752c1f0aa"}`
}

// compareAPI is the whole handler on loopback, with the receiver's root
// for captures.
type compareAPI struct {
	root, api string
	st        *store.Store
}

func newCompareAPI(t *testing.T) compareAPI {
	api, st := apiServer(t, nil)
	return compareAPI{root: strings.TrimSuffix(api, "/_hookscope/api"), api: api, st: st}
}

// capture posts a webhook and returns its capture's ID.
func (c compareAPI) capture(t *testing.T, path string, header http.Header, body []byte) string {
	t.Helper()
	return capturedFrom(t, c.st, send(t, "POST", c.root+path, body, header)).ID.String()
}

// compare asks for a comparison; query is what follows "?".
func (c compareAPI) compare(t *testing.T, query string) CompareJSON {
	t.Helper()
	var out CompareJSON
	getJSON(t, c.api+"/captures/compare?"+query, http.StatusOK, &out)
	return out
}

func isahitHeader(requestID string) http.Header {
	return http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer lab-token"}, "X-Request-Id": {requestID}}
}

func headerRow(rows []diff.HeaderChange, name string) (diff.HeaderChange, bool) {
	for _, r := range rows {
		if strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return diff.HeaderChange{}, false
}

func TestCompareAPITwoIsahitEvents(t *testing.T) {
	c := newCompareAPI(t)
	if status, _, v := call(t, "PUT", c.api+"/projects/isahit", `{"name": "Isahit", "compare": {"ignoreHeaders": ["x-request-id"]}}`); status != http.StatusCreated {
		t.Fatalf("create the project: %d %v", status, v)
	}
	h2 := isahitHeader("req-2")
	h2.Set("X-Retry", "1")
	a := c.capture(t, "/isahit/tasks", isahitHeader("req-1"), []byte(isahitBody("annotation", "t_0001")))
	b := c.capture(t, "/isahit/tasks", h2, []byte(isahitBody("review", "t_0002")))

	got := c.compare(t, "a="+a+"&b="+b)
	want := []diff.BodyChange{
		{Path: "taskId", Change: "changed", A: "t_0001", B: "t_0002"},
		{Path: "type", Change: "changed", A: "annotation", B: "review"},
	}
	if got.Body.Kind != "json" || !reflect.DeepEqual(got.Body.Changes, want) {
		t.Fatalf("body %s %+v, want exactly type and taskId changed", got.Body.Kind, got.Body.Changes)
	}
	for _, f := range got.Request {
		if f.Change != "same" {
			t.Errorf("request %+v differs", f)
		}
	}
	if r, ok := headerRow(got.Headers, "X-Retry"); !ok || r.Change != "added" || !reflect.DeepEqual(r.B, []string{"1"}) {
		t.Errorf("X-Retry row %+v", r)
	}
	if r, ok := headerRow(got.Headers, "Authorization"); !ok || r.Change != "same" {
		t.Errorf("Authorization row %+v", r)
	}
	if _, ok := headerRow(got.Headers, "X-Request-Id"); ok || got.IgnoredChanges != 1 {
		t.Errorf("the project's ignored header shows, or is not counted (%d): %+v", got.IgnoredChanges, got.Headers)
	}
	if got.Ignored.From != "project" || got.Ignored.Project == nil || *got.Ignored.Project != "isahit" ||
		!reflect.DeepEqual(got.Ignored.Headers, []string{"x-request-id"}) {
		t.Errorf("ignored %+v", got.Ignored)
	}

	// ignore= (empty) leaves nothing out; ignore=taskId leaves the key out.
	got = c.compare(t, "a="+a+"&b="+b+"&ignore=")
	if r, ok := headerRow(got.Headers, "X-Request-Id"); !ok || r.Change != "changed" || got.Ignored.From != "query" {
		t.Errorf("with ignore= empty: X-Request-Id %+v, ignored %+v", r, got.Ignored)
	}
	got = c.compare(t, "a="+a+"&b="+b+"&ignore=taskId,X-Request-Id")
	if len(got.Body.Changes) != 1 || got.Body.Changes[0].Path != "type" || got.IgnoredChanges != 2 {
		t.Errorf("ignore=taskId,X-Request-Id: %+v, %d ignored", got.Body.Changes, got.IgnoredChanges)
	}
	if _, ok := headerRow(got.Headers, "X-Request-Id"); ok {
		t.Errorf("ignore=X-Request-Id still shows the header")
	}
}

func TestCompareAPIBodies(t *testing.T) {
	c := newCompareAPI(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"amount": 100, "currency": "EUR"}`))
	zw.Close()
	tests := map[string]struct {
		a, b       []byte
		ha, hb     http.Header
		kind, note string
		changes    []diff.BodyChange
	}{
		"numbers by value": {
			a: []byte(`{"amount": 1.0, "rate": 1e2}`), b: []byte(`{"amount": 1, "rate": 100}`), kind: "json", changes: []diff.BodyChange{},
		},
		"a gzip body compares decoded": {
			a: zipped.Bytes(), ha: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
			b: []byte(`{"currency": "EUR", "amount": 100.00}`), kind: "json", changes: []diff.BodyChange{},
		},
		"invalid JSON falls back to text": {
			a: []byte("{\"a\": 1}"), b: []byte("{\"a\": 1"), kind: "text",
			note:    "right is not valid JSON (unexpected EOF): compared as text",
			changes: []diff.BodyChange{{Path: "line 1", Change: "changed", A: `{"a": 1}`, B: `{"a": 1`}},
		},
		"binary": {
			a: []byte("\x89PNG\r\n\x1a\n\x00\x00"), b: []byte("\x89PNG\r\n\x1a\n\x00\x01\x02"),
			ha: http.Header{"Content-Type": {"image/png"}}, hb: http.Header{"Content-Type": {"image/png"}},
			kind: "binary", changes: []diff.BodyChange{{Path: "byte 9", Change: "changed", A: "00", B: "0102"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ha, hb := tc.ha, tc.hb
			if ha == nil {
				ha = jsonHeader
			}
			if hb == nil {
				hb = jsonHeader
			}
			got := c.compare(t, "a="+c.capture(t, "/orders", ha, tc.a)+"&b="+c.capture(t, "/orders", hb, tc.b))
			if got.Body.Kind != tc.kind || got.Body.Note != tc.note || !reflect.DeepEqual(got.Body.Changes, tc.changes) {
				t.Fatalf("body %s %q %+v\nwant %s %q %+v", got.Body.Kind, got.Body.Note, got.Body.Changes, tc.kind, tc.note, tc.changes)
			}
		})
	}
	got := c.compare(t, "a="+c.capture(t, "/p", nil, []byte("\x00\x01\x02"))+"&b="+c.capture(t, "/p", nil, []byte("\x00\x01")))
	if got.Body.Binary == nil || *got.Body.Binary != (diff.Binary{LeftSize: 3, RightSize: 2, FirstDiff: 2}) {
		t.Errorf("binary sizes %+v", got.Body.Binary)
	}
}

func TestCompareAPICaptureWithReplay(t *testing.T) {
	c := newCompareAPI(t)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"workflowId": "wf_6752c1f0a8", "type": "annotation", "accepted": true}`))
	}))
	t.Cleanup(target.Close)
	capID := c.capture(t, "/isahit/tasks", isahitHeader("req-1"), []byte(isahitBody("annotation", "t_0001")))
	status, _, v := call(t, "POST", c.api+"/captures/"+capID+"/replay", `{"url": "`+target.URL+`/hook"}`)
	attempt, _ := field(v, "id").(string)
	if status != http.StatusOK || attempt == "" {
		t.Fatalf("replay: %d %v", status, v)
	}

	got := c.compare(t, "a="+capID+"&b=answer:"+attempt+"&ignore=")
	wantLine := []diff.FieldChange{
		{Name: "method", A: "POST", Change: "removed"},
		{Name: "host", A: strings.TrimPrefix(c.root, "http://"), Change: "removed"},
		{Name: "path", A: "/isahit/tasks", Change: "removed"},
		{Name: "status", B: "202", Change: "added"},
	}
	if got.B != "answer:"+attempt || !reflect.DeepEqual(got.Request, wantLine) {
		t.Errorf("request line %+v (b %q)", got.Request, got.B)
	}
	wantBody := []diff.BodyChange{
		{Path: "accepted", Change: "added", B: true},
		{Path: "batchId", Change: "removed", A: "b_6752c1f0a9"},
		{Path: "projectId", Change: "removed", A: "p_6752c1f0aa"},
		{Path: "taskId", Change: "removed", A: "t_0001"},
	}
	if !reflect.DeepEqual(got.Body.Changes, wantBody) {
		t.Errorf("body %+v\nwant %+v", got.Body.Changes, wantBody)
	}

	// What the replay sent is the capture's body, to another path.
	got = c.compare(t, "a="+capID+"&b=sent:"+attempt)
	wantHost := diff.FieldChange{Name: "host", A: strings.TrimPrefix(c.root, "http://"), B: strings.TrimPrefix(target.URL, "http://"), Change: "changed"}
	if len(got.Body.Changes) != 0 || got.Request[1] != wantHost || got.Request[2].B != "/hook" {
		t.Errorf("capture against what its replay sent: %+v %+v", got.Request, got.Body.Changes)
	}
}

func TestCompareAPIErrors(t *testing.T) {
	c := newCompareAPI(t)
	id := c.capture(t, "/p", nil, []byte("x"))
	for query, want := range map[string]int{
		"a=" + id:                              http.StatusBadRequest,
		"a=zzz&b=" + id:                        http.StatusBadRequest,
		"a=" + id + "&b=replay:" + id:          http.StatusBadRequest,
		"a=" + id + "&b=0000000000000001":      http.StatusNotFound,
		"a=sent:0000000000000001&b=" + id:      http.StatusNotFound,
		"a=" + id + "&b=answer:00000000000001": http.StatusBadRequest,
		"a=" + id + "&b=" + id + "&ignore=x]":  http.StatusBadRequest,
	} {
		status, _, v := call(t, "GET", c.api+"/captures/compare?"+query, "")
		if msg, _ := field(v, "error").(string); status != want || msg == "" {
			t.Errorf("%s: %d %v, want %d with an error", query, status, v, want)
		}
	}
	// The message names the parameter and what it should hold.
	for query, want := range map[string]string{
		"a=" + id:                    "b: invalid side: missing",
		"a=" + id + "&b=answer:nope": `b: invalid side: "nope" is not an attempt ID`,
		"a=zzz&b=" + id:              `a: invalid side: "zzz" is not a capture ID`,
	} {
		_, _, v := call(t, "GET", c.api+"/captures/compare?"+query, "")
		if msg, _ := field(v, "error").(string); !strings.Contains(msg, want) {
			t.Errorf("%s: error %q, want it to say %q", query, msg, want)
		}
	}
}
