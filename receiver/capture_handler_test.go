package receiver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hookscope/signature"
	"hookscope/signature/signaturetest"
	"hookscope/store"
)

// captureOnly serves s.CaptureHandler(via) on a real loopback listener, as a
// tunnel provider does.
func captureOnly(t *testing.T, s *Server, via string) string {
	t.Helper()
	ts := httptest.NewServer(s.CaptureHandler(via))
	t.Cleanup(ts.Close)
	return ts.URL
}

// projectBehind stores p in a receiver that is not listening itself and
// serves its capture handler as a tunnel named via would; it returns the
// receiver, its store and the tunnel's base URL once the receiver knows p.
func projectBehind(t *testing.T, p store.Project, via string) (*Server, *store.Store, string) {
	t.Helper()
	st := newStore(t)
	srv := New(st, Options{})
	putProject(t, st, p)
	waitProject(t, srv, p.Slug, func(store.Project) bool { return true })
	return srv, st, captureOnly(t, srv, via)
}

func TestCaptureHandlerCapturesByteExactAndMarksVia(t *testing.T) {
	srv, st, base := projectBehind(t, store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_test_secret", Scheme: "stripe"}, "cloudflared")

	body := []byte("{\"id\":\"evt_1\",\r\n \"amount\":\t100}\x00\xff")
	resp := do(t, signaturetest.Request(t, "stripe", "whsec_test_secret", base+"/shop/stripe?a=1&a=2", body, time.Now()))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	c := capturedFrom(t, st, resp)
	if string(c.Body) != string(body) || c.Via != "cloudflared" || c.Project != "shop" || c.RawQuery != "a=1&a=2" {
		t.Fatalf("capture body %q via %q project %q query %q", c.Body, c.Via, c.Project, c.RawQuery)
	}
	if c.Signature.Status != "valid" {
		t.Fatalf("signature %+v, want valid", c.Signature)
	}
	// Via is persisted: a fresh read from the store still has it.
	got, err := st.Get(c.ID)
	if err != nil || got.Via != "cloudflared" {
		t.Fatalf("stored via %q, %v", got.Via, err)
	}
	// The full handler, by contrast, marks nothing.
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(t.Context()) })
	if c := capturedFrom(t, st, send(t, "POST", srv.URL()+"/direct", body, nil)); c.Via != "" {
		t.Fatalf("a direct capture has via %q", c.Via)
	}
}

func TestCaptureHandlerNeverServesTheAPI(t *testing.T) {
	st := newStore(t)
	srv := New(st, Options{})
	putProject(t, st, store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_secret"})
	base := captureOnly(t, srv, "ngrok")
	for _, path := range []string{"/_hookscope/api/projects", "/_hookscope/api/captures", "/_hookscope/api/events", "/_hookscope", "/_hookscope/"} {
		for _, method := range []string{"GET", "POST", "PUT", "DELETE"} {
			resp := send(t, method, base+path, []byte(`{"slug":"evil"}`), nil)
			var e struct{ Error string }
			json.NewDecoder(resp.Body).Decode(&e)
			// Only "not found": nothing tells a scanner what runs here.
			if resp.StatusCode != http.StatusNotFound || e.Error != "not found" {
				t.Fatalf("%s %s through a tunnel: %d %q, want 404 with a JSON error", method, path, resp.StatusCode, e.Error)
			}
		}
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatalf("%d reserved requests were captured", n)
	}
	if ps, err := st.Projects(); err != nil || len(ps) != 1 {
		t.Fatalf("projects after the attempts: %v, %v", ps, err)
	}
}

// Twilio signs the URL it called: through a tunnel that is the public
// https:// one, so the check must not rebuild it as http://.
func TestTwilioThroughATunnelIsCheckedAgainstTheHTTPSURL(t *testing.T) {
	_, st, base := projectBehind(t, store.Project{Slug: "tw", Name: "Twilio", Secret: "twilio_auth_token", Scheme: "twilio"}, "cloudflared")

	const public = "https://calm-river.trycloudflare.com/tw/sms?x=1"
	body := []byte("Body=hello&From=%2B15551234567")
	sr := signature.Request{Method: "POST", URL: public, Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: body}
	if err := signature.Sign(&sr, signature.Config{Scheme: "twilio", Secret: "twilio_auth_token"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", base+"/tw/sms?x=1", bytes.NewReader(body))
	req.Header = sr.Header
	req.Host = "calm-river.trycloudflare.com" // cloudflared keeps the public Host
	c := capturedFrom(t, st, do(t, req))
	if c.URL() != public {
		t.Fatalf("capture URL %q, want %q", c.URL(), public)
	}
	if c.Signature.Status != "valid" {
		t.Fatalf("signature %s: %s %s", c.Signature.Status, c.Signature.Reason, c.Signature.Hint)
	}
}
