package export

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hookscope/export/hartest"
	"hookscope/store"
)

const testBase = "http://127.0.0.1:8787"

// validateHAR checks doc against the public HAR 1.2 schema and what the
// schema leaves out — log.version 1.2, Hookscope as the creator, and send,
// wait and receive not negative (HAR 1.2 allows -1 only in the optional
// timings) — and returns the entries.
func validateHAR(t *testing.T, doc []byte) []map[string]any {
	t.Helper()
	hartest.Validate(t, doc)
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name string }
			Entries []map[string]any
		}
	}
	if err := json.Unmarshal(doc, &har); err != nil {
		t.Fatalf("HAR is not JSON: %v\n%s", err, doc)
	}
	if har.Log.Version != "1.2" || har.Log.Creator.Name != "Hookscope" {
		t.Errorf("log.version %q, log.creator.name %q; want 1.2 and Hookscope", har.Log.Version, har.Log.Creator.Name)
	}
	for i, e := range har.Log.Entries {
		tm, _ := e["timings"].(map[string]any)
		for _, k := range []string{"send", "wait", "receive"} {
			if v, _ := tm[k].(float64); v < 0 {
				t.Errorf("log.entries[%d].timings.%s = %v: HAR forbids -1 here", i, k, v)
			}
		}
	}
	return har.Log.Entries
}

// putAll stores the fixtures in time order, as the receiver would have, and
// returns them as the store gives them back, with the names in that order.
func putAll(t *testing.T, st *store.Store, fx map[string]*store.Capture) ([]string, []*store.Capture) {
	t.Helper()
	names := make([]string, 0, len(fx))
	for name := range fx {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return fx[a].ReceivedAt.Compare(fx[b].ReceivedAt) })
	var out []*store.Capture
	for _, name := range names {
		if err := st.Put(fx[name]); err != nil {
			t.Fatal(err)
		}
		c, err := st.Get(fx[name].ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return names, out
}

func pairs(v any) [][2]string {
	var out [][2]string
	a, _ := v.([]any)
	for _, x := range a {
		m := x.(map[string]any)
		val, _ := m["value"].(string)
		out = append(out, [2]string{m["name"].(string), val})
	}
	return out
}

func TestHARRoundTripThroughTheStore(t *testing.T) {
	src := openStore(t)
	names, originals := putAll(t, src, fixtures())

	var buf bytes.Buffer
	if err := WriteHAR(&buf, originals, testBase); err != nil {
		t.Fatal(err)
	}
	entries := validateHAR(t, buf.Bytes())
	if len(entries) != len(originals) {
		t.Fatalf("%d entries for %d captures", len(entries), len(originals))
	}
	byName := map[string]map[string]any{}
	for i, name := range names {
		byName[name] = entries[i]
	}

	// What the HAR says, checked where HAR viewers look.
	checks := map[string]func(t *testing.T, e map[string]any, c *store.Capture){
		"json": func(t *testing.T, e map[string]any, c *store.Capture) {
			rq := e["request"].(map[string]any)
			if rq["url"] != testBase+c.Path+"?"+c.RawQuery {
				t.Errorf("url = %v", rq["url"])
			}
			wantQ := [][2]string{{"a", "1"}, {"a", "2"}, {"b", " x y"}, {"flag", ""}}
			if got := pairs(rq["queryString"]); !reflect.DeepEqual(got, wantQ) {
				t.Errorf("queryString = %v, want %v", got, wantQ)
			}
			var traces []string
			for _, p := range pairs(rq["headers"]) {
				if p[0] == "X-Trace" {
					traces = append(traces, p[1])
				}
			}
			if !reflect.DeepEqual(traces, []string{"one", "two", "three"}) {
				t.Errorf("X-Trace headers = %v", traces)
			}
			if got := pairs(rq["cookies"]); !reflect.DeepEqual(got, [][2]string{{"a", "1"}, {"b", "2"}}) {
				t.Errorf("cookies = %v", got)
			}
			pd := rq["postData"].(map[string]any)
			if pd["text"] != string(c.Body) || pd["encoding"] != nil || pd["mimeType"] != "application/json; charset=utf-8" {
				t.Errorf("postData = %v", pd)
			}
			if e["_project"] != "stripe" || e["_id"] != c.ID.String() || e["_remoteAddress"] != "127.0.0.1:50123" {
				t.Errorf("custom fields: _project %v _id %v _remoteAddress %v", e["_project"], e["_id"], e["_remoteAddress"])
			}
			if !strings.Contains(e["startedDateTime"].(string), ".535897932") {
				t.Errorf("startedDateTime %v lost precision", e["startedDateTime"])
			}
		},
		"form with repeated keys": func(t *testing.T, e map[string]any, c *store.Capture) {
			pd := e["request"].(map[string]any)["postData"].(map[string]any)
			want := [][2]string{{"tag", "a"}, {"tag", "b"}, {"name", "Jörg M"}, {"empty", ""}}
			if got := pairs(pd["params"]); !reflect.DeepEqual(got, want) {
				t.Errorf("params = %v, want %v", got, want)
			}
			rs := e["response"].(map[string]any)
			if rs["redirectURL"] != "/done" || rs["statusText"] != "Found" {
				t.Errorf("redirectURL %v statusText %v", rs["redirectURL"], rs["statusText"])
			}
			if got := pairs(rs["cookies"]); !reflect.DeepEqual(got, [][2]string{{"s", "1"}, {"t", "2"}}) {
				t.Errorf("response cookies = %v", got)
			}
		},
		"binary": func(t *testing.T, e map[string]any, c *store.Capture) {
			pd := e["request"].(map[string]any)["postData"].(map[string]any)
			if pd["encoding"] != "base64" || pd["text"] != base64.StdEncoding.EncodeToString(c.Body) {
				t.Errorf("binary postData = %v", pd)
			}
			ct := e["response"].(map[string]any)["content"].(map[string]any)
			if ct["encoding"] != "base64" || ct["size"] != float64(5) {
				t.Errorf("binary content = %v", ct)
			}
			if rq := e["request"].(map[string]any); rq["url"] != testBase+"/blob" {
				t.Errorf("url = %v", rq["url"])
			}
		},
		"truncated": func(t *testing.T, e map[string]any, c *store.Capture) {
			if e["_truncated"] != true {
				t.Errorf("_truncated = %v", e["_truncated"])
			}
			if bs := e["request"].(map[string]any)["bodySize"]; bs != float64(len(c.Body)) {
				t.Errorf("bodySize = %v", bs)
			}
		},
		"multipart": func(t *testing.T, e map[string]any, c *store.Capture) {
			pd := e["request"].(map[string]any)["postData"].(map[string]any)
			params := pd["params"].([]any)
			if len(params) != 2 {
				t.Fatalf("params = %v", params)
			}
			f, file := params[0].(map[string]any), params[1].(map[string]any)
			if f["name"] != "field" || f["value"] != "value one" || file["name"] != "file" || file["fileName"] != "a.bin" || file["contentType"] != "application/octet-stream" {
				t.Errorf("params = %v", params)
			}
		},
		"empty GET": func(t *testing.T, e map[string]any, c *store.Capture) {
			rq := e["request"].(map[string]any)
			if _, ok := rq["postData"]; ok {
				t.Errorf("GET without a body has postData %v", rq["postData"])
			}
			if rq["bodySize"] != float64(0) {
				t.Errorf("bodySize = %v", rq["bodySize"])
			}
		},
	}
	for i, name := range names {
		t.Run("har/"+name, func(t *testing.T) {
			check, ok := checks[name]
			if !ok {
				t.Fatalf("no check for fixture %q", name)
			}
			check(t, byName[name], originals[i])
		})
	}

	// Back in: ReadHAR, a fresh store, and every field as it was.
	back, err := ReadHAR(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(originals) {
		t.Fatalf("ReadHAR gave %d captures, want %d", len(back), len(originals))
	}
	dst := openStore(t)
	for i, c := range back {
		if c.ID != 0 {
			t.Errorf("%s: ReadHAR set ID %s; Put must issue it", names[i], c.ID)
		}
		if err := dst.Put(c); err != nil {
			t.Fatal(err)
		}
		got, err := dst.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameCapture(t, names[i], got, originals[i])
	}
}

func TestHARStreamsAnEmptySelection(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHAR(&buf, nil, testBase); err != nil {
		t.Fatal(err)
	}
	if entries := validateHAR(t, buf.Bytes()); len(entries) != 0 {
		t.Errorf("entries = %v", entries)
	}
	if !strings.Contains(buf.String(), `"entries": []`) {
		t.Errorf("entries should be an empty array:\n%s", buf.String())
	}
}

// chromeHAR is shaped like a Chrome DevTools export of an HTTP/2 request
// (pseudo-headers, lower-case names, Chrome's own underscore fields) and a
// Firefox one of an HTTP/1.1 form given only as params, with fields Hookscope
// never writes and some it does left out.
const chromeHAR = `{
  "log": {
    "version": "1.2",
    "creator": {"name": "WebInspector", "version": "537.36"},
    "pages": [{"startedDateTime": "2024-05-01T10:00:00.000Z", "id": "page_1", "title": "x", "pageTimings": {}}],
    "entries": [
      {
        "_initiator": {"type": "script"},
        "_priority": "High",
        "_resourceType": "fetch",
        "cache": {},
        "connection": "443",
        "pageref": "page_1",
        "request": {
          "method": "POST",
          "url": "https://api.example.com/v1/hooks/a%20b?x=1&x=2&y=%2F",
          "httpVersion": "http/2.0",
          "headers": [
            {"name": ":authority", "value": "api.example.com"},
            {"name": ":method", "value": "POST"},
            {"name": ":path", "value": "/v1/hooks/a%20b?x=1&x=2&y=%2F"},
            {"name": ":scheme", "value": "https"},
            {"name": "content-type", "value": "application/json"},
            {"name": "x-multi", "value": "1"},
            {"name": "x-multi", "value": "2"}
          ],
          "queryString": [{"name": "x", "value": "1"}, {"name": "x", "value": "2"}, {"name": "y", "value": "/"}],
          "cookies": [],
          "headersSize": -1,
          "bodySize": 11,
          "postData": {"mimeType": "application/json", "text": "{\"a\":\"b\"}\n "}
        },
        "response": {
          "status": 201,
          "statusText": "",
          "httpVersion": "http/2.0",
          "headers": [{"name": "content-type", "value": "image/png"}],
          "cookies": [],
          "content": {"size": 4, "mimeType": "image/png", "text": "iVBORw==", "encoding": "base64"},
          "redirectURL": "",
          "headersSize": -1,
          "bodySize": -1,
          "_transferSize": 120,
          "_error": null
        },
        "serverIPAddress": "93.184.216.34",
        "startedDateTime": "2024-05-01T10:00:00.123Z",
        "time": 84.2,
        "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1, "wait": 80, "receive": 2.9, "_blocked_queueing": 0.5}
      },
      {
        "startedDateTime": "2024-05-01T12:00:01.5+02:00",
        "request": {
          "method": "POST",
          "url": "http://localhost:3000/form",
          "httpVersion": "HTTP/1.1",
          "headers": [{"name": "Host", "value": "localhost:3000"}, {"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
          "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [{"name": "a", "value": "1 2"}, {"name": "a", "value": "&"}]}
        },
        "response": {"status": 204, "headers": [], "content": {"size": 0, "mimeType": ""}}
      }
    ]
  }
}`

func TestImportChromeAndFirefoxHAR(t *testing.T) {
	caps, err := ReadHAR(strings.NewReader(chromeHAR))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	r, err := Import(st, caps)
	if err != nil || r.Stored != 2 {
		t.Fatalf("Import = %+v, %v", r, err)
	}
	tests := map[string]struct {
		idx  int
		want *store.Capture
	}{
		"chrome h2 json": {0, &store.Capture{
			ReceivedAt: time.Date(2024, 5, 1, 10, 0, 0, 123_000_000, time.UTC),
			Method:     "POST", Path: "/v1/hooks/a%20b", RawQuery: "x=1&x=2&y=%2F", Proto: "HTTP/2.0", Host: "api.example.com",
			Header:   http.Header{"Content-Type": {"application/json"}, "X-Multi": {"1", "2"}},
			Body:     []byte("{\"a\":\"b\"}\n "),
			Response: store.Response{Status: 201, Header: http.Header{"Content-Type": {"image/png"}}, Body: []byte{0x89, 'P', 'N', 'G'}},
		}},
		"firefox form given as params": {1, &store.Capture{
			ReceivedAt: time.Date(2024, 5, 1, 10, 0, 1, 500_000_000, time.UTC),
			Method:     "POST", Path: "/form", Proto: "HTTP/1.1", Host: "localhost:3000",
			Header:   http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:     []byte("a=1+2&a=%26"),
			Response: store.Response{Status: 204},
		}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if caps[tt.idx].ID == 0 {
				t.Fatal("Import did not set the ID")
			}
			got, err := st.Get(caps[tt.idx].ID)
			if err != nil {
				t.Fatal(err)
			}
			sameCapture(t, name, got, tt.want)
		})
	}
}

func TestReadHARErrorsNameEntryAndField(t *testing.T) {
	entry := func(s string) string { return `{"log":{"entries":[` + s + `]}}` }
	ok := `{"startedDateTime":"2024-01-01T00:00:00Z","request":{"method":"GET","url":"http://h/"}}`
	tests := map[string]struct {
		doc  string
		want []string
	}{
		"missing method":      {entry(ok + `,{"request":{"url":"http://h/"}}`), []string{"entry 1", "request.method"}},
		"missing request":     {entry(`{"startedDateTime":"2024-01-01T00:00:00Z"}`), []string{"entry 0", "request"}},
		"missing url":         {entry(`{"request":{"method":"GET"}}`), []string{"entry 0", "request.url"}},
		"bad url":             {entry(`{"request":{"method":"GET","url":"http://h/%zz"}}`), []string{"entry 0", "request.url"}},
		"bad base64":          {entry(ok + "," + ok + `,{"request":{"method":"POST","url":"http://h/","postData":{"mimeType":"","text":"!!","encoding":"base64"}}}`), []string{"entry 2", "request.postData.text", "base64"}},
		"bad response base64": {entry(`{"request":{"method":"GET","url":"http://h/"},"response":{"status":200,"content":{"text":"%%","encoding":"base64"}}}`), []string{"entry 0", "response.content.text"}},
		"bad time":            {entry(`{"startedDateTime":"yesterday","request":{"method":"GET","url":"http://h/"}}`), []string{"entry 0", "startedDateTime", "yesterday"}},
		"wrong type":          {entry(`{"request":{"method":"GET","url":"http://h/"},"response":{"status":"200"}}`), []string{"entry 0", "response.status"}},
		"wrong header type":   {entry(ok + `,{"request":{"method":"GET","url":"http://h/","headers":[{"name":1}]}}`), []string{"entry 1", "request.headers"}},
		"no log":              {`{"entries":[]}`, []string{`no "log"`}},
		"not JSON":            {`<html>`, []string{"har:"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadHAR(strings.NewReader(tt.doc))
			errorNames(t, err, tt.want)
		})
	}
}

// A chunked capture's HAR lists Transfer-Encoding among the request headers
// as it was received, carries the trailers in _trailers, and reads back into
// the same framing.
func TestHARKeepsChunkedFraming(t *testing.T) {
	st := openStore(t)
	_, caps := putAll(t, st, map[string]*store.Capture{"chunked": chunkedCapture()})
	c := caps[0]
	var buf bytes.Buffer
	if err := WriteHAR(&buf, caps, ""); err != nil {
		t.Fatal(err)
	}
	rq := validateHAR(t, buf.Bytes())[0]["request"].(map[string]any)
	headers := pairs(rq["headers"])
	if !slices.Contains(headers, [2]string{"Transfer-Encoding", "chunked"}) || !slices.Contains(headers, [2]string{"Trailer", "X-Checksum"}) {
		t.Errorf("headers %v lack the framing", headers)
	}
	wantTrailers := [][2]string{{"X-Checksum", "sha256=abc"}, {"X-Late", "1"}, {"X-Late", "2"}}
	if got := pairs(rq["_trailers"]); !reflect.DeepEqual(got, wantTrailers) {
		t.Errorf("_trailers %v, want %v", got, wantTrailers)
	}
	back, err := ReadHAR(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sameCapture(t, "chunked", back[0], c)
	if !reflect.DeepEqual(back[0].TransferEncoding, c.TransferEncoding) || !reflect.DeepEqual(back[0].Trailer, c.Trailer) {
		t.Errorf("read back transfer encoding %q trailer %v, want %q %v", back[0].TransferEncoding, back[0].Trailer, c.TransferEncoding, c.Trailer)
	}
}
