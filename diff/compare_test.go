package diff

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// isahitEvent is a task event as Isahit Lab posts it to a batch's webhook
// (https://sdk-docs.isahit.com/, "Webhook usage": workflowId, type,
// taskId, batchId, projectId).
func isahitEvent(typ, taskID string) Message {
	return Message{
		Method: "POST", Path: "/isahit/tasks",
		Header: http.Header{
			"Content-Type":  {"application/json"},
			"Authorization": {"Bearer lab-token"},
			"User-Agent":    {"axios/1.7.2"},
		},
		Body: []byte(`{
    "workflowId": "wf_6752c1f0a8",
    "type": "` + typ + `",
    "taskId": "` + taskID + `",
    "batchId": "b_6752c1f0a9",
    "projectId": "p_6752c1f0aa"
}`),
	}
}

func TestCompareTwoIsahitEventsShowsTheTwoKeysThatDiffer(t *testing.T) {
	a := isahitEvent("annotation", "t_0001")
	b := isahitEvent("review", "t_0002")
	b.Header.Set("Content-Type", "application/json; charset=utf-8")
	r := Compare(a, b, Ignore{})
	want := []BodyChange{
		{Path: "taskId", Change: ChangeChanged, A: json.RawMessage(`"t_0001"`), B: json.RawMessage(`"t_0002"`)},
		{Path: "type", Change: ChangeChanged, A: json.RawMessage(`"annotation"`), B: json.RawMessage(`"review"`)},
	}
	if r.Body.Kind != BodyJSON || !reflect.DeepEqual(r.Body.Changes, want) {
		t.Fatalf("body %s %+v\nwant json %+v", r.Body.Kind, r.Body.Changes, want)
	}
	if r.Same() {
		t.Fatal("Same() for two events that differ")
	}
	for _, f := range r.Request {
		if f.Change != ChangeSame {
			t.Errorf("request line %+v differs", f)
		}
	}
}

func TestCompareRequestLine(t *testing.T) {
	a := Message{Method: "POST", Host: "127.0.0.1:8787", Path: "/hooks/a", RawQuery: "x=1&y=2&y=3&gone=1"}
	b := Message{Method: "PUT", Host: "localhost:3000", Path: "/hooks/a", RawQuery: "y=2&y=4&x=1&new="}
	got := Compare(a, b, Ignore{}).Request
	want := []FieldChange{
		{Name: "method", A: "POST", B: "PUT", Change: ChangeChanged},
		{Name: "host", A: "127.0.0.1:8787", B: "localhost:3000", Change: ChangeChanged},
		{Name: "path", A: "/hooks/a", B: "/hooks/a", Change: ChangeSame},
		{Name: "query.gone", A: "1", Change: ChangeRemoved},
		{Name: "query.new", Change: ChangeAdded},
		{Name: "query.x", A: "1", B: "1", Change: ChangeSame},
		{Name: "query.y", A: "2, 3", B: "2, 4", Change: ChangeChanged},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("request\n%+v\nwant\n%+v", got, want)
	}
}

func TestCompareARequestWithAnAnswer(t *testing.T) {
	req := Message{Method: "POST", Path: "/hooks", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}`)}
	ans := Message{Status: 202, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}`)}
	r := Compare(req, ans, Ignore{})
	want := []FieldChange{
		{Name: "method", A: "POST", Change: ChangeRemoved},
		{Name: "path", A: "/hooks", Change: ChangeRemoved},
		{Name: "status", B: "202", Change: ChangeAdded},
	}
	if !reflect.DeepEqual(r.Request, want) {
		t.Fatalf("request\n%+v\nwant\n%+v", r.Request, want)
	}
	if len(r.Body.Changes) != 0 || r.Headers[0].Change != ChangeSame {
		t.Fatalf("the same body and header differ: %+v %+v", r.Body, r.Headers)
	}
}

func TestCompareAnAnswerWithNone(t *testing.T) {
	got := Compare(Message{Status: 200}, Message{Error: "connection refused"}, Ignore{}).Request
	want := []FieldChange{
		{Name: "status", A: "200", Change: ChangeRemoved},
		{Name: "error", B: "connection refused", Change: ChangeAdded},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("request\n%+v\nwant\n%+v", got, want)
	}
}

func TestCompareHeadersThreeWay(t *testing.T) {
	a := http.Header{"Date": {"Mon, 30 Nov 2026 10:00:00 GMT"}, "X-Only-Left": {"l"}, "x-request-id": {"r1"},
		"Accept": {"*/*"}, "X-Multi": {"1", "2"}}
	b := http.Header{"Date": {"Mon, 30 Nov 2026 10:00:05 GMT"}, "X-Only-Right": {"r"}, "X-Request-Id": {"r2"},
		"Accept": {"*/*"}, "X-Multi": {"1", "2"}}
	r := Compare(Message{Header: a}, Message{Header: b}, Ignore{Headers: []string{"date", " X-REQUEST-ID "}})
	want := []HeaderChange{
		{Name: "Accept", A: []string{"*/*"}, B: []string{"*/*"}, Change: ChangeSame},
		{Name: "X-Multi", A: []string{"1", "2"}, B: []string{"1", "2"}, Change: ChangeSame},
		{Name: "X-Only-Left", A: []string{"l"}, Change: ChangeRemoved},
		{Name: "X-Only-Right", B: []string{"r"}, Change: ChangeAdded},
	}
	if !reflect.DeepEqual(r.Headers, want) {
		t.Fatalf("headers\n%+v\nwant\n%+v", r.Headers, want)
	}
	if r.IgnoredChanges != 2 {
		t.Errorf("IgnoredChanges = %d, want 2 (Date and X-Request-Id)", r.IgnoredChanges)
	}
	// Names match whatever their case: one row, not "only left" and
	// "only right".
	r = Compare(Message{Header: a}, Message{Header: b}, Ignore{})
	if got := r.Headers[len(r.Headers)-1]; got.Change != ChangeChanged || got.A[0] != "r1" || got.B[0] != "r2" {
		t.Errorf("x-request-id against X-Request-Id: %+v", got)
	}
}

func jsonMsg(body string) Message {
	return Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

func TestCompareBody(t *testing.T) {
	raw := func(s string) any { return json.RawMessage(s) }
	tests := map[string]struct {
		a, b    Message
		ignore  Ignore
		kind    string
		want    []BodyChange
		ignored int
		note    string
	}{
		"nested objects": {
			a: jsonMsg(`{"data":{"task":{"id":"t1","tags":["a"]}}}`), b: jsonMsg(`{"data":{"task":{"id":"t1","tags":["a","b"],"done":true}}}`),
			kind: BodyJSON,
			want: []BodyChange{
				{Path: "data.task.done", Change: ChangeAdded, B: raw(`true`)},
				{Path: "data.task.tags.1", Change: ChangeAdded, B: raw(`"b"`)},
			},
		},
		"arrays by index": {
			a: jsonMsg(`[{"id":1},{"id":2},3]`), b: jsonMsg(`[{"id":2},{"id":2}]`), kind: BodyJSON,
			want: []BodyChange{
				{Path: "0.id", Change: ChangeChanged, A: raw(`1`), B: raw(`2`)},
				{Path: "2", Change: ChangeRemoved, A: raw(`3`)},
			},
		},
		"numbers by value": {
			a: jsonMsg(`{"amount":1.0,"n":1e2,"m":7}`), b: jsonMsg(`{"amount":1,"n":100,"m":7.5}`), kind: BodyJSON,
			want: []BodyChange{{Path: "m", Change: ChangeChanged, A: raw(`7`), B: raw(`7.5`)}},
		},
		"keys ignored by name at any depth and by path": {
			a:      jsonMsg(`{"timestamp":1,"data":{"timestamp":2,"taskId":"a","keep":1},"taskId":"x"}`),
			b:      jsonMsg(`{"timestamp":3,"data":{"timestamp":4,"taskId":"b","keep":2},"taskId":"y"}`),
			ignore: Ignore{Keys: []string{"timestamp", "data.taskId"}},
			kind:   BodyJSON,
			want: []BodyChange{
				{Path: "data.keep", Change: ChangeChanged, A: raw(`1`), B: raw(`2`)},
				{Path: "taskId", Change: ChangeChanged, A: raw(`"x"`), B: raw(`"y"`)},
			},
			ignored: 3,
		},
		"an ignored key leaves out all under it": {
			a: jsonMsg(`{"meta":{"a":1,"b":[1]},"v":1}`), b: jsonMsg(`{"meta":{"a":2,"b":[2,3]},"v":1}`),
			ignore: Ignore{Keys: []string{"meta"}}, kind: BodyJSON, want: []BodyChange{}, ignored: 3,
		},
		"invalid JSON falls back to text": {
			a: jsonMsg("{\"a\": 1,\n\"b\": 2}"), b: jsonMsg("{\"a\": 1,\n\"b\": 3,}"), kind: BodyText,
			want: []BodyChange{{Path: "line 2", Change: ChangeChanged, A: `"b": 2}`, B: `"b": 3,}`}},
			note: "right is not valid JSON (invalid character '}' looking for beginning of object key string): compared as text",
		},
		"JSON against text": {
			a: jsonMsg(`{"ok":true}`), b: Message{Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("OK")}, kind: BodyText,
			want: []BodyChange{{Path: "line 1", Change: ChangeChanged, A: `{"ok":true}`, B: "OK"}},
			note: "only the left body is JSON: compared as text",
		},
		"JSON sniffed without a Content-Type": {
			a: Message{Body: []byte(`{"a":1}`)}, b: Message{Body: []byte(`{"a":2}`)}, kind: BodyJSON,
			want: []BodyChange{{Path: "a", Change: ChangeChanged, A: raw(`1`), B: raw(`2`)}},
		},
		"text line runs": {
			a: Message{Body: []byte("one\ntwo\nthree\nfour\n")}, b: Message{Body: []byte("one\n2\nthree\nfour\nfive\n")}, kind: BodyText,
			want: []BodyChange{
				{Path: "line 2", Change: ChangeChanged, A: "two", B: "2"},
				{Path: "line 5", Change: ChangeAdded, B: "five"},
			},
		},
		"binary: first offset and sizes": {
			a: Message{Body: []byte("\x00\x01\x02\x03")}, b: Message{Body: []byte("\x00\x01\xff\x03\x04")}, kind: BodyBinary,
			want: []BodyChange{{Path: "byte 2", Change: ChangeChanged, A: "0203", B: "ff0304"}},
		},
		"binary: one a prefix of the other": {
			a: Message{Body: []byte("\x00\x01")}, b: Message{Body: []byte("\x00\x01\x02")}, kind: BodyBinary,
			want: []BodyChange{{Path: "byte 2", Change: ChangeAdded, B: "02"}},
		},
		"both empty": {kind: BodyEmpty, want: []BodyChange{}},
		"one side empty": {
			a: jsonMsg(""), b: jsonMsg(`{"a":1}`), kind: BodyJSON,
			want: []BodyChange{{Change: ChangeAdded, B: raw(`{"a":1}`)}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := Compare(tc.a, tc.b, tc.ignore)
			if r.Body.Kind != tc.kind || !reflect.DeepEqual(r.Body.Changes, tc.want) {
				t.Fatalf("body %s %#v\nwant %s %#v", r.Body.Kind, r.Body.Changes, tc.kind, tc.want)
			}
			if r.IgnoredChanges != tc.ignored || r.Body.Note != tc.note {
				t.Errorf("ignored %d note %q, want %d %q", r.IgnoredChanges, r.Body.Note, tc.ignored, tc.note)
			}
		})
	}
}

func TestCompareBinaryReportsSizes(t *testing.T) {
	r := Compare(Message{Body: []byte("\x89PNG\x00\x00")}, Message{Body: []byte("\x89PNG\x00\x01\x02")}, Ignore{})
	if r.Body.Binary == nil || *r.Body.Binary != (Binary{LeftSize: 6, RightSize: 7, FirstDiff: 5}) {
		t.Fatalf("binary %+v", r.Body.Binary)
	}
}

func TestReportJSON(t *testing.T) {
	r := Compare(isahitEvent("annotation", "t_1"), isahitEvent("review", "t_1"), Ignore{})
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"body":{"kind":"json","changes":[{"path":"type","change":"changed","a":"annotation","b":"review"}]}`) {
		t.Fatalf("JSON %s", out)
	}
}

func TestReportText(t *testing.T) {
	a, b := isahitEvent("annotation", "t_1"), isahitEvent("review", "t_1")
	a.Header.Set("X-Request-Id", "r1")
	b.Header.Set("X-Request-Id", "r2")
	b.Path = "/isahit/other"
	got := Compare(a, b, Ignore{Keys: []string{"taskId"}}).Text()
	want := `request
- path: /isahit/tasks
+ path: /isahit/other
headers
- X-Request-Id: r1
+ X-Request-Id: r2
body (json)
- type: "annotation"
+ type: "review"
`
	if got != want {
		t.Fatalf("text\n%s\nwant\n%s", got, want)
	}
	got = Compare(Message{Body: []byte("a\nb\nc")}, Message{Body: []byte("a\nB\nC\nd")}, Ignore{}).Text()
	want = "body (text)\n@ line 2\n- b\n- c\n+ B\n+ C\n+ d\n"
	if got != want {
		t.Fatalf("text\n%s\nwant\n%s", got, want)
	}
	a2 := isahitEvent("review", "t_1")
	if got := Compare(a2, a2, Ignore{}).Text(); got != "no differences\n" {
		t.Fatalf("text of the same %q", got)
	}
}

// FuzzCompare compares arbitrary bodies and queries: no panic, and a
// message compared with itself is the same.
func FuzzCompare(f *testing.F) {
	f.Add("application/json", `{"a":[1,2.0,{"b":null}]}`, `{"a":[1,2]}`, "x=1")
	f.Add("text/plain", "one\ntwo\n", "one\n2\n", "%zz&a=b")
	f.Add("", "\x00\x01", "\x00", "")
	f.Add("application/json", `{"n":1e999999999}`, `{"n":-0.0e-5}`, "")
	f.Fuzz(func(t *testing.T, ct, a, b, q string) {
		h := http.Header{"Content-Type": {ct}, "X-A": {a}}
		ma := Message{Method: "POST", Path: "/p", RawQuery: q, Header: h, Body: []byte(a)}
		mb := Message{Status: 200, Header: http.Header{"Content-Type": {ct}}, Body: []byte(b)}
		ig := Ignore{Keys: []string{"a", "a.0"}, Headers: []string{"x-a"}}
		r := Compare(ma, mb, ig)
		_ = r.Text()
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("report does not marshal: %v", err)
		}
		if self := Compare(ma, ma, ig); !self.Same() {
			t.Fatalf("a message differs from itself: %s", self.Text())
		}
	})
}

func TestValidKeyPath(t *testing.T) {
	for _, p := range []string{"timestamp", "data.taskId", "items.0.id", `h["x.y"]`, `["a.b"].c`, `[""]`, `a["x"]["y"]`, "with space"} {
		if err := ValidKeyPath(p); err != nil {
			t.Errorf("ValidKeyPath(%q) = %v", p, err)
		}
	}
	for p, want := range map[string]string{
		"":        "empty key path",
		"a..b":    "at character 3: empty key between dots",
		".a":      "at character 1: empty key between dots",
		"a.":      "at character 2: a dot must be followed by a key",
		`a.["x"]`: "at character 2: a dot must be followed by a key",
		`a["x"`:   `at character 2: a bracket must hold a quoted key, as in ["x.y"]`,
		`a[x]`:    `at character 2: a bracket must hold a quoted key, as in ["x.y"]`,
		`a]`:      `at character 1: "]" outside brackets`,
		`["x"]y`:  "at character 6: a dot or a bracket must follow a quoted key",
	} {
		if err := ValidKeyPath(p); err == nil || err.Error() != want {
			t.Errorf("ValidKeyPath(%q) = %v, want %q", p, err, want)
		}
	}
}
