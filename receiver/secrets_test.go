package receiver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestMaskSecret(t *testing.T) {
	tests := map[string]string{
		"":                 "",
		"s3cret":           "••••••••",
		"fifteen-chars-x":  "••••••••",
		"sixteen-chars-xy": "••••••••s-xy",
		"whsec_0123456789abcdefghijklmnopqrs3f9a":    "••••••••3f9a", // 39: the prefix would make 10 > 9
		"whsec_0123456789abcdefghijklmnopqrst3f9a":   "whsec_••••••••3f9a",
		"a_very_long_prefix_before_the_secret":       "a_••••••••cret",
		"averylongprefix_before_the_secret":          "••••••••cret",
		"ключ_секрета_очень_длинный_и_надёжный_1234": "ключ_••••••••1234",
	}
	for in, want := range tests {
		got := maskSecret(in)
		if got != want {
			t.Errorf("maskSecret(%q) = %q, want %q", in, got, want)
		}
		shown := utf8.RuneCountInString(strings.ReplaceAll(got, "•", ""))
		if shown > utf8.RuneCountInString(in)/4 {
			t.Errorf("maskSecret(%q) shows %d characters, more than a quarter", in, shown)
		}
	}
}

// The project's secrets are in no answer of the API unless ?reveal=1 asks
// for them: not in the projects, the get_webhook header, test results,
// deliveries, replays and their targets' echoes. Captures are the sender's
// data and stay as received.
func TestProjectSecretsAreInNoAnswerUnlessRevealed(t *testing.T) {
	const (
		previous   = "whsec_previous0123456789abcdefghijklmn0001"
		secret     = "whsec_current0123456789abcdefghijklmno3f9a"
		authValue  = "Bearer tok_live_ABCDEFGHIJKLMNOPQRSTUV1234"
		tenant     = "tenant-secret-value-000042"
		senderAuth = "Bearer the-sender-own-token-5678"
	)
	base, _ := apiServer(t, nil)
	receiverURL := strings.TrimSuffix(base, "/_hookscope/api")
	// The target echoes what it got, as a debugging endpoint would.
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
		w.Header().Set("X-Echo-Custom", r.Header.Get("X-Custom"))
		status := http.StatusAccepted
		if r.URL.Path == "/in" {
			status = http.StatusUnauthorized // logged as the webhook's lastError, body and all
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"got": r.Header.Get("Authorization"), "custom": r.Header.Get("X-Custom")})
	}))
	t.Cleanup(target.Close)
	project := func(secret string) string {
		return `{"slug": "shop", "secret": "` + secret + `", "scheme": "github", "webhooks": [
			{"action": "ingested", "url": "` + target.URL + `/in", "enabled": true,
			 "headers": {"Authorization": "` + authValue + `", "X-Tenant": "` + tenant + `", "Content-Type": "application/json"}}]}`
	}
	if status, body := raw(t, "PUT", base+"/projects/shop", project(previous)); status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	answers := map[string]string{}
	keep := func(name string, wantStatus int, status int, body string) {
		t.Helper()
		if status != wantStatus {
			t.Fatalf("%s: %d %s", name, status, body)
		}
		answers[name] = body
	}
	status, body := raw(t, "PUT", base+"/projects/shop", project(secret))
	keep("PUT", http.StatusOK, status, body)
	status, body = raw(t, "POST", base+"/projects/shop/webhooks/ingested/test", "")
	keep("test event", http.StatusOK, status, body)

	req, _ := http.NewRequest("POST", receiverURL+"/shop/ingested", strings.NewReader(`{"id": 1}`))
	req.Header.Set("Authorization", senderAuth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get(CaptureIDHeader)
	// A replay to the webhook (its headers added), and one whose own header
	// holds the secret.
	status, body = raw(t, "POST", base+"/captures/"+id+"/replay", `{}`)
	keep("replay to the webhook", http.StatusOK, status, body)
	status, body = raw(t, "POST", base+"/captures/"+id+"/replay", `{"url": "`+target.URL+`/x", "headers": {"X-Custom": "key=`+secret+`;"}}`)
	keep("replay with the secret in a header", http.StatusOK, status, body)
	status, body = raw(t, "POST", base+"/captures/"+id+"/replay", `{"url": "`+target.URL+`/as-captured"}`)
	keep("replay as captured", http.StatusOK, status, body)

	for _, path := range []string{"/projects", "/projects/shop", "/projects/shop/webhooks/ingested", "/projects/shop/deliveries", "/captures/" + id + "/replays"} {
		status, body := raw(t, "GET", base+path, "")
		keep("GET "+path, http.StatusOK, status, body)
	}
	for name, body := range answers {
		// What a target answered a replay is in base64.
		var v struct {
			Body []byte `json:"body_base64"`
		}
		json.Unmarshal([]byte(body), &v)
		body += string(v.Body)
		for _, s := range []string{previous, secret, authValue, tenant, "tok_live_ABCDEFGHIJKLMNOPQRSTUV1234", senderAuth} {
			if strings.Contains(body, s) {
				t.Errorf("%s answers %q in clear:\n%s", name, s, body)
			}
		}
	}
	if !strings.Contains(answers["GET /projects/shop"], "whsec_••••••••3f9a") {
		t.Errorf("the masked secret is not recognisable:\n%s", answers["GET /projects/shop"])
	}
	if !strings.Contains(answers["GET /projects/shop"], `"application/json"`) {
		t.Errorf("a header that is no secret was masked:\n%s", answers["GET /projects/shop"])
	}

	// The capture is the sender's own data, as received.
	if _, body := raw(t, "GET", base+"/captures/"+id, ""); !strings.Contains(body, senderAuth) {
		t.Errorf("the capture's own Authorization is not as received:\n%s", body)
	}
	// Asked for, the secrets are there; but the history stores credential
	// headers masked (store.Options.KeepCredentialsInHistory), so no reveal
	// brings back the Authorization values an attempt sent.
	revealed := map[string][]string{
		"/projects":                        {secret, previous, authValue, tenant},
		"/projects/shop":                   {secret, previous, authValue, tenant},
		"/projects/shop/webhooks/ingested": {authValue},
		"/projects/shop/deliveries":        {tenant},
		"/captures/" + id + "/replays":     {secret},
	}
	for path, want := range revealed {
		status, body := raw(t, "GET", base+path+"?reveal=1", "")
		for _, s := range want {
			if status != http.StatusOK || !strings.Contains(body, s) {
				t.Errorf("GET %s?reveal=1: %d, %q missing:\n%s", path, status, s, body)
			}
		}
	}
}

// GET, edit, PUT: the masked values sent back keep the stored secrets, a
// changed secret is saved, and a mask that stands for no stored value is
// refused rather than saved over the secret.
func TestMaskedRoundTripKeepsTheSecrets(t *testing.T) {
	const secret = "whsec_roundtrip0123456789abcdefghijklmn3f9a"
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	base, st := apiServer(t, func() time.Time { clock = clock.Add(time.Minute); return clock })
	create := `{"slug": "shop", "secret": "` + secret + `", "scheme": "github", "webhooks": [
		{"action": "ingested", "url": "http://127.0.0.1:9/in", "enabled": true,
		 "headers": [{"name": "Authorization", "value": "Bearer first-token-abcdefgh"}, {"name": "Authorization", "value": "Bearer second-token-ijklmnop"},
		             {"name": "X-Key", "value": "one"}, {"name": "X-Key", "value": "two"}]}]}`
	if status, body := raw(t, "PUT", base+"/projects/shop", create); status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	before, _ := st.Project("shop")

	_, got := raw(t, "GET", base+"/projects/shop", "")
	var p map[string]any
	if err := json.Unmarshal([]byte(got), &p); err != nil {
		t.Fatal(err)
	}
	p["name"] = "Renamed"
	edited, _ := json.Marshal(p)
	if status, body := raw(t, "PUT", base+"/projects/shop", string(edited)); status != http.StatusOK || strings.Contains(body, secret) {
		t.Fatalf("masked round trip: %d %s", status, body)
	}
	after, _ := st.Project("shop")
	if after.Name != "Renamed" || after.Secret != secret || len(after.PreviousSecrets) != 0 {
		t.Fatalf("after the round trip: name %q secret %q previous %q", after.Name, after.Secret, after.PreviousSecrets)
	}
	if got, want := after.Webhooks[0].Headers, before.Webhooks[0].Headers; !reflect.DeepEqual(got, want) || len(got) != 4 {
		t.Fatalf("headers after the round trip %v, want %v", got, want)
	}
	if !after.Webhooks[0].UpdatedAt.Equal(before.Webhooks[0].UpdatedAt) {
		t.Errorf("an unchanged webhook got a new updatedAt")
	}

	// A changed secret is saved, the old one becomes a previous secret.
	p["secret"] = "whsec_changed0123456789abcdefghijklmnop0000"
	changed, _ := json.Marshal(p)
	if status, body := raw(t, "PUT", base+"/projects/shop", string(changed)); status != http.StatusOK {
		t.Fatalf("changed secret: %d %s", status, body)
	}
	after, _ = st.Project("shop")
	if after.Secret != "whsec_changed0123456789abcdefghijklmnop0000" || len(after.PreviousSecrets) != 1 || after.PreviousSecrets[0] != secret {
		t.Fatalf("after the change: secret %q previous %q", after.Secret, after.PreviousSecrets)
	}

	// The mask of the replaced secret, or a header value's mask under a
	// name it was never stored under, stands for nothing stored.
	refused := map[string]struct{ body, field string }{
		"stale secret mask": {strings.Replace(string(edited), `"name":"Renamed"`, `"name":"Stale"`, 1), "secret"},
		"mask of nothing": {`{"webhooks": [{"action": "ingested", "url": "http://127.0.0.1:9/in",
			"headers": {"Authorization": "Bearer ••••••••efgh", "X-Other": "••••••••"}}]}`, "webhooks[0].headers[1].value"},
	}
	for name, tc := range refused {
		status, _, v := call(t, "PUT", base+"/projects/shop", tc.body)
		if status != http.StatusBadRequest || field(v, "fields", tc.field) == nil {
			t.Errorf("%s: %d %v, want 400 on %s", name, status, v, tc.field)
		}
	}
	if p, _ := st.Project("shop"); p.Secret != "whsec_changed0123456789abcdefghijklmnop0000" || p.Name != "Renamed" {
		t.Errorf("a refused PUT changed the project: %+v", p)
	}
}
