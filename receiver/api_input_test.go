package receiver

import (
	"net/http"
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
		"null":          {`null`, "body must be a JSON object"},
		"a list":        {`[]`, "body must be a JSON object"},
		"a string":      {`"shop"`, "body must be a JSON object"},
		"empty":         {``, "body must be a JSON object"},
		"two objects":   {`{"name": "First"} {"name": "Second"}`, "unexpected data after the JSON object"},
		"trailing text": {`{"name": "First"} and more`, "unexpected data after the JSON object"},
		"trailing null": {"{\"name\": \"First\"}\nnull", "unexpected data after the JSON object"},
		"unknown field": {`{"webhook_url": "http://x/"}`, "unknown field"},
		"truncated":     {`{"name": "Fir`, "unexpected EOF"},
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
