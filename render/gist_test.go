package render

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"
)

func TestGistTellsEventsOfOnePathApart(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	jsonType := http.Header{"Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name   string
		body   []byte
		header http.Header
		want   string
	}{
		{"Isahit task", []byte(`{"workflowId":"wf-5f2a","type":"review","taskId":"task-002"}`), jsonType, "type: review, workflowId: wf-5f2a, task…"},
		{"Stripe event", []byte(`{"id":"evt_1","object":"event","type":"invoice.paid","data":{"id":"in_1"}}`), jsonType, "type: invoice.paid, id: evt_1, object: …"},
		{"GitHub", []byte(`{"action":"opened","number":7,"id":99}`), nil, "action: opened, id: 99, number: 7"},
		{"identifying keys first", []byte(`{"n":2,"id":1,"action":"a","event_type":"e","event":"v","type":"t"}`), jsonType, "type: t, event: v, event_type: e, actio…"},
		{"names ending in id next", []byte(`{"status":"done","batchId":"b-7","order_id":9}`), jsonType, "batchId: b-7, order_id: 9, status: done"},
		{"nested values are not named", []byte(`{"type":{"a":1},"id":"x"}`), jsonType, "id: x"},
		{"no identifying key", []byte("{\n  \"workflowId\": \"wf-5f2a\",\n  \"taskId\": \"task-002\"\n}"), jsonType, "workflowId: wf-5f2a, taskId: task-002"},
		{"text", []byte("event=push\n\n  and a long line of text after it"), http.Header{"Content-Type": {"text/plain"}}, "event=push and a long line of text afte…"},
		{"form", []byte("a=1&b=2"), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "a=1&b=2"},
		{"gzip", gz(`{"event":"push"}`), http.Header{"Content-Encoding": {"gzip"}}, "event: push"},
		{"empty", nil, nil, "empty body"},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe}, nil, "binary"},
		{"a line break in a value", []byte(`{"type":"a\nb"}`), jsonType, "type: a b"},
		{"array", []byte(`[{"type":"a"}]`), jsonType, `[{"type":"a"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Gist(tc.body, tc.header, 40); got != tc.want {
				t.Errorf("Gist = %q, want %q", got, tc.want)
			}
		})
	}
	long := `{"type":"` + strings.Repeat("é", 100) + `"}`
	if got := Gist([]byte(long), jsonType, 20); got != "type: "+strings.Repeat("é", 13)+"…" {
		t.Errorf("a long value is cut to %q", got)
	}
}
