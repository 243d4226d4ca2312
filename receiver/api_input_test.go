package receiver

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"hookscope/store"
)

// A PUT of null answered 200 and wiped the project; a second object after
// the first was dropped without a word. Both are refused and the stored
// project stays as it was.
func TestProjectPUTTakesOneJSONObjectOnly(t *testing.T) {
	base, st := apiServer(t, nil)
	if status, _, v := call(t, "PUT", base+"/projects/shop", shopJSON); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, v)
	}
	before, err := st.Project("shop")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct{ body, want string }{
		"null":                    {`null`, "body must be a JSON object"},
		"a list":                  {`[]`, "body must be a JSON object"},
		"a string":                {`"shop"`, "body must be a JSON object"},
		"empty":                   {``, "body must be a JSON object"},
		"two objects":             {`{"name": "First"} {"name": "Second"}`, "unexpected data after the JSON object"},
		"trailing text":           {`{"name": "First"} and more`, "unexpected data after the JSON object"},
		"trailing null":           {"{\"name\": \"First\"}\nnull", "unexpected data after the JSON object"},
		"unknown field":           {`{"webhook_url": "http://x/"}`, "unknown field"},
		"unknown field in a rule": {`{"rules": [{"name": "r", "stpes": []}]}`, "unknown field"},
		"rules not a list":        {`{"rules": {"name": "r"}}`, "cannot unmarshal"},
		"truncated":               {`{"name": "Fir`, "unexpected EOF"},
	}
	for name, tc := range tests {
		status, _, v := call(t, "PUT", base+"/projects/shop", tc.body)
		if msg, _ := field(v, "error").(string); status != http.StatusBadRequest || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %d %v, want 400 with %q", name, status, v, tc.want)
		}
	}
	after, err := st.Project("shop")
	if err != nil {
		t.Fatal(err)
	}
	if after.Name != before.Name || after.Secret != before.Secret || len(after.Webhooks) != len(before.Webhooks) {
		t.Fatalf("a refused PUT changed the project: %+v", after)
	}
	// White space after the object is not data.
	if status, _, v := call(t, "PUT", base+"/projects/shop", "{\"name\": \"Renamed\", \"webhooks\": []}\n\t \n"); status != http.StatusOK || field(v, "name") != "Renamed" {
		t.Fatalf("object and white space: %d %v", status, v)
	}
}

// A test event's optional body and a replay's body are read by the same
// rules: a second object is refused, and nothing is sent.
func TestTestEventAndReplayTakeOneJSONObjectOnly(t *testing.T) {
	base, st := apiServer(t, nil)
	tg := newTarget(t)
	project := strings.ReplaceAll(shopJSON, "http://127.0.0.1:9", tg.url)
	if status, _, v := call(t, "PUT", base+"/projects/shop", project); status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, v)
	}
	for _, body := range []string{`{"records": 1} {"records": 2}`, `null`, `[1]`} {
		status, _, v := call(t, "POST", base+"/projects/shop/webhooks/ingested/test", body)
		if status != http.StatusBadRequest || field(v, "error") == nil {
			t.Errorf("test event %s: %d %v", body, status, v)
		}
	}

	ra := newReplayAPI(t)
	id := ra.post(t, "/x", nil, "captured")
	replay := ra.api + "/captures/" + id.String() + "/replay"
	tests := map[string]struct{ body, want string }{
		"two objects": {`{"url": "` + tg.url + `/a"} {"url": "` + tg.url + `/b"}`, "unexpected data after the JSON object"},
		"null":        {`null`, "body must be a JSON object"},
	}
	for name, tc := range tests {
		status, _, v := call(t, "POST", replay, tc.body)
		if msg, _ := field(v, "error").(string); status != http.StatusBadRequest || !strings.Contains(msg, tc.want) {
			t.Errorf("replay %s: %d %v, want 400 with %q", name, status, v, tc.want)
		}
	}
	tg.mu.Lock()
	sent := len(tg.got)
	tg.mu.Unlock()
	if sent != 0 {
		t.Errorf("the target got %d requests from refused bodies", sent)
	}
	for _, s := range []*store.Store{st, ra.st} {
		for _, slug := range []string{"shop", store.Unsorted} {
			if d, _ := s.Deliveries(slug, "", 10); len(d) != 0 {
				t.Errorf("refused bodies were recorded as deliveries of %s: %d", slug, len(d))
			}
		}
	}
	// An empty body is still every default.
	if status, _, v := call(t, "POST", base+"/projects/shop/webhooks/ingested/test", "  "); status != http.StatusOK {
		t.Errorf("test event with an empty body: %d %v", status, v)
	}
}

// A webhook's headers may be sent as the object a platform's
// setup_webhook call takes; the answer is the list, in the order written.
func TestWebhookHeadersAsAnObjectOrAList(t *testing.T) {
	base, st := apiServer(t, nil)
	asObject := `{"slug": "shop", "webhooks": [{"action": "ingested", "url": "http://127.0.0.1:9/in", "enabled": true,
		"headers": {"X-Trace": "1", "Authorization": "Bearer from-object", "X-Multi": ["a", "b"]}}]}`
	if status, _, v := call(t, "PUT", base+"/projects/shop", asObject); status != http.StatusCreated {
		t.Fatalf("object form: %d %v", status, v)
	}
	p, err := st.Project("shop")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.HeaderField{{Name: "X-Trace", Value: "1"}, {Name: "Authorization", Value: "Bearer from-object"}, {Name: "X-Multi", Value: "a"}, {Name: "X-Multi", Value: "b"}}
	if got := p.Webhooks[0].Headers; !reflect.DeepEqual(got, want) {
		t.Fatalf("stored headers %v, want %v", got, want)
	}
	_, _, v := call(t, "GET", base+"/projects/shop?reveal=1", "")
	list, _ := field(v, "webhooks").([]any)
	if len(list) != 1 {
		t.Fatalf("answer %v", v)
	}
	if hs, ok := field(list[0], "headers").([]any); !ok || len(hs) != 4 || field(hs[1], "name") != "Authorization" || field(hs[1], "value") != "Bearer from-object" {
		t.Fatalf("answer's headers are not the list: %v", field(list[0], "headers"))
	}

	asList := `{"webhooks": [{"action": "ingested", "url": "http://127.0.0.1:9/in", "enabled": true,
		"headers": [{"name": "Authorization", "value": "Bearer from-list"}]}]}`
	if status, _, v := call(t, "PUT", base+"/projects/shop", asList); status != http.StatusOK {
		t.Fatalf("list form: %d %v", status, v)
	}
	if p, _ := st.Project("shop"); !reflect.DeepEqual(p.Webhooks[0].Headers, []store.HeaderField{{Name: "Authorization", Value: "Bearer from-list"}}) {
		t.Fatalf("stored headers %v", p.Webhooks[0].Headers)
	}

	refused := map[string]string{
		"a number":             `{"webhooks": [{"action": "a", "headers": 42}]}`,
		"a number as value":    `{"webhooks": [{"action": "a", "headers": {"X-A": 1}}]}`,
		"null as value":        `{"webhooks": [{"action": "a", "headers": {"X-A": null}}]}`,
		"unknown field in one": `{"webhooks": [{"action": "a", "headers": [{"name": "X-A", "value": "1", "secret": true}]}]}`,
	}
	for name, body := range refused {
		if status, _, v := call(t, "PUT", base+"/projects/shop", body); status != http.StatusBadRequest || field(v, "error") == nil {
			t.Errorf("%s: %d %v, want 400", name, status, v)
		}
	}
	// A name that is not a token is the store's field error, by index.
	status, _, v := call(t, "PUT", base+"/projects/shop", `{"webhooks": [{"action": "a", "headers": {"X-A": "1", "X Bad": "2"}}]}`)
	if status != http.StatusBadRequest || field(v, "fields", "webhooks[0].headers[1].name") == nil {
		t.Errorf("bad name in the object form: %d %v", status, v)
	}
	if p, _ := st.Project("shop"); p.Webhooks[0].Header("Authorization") != "Bearer from-list" {
		t.Errorf("a refused PUT changed the project: %+v", p.Webhooks)
	}
}

// What net/http would refuse to send is refused up front, with the field
// it is about, instead of a 200 carrying a failed attempt.
func TestReplayRefusesWhatCannotBeSent(t *testing.T) {
	ra := newReplayAPI(t)
	tg := newTarget(t)
	id := ra.post(t, "/x", nil, "captured")
	replay := ra.api + "/captures/" + id.String() + "/replay"
	u := tg.url + "/hook"
	tests := map[string]struct {
		body, field, msg string
	}{
		"CR LF in a value":     {`{"url": "` + u + `", "headers": {"A": "1", "B": "2", "X-Evil": "a\r\nInjected: yes"}}`, "headers[2].value", "line breaks"},
		"LF in a listed value": {`{"url": "` + u + `", "headers": {"X-List": ["ok", "a\nb"]}}`, "headers[0].value", "line breaks"},
		"space in a name":      {`{"url": "` + u + `", "headers": {"X Bad": "1"}}`, "headers[0].name", "not a valid header name"},
		"colon in a name":      {`{"url": "` + u + `", "headers": {"A": "1", "X:Bad": "1"}}`, "headers[1].name", "not a valid header name"},
		"empty name":           {`{"url": "` + u + `", "headers": {"": "1"}}`, "headers[0].name", "not a valid header name"},
		"method with a space":  {`{"url": "` + u + `", "method": "GET /admin"}`, "method", "not an HTTP method"},
		"method with a slash":  {`{"url": "` + u + `", "method": "PO/ST"}`, "method", "not an HTTP method"},
		"port too high":        {`{"url": "http://127.0.0.1:99999/hook"}`, "url", "port must be from 1 to 65535"},
		"port zero":            {`{"url": "http://127.0.0.1:0/hook"}`, "url", "port must be from 1 to 65535"},
	}
	for name, tc := range tests {
		status, _, v := call(t, "POST", replay, tc.body)
		got, _ := field(v, "fields", tc.field).(string)
		msg, _ := field(v, "error").(string)
		if status != http.StatusBadRequest || !strings.Contains(got, tc.msg) || !strings.Contains(msg, tc.field) {
			t.Errorf("%s: %d %v, want 400 with fields.%s saying %q", name, status, v, tc.field, tc.msg)
		}
	}
	tg.mu.Lock()
	sent := len(tg.got)
	tg.mu.Unlock()
	if d, _ := ra.st.Deliveries(store.Unsorted, "", 10); sent != 0 || len(d) != 0 {
		t.Fatalf("refused replays reached the target (%d) or were recorded (%d)", sent, len(d))
	}
	// A custom method and a tab in a value are fine.
	if status, _, v := call(t, "POST", replay, `{"url": "`+u+`", "method": "PROPFIND", "headers": {"X-Tab": "a\tb"}}`); status != http.StatusOK || field(v, "status_code") != 201.0 {
		t.Fatalf("valid replay: %d %v", status, v)
	}
	if r, _ := tg.last(); r.Method != "PROPFIND" || r.Header.Get("X-Tab") != "a\tb" {
		t.Fatalf("target got %s %v", r.Method, r.Header)
	}
}
