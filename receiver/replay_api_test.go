package receiver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/delivery"
	"hookscope/signature"
	"hookscope/store"
	"hookscope/store/storetest"
)

// replayAPI serves the receiver (for captures) and, on a mux of its own,
// the replay routes, as apiHandler will once they are wired in.
type replayAPI struct {
	st      *store.Store
	capture string // base URL of the receiver
	api     string // base URL of the replay API
}

func newReplayAPI(t *testing.T, projects ...store.Project) *replayAPI {
	t.Helper()
	st := storetest.Open(t, store.Options{})
	for _, p := range projects {
		if err := st.PutProject(p); err != nil {
			t.Fatal(err)
		}
	}
	srv := New(st, Options{Delivery: &delivery.Client{Store: st, Timeout: 2 * time.Second}})
	mux := http.NewServeMux()
	srv.localAPI().replayRoutes(mux)
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	recv := httptest.NewServer(srv.Handler())
	t.Cleanup(recv.Close)
	return &replayAPI{st: st, capture: recv.URL, api: api.URL + "/_hookscope/api"}
}

func (ra *replayAPI) post(t *testing.T, path string, header http.Header, body string) store.ID {
	t.Helper()
	req, _ := http.NewRequest("POST", ra.capture+path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get(CaptureIDHeader))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// target records what a replay delivers.
type target struct {
	mu   sync.Mutex
	got  []*http.Request
	body [][]byte
	url  string
}

func newTarget(t *testing.T) *target {
	tg := &target{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		tg.got = append(tg.got, r)
		tg.body = append(tg.body, b)
		tg.mu.Unlock()
		w.Header().Set("X-Target", "yes")
		w.WriteHeader(201)
		fmt.Fprintf(w, "handled %s", r.Method)
	}))
	t.Cleanup(srv.Close)
	tg.url = srv.URL
	return tg
}

func (tg *target) last() (*http.Request, []byte) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.got[len(tg.got)-1], tg.body[len(tg.body)-1]
}

func TestReplayAPI(t *testing.T) {
	const secret = "whsec_api_test"
	ra := newReplayAPI(t, store.Project{Slug: "shop", Name: "Shop", Secret: secret, Scheme: signature.SchemeStripe})
	tg := newTarget(t)
	stale := "t=1700000000,v1=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	body := "{\"order\": 42}\n"
	id := ra.post(t, "/shop/orders/42?x=1", http.Header{"Content-Type": {"application/json"}, "Stripe-Signature": {stale}, "Connection": {"close"}}, body)
	replay := ra.api + "/captures/" + id.String() + "/replay"

	// As captured, path and query kept.
	status, _, v := call(t, "POST", replay, `{"url": "`+tg.url+`/hook", "keep_path": true}`)
	if status != 200 {
		t.Fatalf("replay: %d %v", status, v)
	}
	r, got := tg.last()
	if r.Method != "POST" || r.RequestURI != "/hook/orders/42?x=1" || string(got) != body || r.Header.Get("Stripe-Signature") != stale {
		t.Fatalf("target got %s %s %q %v", r.Method, r.RequestURI, got, r.Header)
	}
	if field(v, "status_code") != 201.0 || field(v, "error") != "" || field(v, "body_base64") != base64.StdEncoding.EncodeToString([]byte("handled POST")) {
		t.Fatalf("answer %v", v)
	}
	if h, _ := field(v, "headers", "X-Target").([]any); len(h) != 1 || h[0] != "yes" {
		t.Errorf("answer headers %v", field(v, "headers"))
	}
	if d, ok := field(v, "duration_ms").(float64); !ok || d <= 0 {
		t.Errorf("duration_ms %v", field(v, "duration_ms"))
	}

	// Edited and re-signed: the target's check passes.
	edited := `{"order": 43}`
	req := fmt.Sprintf(`{"url": %q, "method": "PUT", "headers": {"Content-Type": "application/json", "X-Multi": ["1", "2"], "Stripe-Signature": %q}, "body_base64": %q, "resign": true}`,
		tg.url+"/signed", stale, base64.StdEncoding.EncodeToString([]byte(edited)))
	if status, _, v := call(t, "POST", replay, req); status != 200 || field(v, "status_code") != 201.0 {
		t.Fatalf("edited replay: %d %v", status, v)
	}
	r, got = tg.last()
	if r.Method != "PUT" || string(got) != edited || !reflect.DeepEqual(r.Header.Values("X-Multi"), []string{"1", "2"}) {
		t.Fatalf("target got %s %q %v", r.Method, got, r.Header)
	}
	res := signature.Verify(signature.Request{Method: r.Method, URL: tg.url + r.RequestURI, Header: r.Header, Body: got},
		signature.Config{Scheme: signature.SchemeStripe, Secret: secret}, time.Now())
	if res.Status != signature.Valid {
		t.Fatalf("re-signed replay: %s: %s", res.Status, res.Reason)
	}

	// An unreachable target is an answer with the error, recorded too.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	status, _, v = call(t, "POST", replay, `{"url": "http://`+closed+`/"}`)
	if status != 200 || field(v, "status_code") != 0.0 || !strings.Contains(field(v, "error").(string), "connection refused") {
		t.Fatalf("unreachable: %d %v", status, v)
	}

	// The history, newest first, with the requests as sent.
	status, _, v = call(t, "GET", ra.api+"/captures/"+id.String()+"/replays", "")
	if status != 200 {
		t.Fatalf("replays: %d %v", status, v)
	}
	list, _ := field(v, "replays").([]any)
	if len(list) != 3 {
		t.Fatalf("%d replays listed: %v", len(list), v)
	}
	if field(list[0], "statusCode") != 0.0 || field(list[1], "request", "body") != edited || field(list[1], "request", "method") != "PUT" || field(list[2], "request", "body") != body {
		t.Errorf("history %v", list)
	}
	// Each says whether it was re-signed: only the edited one asked to be.
	if field(list[0], "resigned") != false || field(list[1], "resigned") != true || field(list[2], "resigned") != false {
		t.Errorf("resigned of the history: %v, %v, %v; want false, true, false", field(list[0], "resigned"), field(list[1], "resigned"), field(list[2], "resigned"))
	}
	for _, a := range list {
		if field(a, "action") != delivery.ReplayAction || field(a, "captureId") != id.String() {
			t.Errorf("attempt %v", a)
		}
	}
}

func TestReplayAPIErrors(t *testing.T) {
	ra := newReplayAPI(t)
	id := ra.post(t, "/unsorted", nil, "x")
	replay := ra.api + "/captures/" + id.String() + "/replay"
	tests := []struct {
		name, url, body string
		want            int
		msg             string
	}{
		{"bad id", ra.api + "/captures/xyz/replay", `{"url": "http://127.0.0.1:1/"}`, 400, "16 hex digits"},
		{"unknown capture", ra.api + "/captures/00000000000000ff/replay", `{"url": "http://127.0.0.1:1/"}`, 404, "not found"},
		{"not JSON", replay, `url=x`, 400, "the body must be"},
		{"unknown field", replay, `{"url": "http://127.0.0.1:1/", "sign": true}`, 400, "unknown field"},
		{"no URL and no webhook", replay, `{}`, 400, "no webhook"},
		{"bad URL", replay, `{"url": "localhost:8000/hook"}`, 400, "http://"},
		{"bad base64", replay, `{"url": "http://127.0.0.1:1/", "body_base64": "%%%"}`, 400, "base64"},
		{"bad headers", replay, `{"url": "http://127.0.0.1:1/", "headers": {"X": 1}}`, 400, "headers"},
		{"re-sign without a secret", replay, `{"url": "http://127.0.0.1:1/", "resign": true}`, 400, "re-sign"},
	}
	for _, tc := range tests {
		status, _, v := call(t, "POST", tc.url, tc.body)
		msg, _ := field(v, "error").(string)
		if status != tc.want || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: %d %q, want %d and %q", tc.name, status, msg, tc.want, tc.msg)
		}
	}
	if status, _, _ := call(t, "GET", ra.api+"/captures/00000000000000ff/replays", ""); status != 404 {
		t.Errorf("replays of an unknown capture: %d", status)
	}
	status, _, v := call(t, "GET", ra.api+"/captures/"+id.String()+"/replays", "")
	if list, ok := field(v, "replays").([]any); status != 200 || !ok || len(list) != 0 {
		t.Errorf("no replays yet: %d %v", status, v)
	}
	if a, _ := ra.st.Deliveries(store.Unsorted, "", 10); len(a) != 0 {
		t.Errorf("refused replays were recorded: %d", len(a))
	}
}

func TestReplayAPIEmptyBodyAndHeaderForms(t *testing.T) {
	ra := newReplayAPI(t)
	tg := newTarget(t)
	id := ra.post(t, "/x", http.Header{"X-Orig": {"1"}}, "captured")
	replay := ra.api + "/captures/" + id.String() + "/replay"
	// An empty body_base64 sends no body; headers replace the captured ones.
	if status, _, v := call(t, "POST", replay, `{"url": "`+tg.url+`", "body_base64": "", "headers": {"x-new": "v"}}`); status != 200 {
		t.Fatalf("%d %v", status, v)
	}
	r, got := tg.last()
	if len(got) != 0 || r.Header.Get("X-New") != "v" || r.Header.Get("X-Orig") != "" {
		t.Fatalf("target got %q %v", got, r.Header)
	}
	b, _ := json.Marshal(NewReplayResultJSON(store.Attempt{}))
	if !bytes.Contains(b, []byte(`"headers":{}`)) {
		t.Errorf("a failed attempt's headers are not an object: %s", b)
	}
}
