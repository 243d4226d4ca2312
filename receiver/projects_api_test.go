package receiver

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"hookscope/delivery"
	"hookscope/store"
	"hookscope/store/storetest"
)

// apiServer serves the whole handler over a loopback httptest server.
func apiServer(t *testing.T, now func() time.Time) (string, *store.Store) {
	t.Helper()
	st := storetest.Open(t, store.Options{Now: now})
	srv := New(st, Options{Delivery: &delivery.Client{Store: st, Timeout: 2 * time.Second, Now: now}})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL + "/_hookscope/api", st
}

// call sends a request and decodes a JSON answer into a generic value.
func call(t *testing.T, method, url, body string) (int, http.Header, any) {
	t.Helper()
	status, header, raw := roundTrip(t, newRequest(t, method, url, body))
	var v any
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s %s: not JSON: %v\n%s", method, url, err, raw)
		}
	}
	return status, header, v
}

// asJSON turns a Go value into the generic form call returns.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

func field(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

const shopJSON = `{
  "slug": "shop",
  "name": "Shop",
  "description": "orders from the shop",
  "secret": "s3cret",
  "scheme": "github",
  "response": {"status": 202, "headers": {"X-Test": "1"}, "body": "ok", "delaySeconds": 0.5},
  "forward": true,
  "webhooks": [
    {"action": "ingested", "url": "http://127.0.0.1:9/ingested", "enabled": true,
     "headers": [{"name": "Authorization", "value": "Bearer tok"}]},
    {"action": "modified", "url": "http://127.0.0.1:9/modified", "enabled": false, "headers": []}
  ]
}`

func TestProjectsAPI(t *testing.T) {
	base, _ := apiServer(t, nil)

	status, hdr, v := call(t, "PUT", base+"/projects/shop", shopJSON)
	if status != http.StatusCreated || hdr.Get("Location") != "/_hookscope/api/projects/shop" {
		t.Fatalf("create: %d %v %v", status, hdr, v)
	}
	if field(v, "name") != "Shop" || field(v, "forward") != true || field(v, "response", "status") != 202.0 {
		t.Fatalf("created %v", v)
	}
	if u := field(v.(map[string]any)["webhooks"].([]any)[0], "updatedAt"); u == nil {
		t.Errorf("no updatedAt on a new webhook: %v", v)
	}

	tests := map[string]struct {
		method, path, body string
		wantStatus         int
		wantFields         map[string]any // for 400s
		check              func(t *testing.T, v any)
	}{
		"list": {
			method: "GET", path: "/projects", wantStatus: 200,
			check: func(t *testing.T, v any) {
				ps := field(v, "projects").([]any)
				if len(ps) != 1 || field(ps[0], "slug") != "shop" {
					t.Errorf("%v", v)
				}
			},
		},
		"get": {
			method: "GET", path: "/projects/shop", wantStatus: 200,
			check: func(t *testing.T, v any) {
				if field(v, "secret") != "••••••••" || field(v, "scheme") != "github" || len(field(v, "webhooks").([]any)) != 2 {
					t.Errorf("%v", v)
				}
			},
		},
		"get revealed": {
			method: "GET", path: "/projects/shop?reveal=1", wantStatus: 200,
			check: func(t *testing.T, v any) {
				if field(v, "secret") != "s3cret" {
					t.Errorf("%v", v)
				}
			},
		},
		"get unknown": {method: "GET", path: "/projects/nope", wantStatus: 404},
		"update without a slug in the body": {
			method: "PUT", path: "/projects/shop", body: `{"name": "Shop 2", "webhooks": []}`, wantStatus: 200,
			check: func(t *testing.T, v any) {
				if field(v, "slug") != "shop" || field(v, "name") != "Shop 2" {
					t.Errorf("%v", v)
				}
			},
		},
		"url without http": {
			method: "PUT", path: "/projects/shop", wantStatus: 400,
			body:       `{"slug": "shop", "webhooks": [{"action": "ingested", "url": "http://ok/"}, {"action": "modified", "url": "example.com/hook"}]}`,
			wantFields: map[string]any{"webhooks[1].url": "URL must start with http:// or https://"},
		},
		"bad header and duplicate action": {
			method: "PUT", path: "/projects/shop", wantStatus: 400,
			body: `{"webhooks": [{"action": "a", "headers": [{"name": "ok", "value": ""}, {"name": "X Bad", "value": ""}]}, {"action": "A"}], "response": {"status": 42}}`,
			wantFields: map[string]any{
				"webhooks[0].headers[1].name": "not a valid header name (letters, digits and !#$%&'*+-.^_`|~, no spaces)",
				"webhooks[1].action":          `action "A" is already used by webhooks[0]`,
				"response.status":             "status must be from 200 to 599 (or 0 for the default answer)",
			},
		},
		"slug differs from the path": {
			method: "PUT", path: "/projects/shop", body: `{"slug": "other"}`, wantStatus: 400,
			wantFields: map[string]any{"slug": `the body's slug "other" differs from the path's "shop"`},
		},
		"invalid slug in the path": {
			method: "PUT", path: "/projects/My_Shop", body: `{}`, wantStatus: 400,
			wantFields: map[string]any{"slug": "use lowercase letters, digits and single dashes between them (e.g. my-shop)"},
		},
		"unknown field":        {method: "PUT", path: "/projects/shop", body: `{"webhook_url": "http://x/"}`, wantStatus: 400},
		"not json":             {method: "PUT", path: "/projects/shop", body: `{`, wantStatus: 400},
		"webhook of unknown":   {method: "GET", path: "/projects/nope/webhooks/ingested", wantStatus: 404},
		"unknown webhook":      {method: "GET", path: "/projects/shop/webhooks/nope", wantStatus: 404},
		"deliveries of none":   {method: "GET", path: "/projects/nope/deliveries", wantStatus: 404},
		"deliveries bad limit": {method: "GET", path: "/projects/shop/deliveries?limit=0", wantStatus: 400},
		"test unknown action":  {method: "POST", path: "/projects/shop/webhooks/nope/test", wantStatus: 404},
	}
	// The update case changes the project: run it last.
	order := []string{}
	for name := range tests {
		if name != "update without a slug in the body" {
			order = append(order, name)
		}
	}
	order = append(order, "update without a slug in the body")
	for _, name := range order {
		tc := tests[name]
		t.Run(name, func(t *testing.T) {
			status, _, v := call(t, tc.method, base+tc.path, tc.body)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %v", status, tc.wantStatus, v)
			}
			if status >= 400 {
				if msg, _ := field(v, "error").(string); msg == "" {
					t.Errorf("no error message: %v", v)
				}
			}
			if tc.wantFields != nil && !reflect.DeepEqual(field(v, "fields"), tc.wantFields) {
				t.Errorf("fields %v, want %v", field(v, "fields"), tc.wantFields)
			}
			if tc.check != nil {
				tc.check(t, v)
			}
		})
	}

	if status, _, _ := call(t, "DELETE", base+"/projects/shop", ""); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if status, _, _ := call(t, "GET", base+"/projects/shop", ""); status != http.StatusNotFound {
		t.Fatalf("get after delete: %d", status)
	}
	if status, _, _ := call(t, "DELETE", base+"/projects/shop", ""); status != http.StatusNotFound {
		t.Fatalf("second delete: %d", status)
	}
}

func TestGetWebhookHasTheIsahitShape(t *testing.T) {
	created := time.Date(2024, 12, 17, 15, 23, 21, 433_123_456, time.UTC)
	base, st := apiServer(t, func() time.Time { return created })
	if status, _, v := call(t, "PUT", base+"/projects/shop", shopJSON); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, v)
	}

	// Never called: the log is null. The header is masked unless asked for.
	if _, _, v := call(t, "GET", base+"/projects/shop/webhooks/ingested", ""); field(v, "header") != "••••••••" {
		t.Fatalf("get_webhook without reveal: %v", v)
	}
	_, _, v := call(t, "GET", base+"/projects/shop/webhooks/ingested?reveal=1", "")
	want := map[string]any{
		"header": "Bearer tok", "url": "http://127.0.0.1:9/ingested", "updatedAt": "2024-12-17T15:23:21.433Z",
		"lastCall": nil, "lastError": nil,
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("get_webhook\n%v\nwant\n%v", v, want)
	}

	call1 := time.Date(2024, 12, 17, 15, 10, 37, 619_000_000, time.UTC)
	for _, a := range []store.Attempt{
		{Project: "shop", Action: "ingested", At: call1.Add(-time.Hour), StatusCode: 400, Status: "400 Bad Request", ResponseBody: []byte(`{"error": "docs missing"}`)},
		{Project: "shop", Action: "ingested", At: call1, StatusCode: 200, Status: "200 OK"},
		{Project: "shop", Action: "modified", StatusCode: 500, ResponseBody: []byte("plain text")},
	} {
		if err := st.RecordDelivery(&a); err != nil {
			t.Fatal(err)
		}
	}
	_, _, v = call(t, "GET", base+"/projects/shop/webhooks/ingested?reveal=1", "")
	want = map[string]any{
		"header":    "Bearer tok",
		"url":       "http://127.0.0.1:9/ingested",
		"updatedAt": "2024-12-17T15:23:21.433Z",
		"lastCall":  map[string]any{"statusCode": 200.0, "message": "OK", "date": "2024-12-17T15:10:37.619Z"},
		"lastError": map[string]any{"statusCode": 400.0, "message": "Bad Request", "body": map[string]any{"error": "docs missing"}, "date": "2024-12-17T14:10:37.619Z"},
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("get_webhook\n%v\nwant\n%v", v, want)
	}
	// No Authorization header, a body that is not JSON.
	_, _, v = call(t, "GET", base+"/projects/shop/webhooks/modified", "")
	if field(v, "header") != "" || field(v, "lastError", "body") != "plain text" || field(v, "lastError", "message") != "Internal Server Error" {
		t.Fatalf("modified: %v", v)
	}
}

// A test event through the API, as a user checks a webhook: send one and see
// lastCall; stop the target, send again and see lastError with the reason.
func TestSendTestEventThroughTheAPI(t *testing.T) {
	base, _ := apiServer(t, nil)
	var got [][]byte
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, b)
	}))
	defer target.Close()
	project := strings.ReplaceAll(shopJSON, "http://127.0.0.1:9", target.URL)
	if status, _, v := call(t, "PUT", base+"/projects/shop", project); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, v)
	}

	status, _, v := call(t, "POST", base+"/projects/shop/webhooks/ingested/test", `{"template": "integration", "records": 250}`)
	if status != 200 {
		t.Fatalf("test event: %d %v", status, v)
	}
	attempts := field(v, "attempts").([]any)
	if len(attempts) != 3 || len(got) != 3 {
		t.Fatalf("%d attempts, %d calls received", len(attempts), len(got))
	}
	for _, a := range attempts {
		if field(a, "statusCode") != 200.0 || field(a, "outcome") == "" || !strings.Contains(field(a, "request", "body").(string), `"docs"`) {
			t.Errorf("attempt %v", a)
		}
	}
	if field(v, "webhook", "lastCall", "statusCode") != 200.0 || field(v, "webhook", "lastError") != nil {
		t.Fatalf("webhook after the test %v", field(v, "webhook"))
	}

	// Default template and one record without a body.
	status, _, v = call(t, "POST", base+"/projects/shop/webhooks/ingested/test", "")
	if status != 200 || len(field(v, "attempts").([]any)) != 1 {
		t.Fatalf("default test event: %d %v", status, v)
	}

	// The target goes away.
	addr := target.Listener.Addr().String()
	target.Close()
	status, _, v = call(t, "POST", base+"/projects/shop/webhooks/ingested/test", `{"records": 3}`)
	if status != 200 {
		t.Fatalf("test event to a stopped target: %d %v", status, v)
	}
	attempts = field(v, "attempts").([]any)
	wantMsg := "connection refused by " + addr
	if len(attempts) != 1 || field(attempts[0], "error") != wantMsg || field(attempts[0], "statusCode") != 0.0 {
		t.Fatalf("attempts %v", attempts)
	}
	_, _, wh := call(t, "GET", base+"/projects/shop/webhooks/ingested", "")
	if field(wh, "lastError", "message") != wantMsg || field(wh, "lastError", "statusCode") != 0.0 || field(wh, "lastCall", "statusCode") != 200.0 {
		t.Fatalf("webhook %v", wh)
	}

	// History, newest first, filtered by action.
	_, _, d := call(t, "GET", base+"/projects/shop/deliveries?action=ingested&limit=2", "")
	ds := field(d, "deliveries").([]any)
	if len(ds) != 2 || field(ds[0], "error") != wantMsg || field(ds[1], "statusCode") != 200.0 {
		t.Fatalf("deliveries %v", ds)
	}
	if _, _, d := call(t, "GET", base+"/projects/shop/deliveries?action=modified", ""); len(field(d, "deliveries").([]any)) != 0 {
		t.Fatalf("modified deliveries %v", d)
	}
	_, _, d = call(t, "GET", base+"/projects/shop/deliveries", "")
	if n := len(field(d, "deliveries").([]any)); n != 5 {
		t.Fatalf("%d deliveries, want 5", n)
	}
}

func TestTestEventRefusals(t *testing.T) {
	base, _ := apiServer(t, nil)
	project := strings.Replace(shopJSON, `{"action": "modified", "url": "http://127.0.0.1:9/modified"`, `{"action": "modified", "url": ""`, 1)
	if status, _, v := call(t, "PUT", base+"/projects/shop", project); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, v)
	}
	tests := map[string]struct {
		action, body string
		want         int
	}{
		"unknown template": {"ingested", `{"template": "nope"}`, 400},
		"too many records": {"ingested", `{"records": 1000000}`, 400},
		"not json":         {"ingested", `{"records": "many"}`, 400},
		"unknown field":    {"ingested", `{"count": 3}`, 400},
		"no url":           {"modified", ``, 400},
		"unknown action":   {"nope", ``, 404},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			status, _, v := call(t, "POST", base+"/projects/shop/webhooks/"+tc.action+"/test", tc.body)
			if status != tc.want || field(v, "error") == nil {
				t.Fatalf("%d %v, want %d", status, v, tc.want)
			}
		})
	}
}

func TestAttemptJSON(t *testing.T) {
	a := store.Attempt{
		ID: 0x17b0a0b0c0d0e0f0, Project: "shop", Action: "ingested",
		At:         time.Date(2024, 12, 17, 15, 10, 37, 0, time.UTC),
		Request:    store.SentRequest{Method: "POST", URL: "http://h/", Body: []byte{0xff, 0x00}},
		StatusCode: 201, Status: "201 Created", ResponseBody: []byte(`{"ok":true}`),
		Duration: 12345 * time.Microsecond, CaptureID: 0x17b0a0b0c0d0e0e0,
	}
	got := asJSON(t, NewAttemptJSON(a))
	want := asJSON(t, map[string]any{
		"id": "17b0a0b0c0d0e0f0", "project": "shop", "action": "ingested", "at": "2024-12-17T15:10:37Z",
		"request":    map[string]any{"method": "POST", "url": "http://h/", "headers": map[string]any{}, "bodyBase64": "/wA="},
		"statusCode": 201, "message": "Created", "responseHeaders": map[string]any{}, "responseBody": `{"ok":true}`,
		"responseTruncated": false, "durationMs": 12.345, "captureId": "17b0a0b0c0d0e0e0", "outcome": "201 Created in 12 ms",
		"resigned": false,
	})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("\n%v\nwant\n%v", got, want)
	}
}

// The projects API is loopback-only like the rest of the API.
func TestProjectsAPIRefusesRemoteClients(t *testing.T) {
	st := storetest.Open(t, store.Options{})
	h := New(st, Options{}).Handler()
	req := httptest.NewRequest("GET", "/_hookscope/api/projects", nil)
	req.RemoteAddr = net.JoinHostPort("192.0.2.7", "5555")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("remote client got %d", rec.Code)
	}
}
