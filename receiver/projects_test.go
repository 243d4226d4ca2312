package receiver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hookscope/signature/signaturetest"
	"hookscope/store"
)

func putProject(t *testing.T, st *store.Store, p store.Project) {
	t.Helper()
	if err := st.PutProject(p); err != nil {
		t.Fatal(err)
	}
}

// waitProject waits for the receiver's cache to see a project change.
func waitProject(t *testing.T, srv *Server, slug string, ok func(store.Project) bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if p, found := srv.Projects().Get(slug); found && ok(p) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("receiver did not pick up project %s", slug)
}

func do(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestProjectCapturesGetTheirAnswerAndSignatureCheck(t *testing.T) {
	srv, st := start(t, Options{})
	putProject(t, st, store.Project{
		Slug: "shop", Name: "Shop", Secret: "whsec_test_secret", Scheme: "stripe",
		Response: store.ProjectResponse{Status: 202, Body: "accepted", Headers: map[string]string{"X-Shop": "1"}},
	})
	waitProject(t, srv, "shop", func(store.Project) bool { return true })
	body := []byte(`{"id":"evt_1","type":"charge.succeeded"}`)
	now := time.Now()

	resp := do(t, signaturetest.Request(t, "stripe", "whsec_test_secret", srv.URL()+"/shop/stripe", body, now))
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 202 || string(answer) != "accepted" || resp.Header.Get("X-Shop") != "1" || resp.Header.Get(CaptureIDHeader) == "" {
		t.Fatalf("answer %d %q %v", resp.StatusCode, answer, resp.Header)
	}
	c := capturedFrom(t, st, resp)
	if c.Project != "shop" || c.Signature.Status != "valid" || c.Signature.Scheme != "stripe" || c.Signature.Detected {
		t.Fatalf("capture project %q signature %+v", c.Project, c.Signature)
	}

	tampered := signaturetest.Request(t, "stripe", "whsec_test_secret", srv.URL()+"/shop/stripe", body, now)
	tampered.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("evt_1"), []byte("evt_2"), 1)))
	c = capturedFrom(t, st, do(t, tampered))
	if c.Signature.Status != "invalid" || c.Signature.Received == "" || c.Signature.Computed == "" || c.Signature.SignedContentLen == 0 {
		t.Fatalf("tampered capture signature %+v", c.Signature)
	}

	stale := signaturetest.Request(t, "stripe", "whsec_test_secret", srv.URL()+"/shop/stripe", body, now.Add(-time.Hour))
	if c = capturedFrom(t, st, do(t, stale)); c.Signature.Status != "timestamp_out_of_tolerance" || !c.Signature.HasSkew {
		t.Fatalf("stale capture signature %+v", c.Signature)
	}
}

func TestUnknownPathsAreUnsortedAndSchemesAreDetected(t *testing.T) {
	srv, st := start(t, Options{})
	plain := send(t, "POST", srv.URL()+"/nobody/x", []byte("{}"), nil)
	if c := capturedFrom(t, st, plain); c.Project != "" || c.Signature.Status != "unsigned" {
		t.Fatalf("plain capture: project %q signature %+v", c.Project, c.Signature)
	}
	// A GitHub-signed request with no project: the scheme is detected, and
	// without a secret it cannot be checked.
	gh := signaturetest.Request(t, "github", "s3cret", srv.URL()+"/nobody/gh", []byte(`{"zen":"x"}`), time.Now())
	c := capturedFrom(t, st, do(t, gh))
	if c.Signature.Scheme != "github" || !c.Signature.Detected || c.Signature.Status != "no_secret" {
		t.Fatalf("detected capture signature %+v", c.Signature)
	}
	// The list says so too, without loading the capture.
	var page ListJSON
	getJSON(t, srv.URL()+"/_hookscope/api/captures?limit=1", 200, &page)
	if sig := page.Captures[0].Signature; sig == nil || sig.Scheme != "github" || !sig.Detected || sig.Status != "no_secret" {
		t.Fatalf("summary signature %+v", sig)
	}
}

// sendInvalid sends n requests made by req, signed with a secret the
// project does not have yet, and returns their captures' IDs, each checked
// invalid.
func sendInvalid(t *testing.T, st *store.Store, n int, req func() *http.Request) []store.ID {
	t.Helper()
	var ids []store.ID
	for i := 0; i < n; i++ {
		c := capturedFrom(t, st, do(t, req()))
		if c.Signature.Status != "invalid" {
			t.Fatalf("capture %d, before the secret changes: %+v", i, c.Signature)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// setSecret gives the stored project slug a new secret and returns it.
func setSecret(t *testing.T, st *store.Store, slug, secret string) store.Project {
	t.Helper()
	p, err := st.Project(slug)
	if err != nil {
		t.Fatal(err)
	}
	p.Secret = secret
	putProject(t, st, p)
	return p
}

func TestReverifyAfterTheSecretChanges(t *testing.T) {
	srv, st := start(t, Options{})
	putProject(t, st, store.Project{Slug: "unitary", Name: "Unitary", Secret: "wrong_key", Scheme: "hub-sha256-base64"})
	waitProject(t, srv, "unitary", func(store.Project) bool { return true })
	body := []byte("{\n  \"data\": {\n    \"job_id\": \"{JOB_ID}\"\n  }\n}")
	ids := sendInvalid(t, st, 3, func() *http.Request {
		return signaturetest.Request(t, "hub-sha256-base64", "test_key", srv.URL()+"/unitary/results", body, time.Now())
	})
	p := setSecret(t, st, "unitary", "test_key")
	var calls []int
	n, err := srv.Projects().Reverify(context.Background(), "unitary", func(done, total int) { calls = append(calls, done) })
	if err != nil || n != 3 || len(calls) != 3 || calls[2] != 3 {
		t.Fatalf("reverify: n=%d err=%v progress=%v", n, err, calls)
	}
	for _, id := range ids {
		if c, _ := st.Get(id); c.Signature.Status != "valid" {
			t.Fatalf("capture %s after reverify: %+v", id, c.Signature)
		}
	}

	// The API re-runs one check.
	p.Secret = "rotated"
	putProject(t, st, p)
	waitProject(t, srv, "unitary", func(p store.Project) bool { return p.Secret == "rotated" })
	resp := send(t, "POST", srv.URL()+"/_hookscope/api/captures/"+ids[0].String()+"/verify", nil, nil)
	var got CaptureJSON
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 200 || got.Signature == nil || got.Signature.Status != "invalid" || !strings.Contains(got.Signature.Hint, "previous secret") {
		t.Fatalf("verify API: %d %+v", resp.StatusCode, got.Signature)
	}
}

func TestProjectDelayHoldsTheAnswerNotTheCapture(t *testing.T) {
	srv, st := start(t, Options{})
	putProject(t, st, store.Project{Slug: "slow", Name: "Slow", Response: store.ProjectResponse{Status: 200, DelaySeconds: 0.3}})
	waitProject(t, srv, "slow", func(store.Project) bool { return true })
	client := &http.Client{Timeout: 100 * time.Millisecond}
	_, err := client.Post(srv.URL()+"/slow/hook", "text/plain", strings.NewReader("x"))
	if err == nil {
		t.Fatal("the answer was not delayed")
	}
	// The client gave up while the answer was held; the capture is stored
	// all the same (on a loaded machine, possibly just after the client
	// gave up, so wait for it rather than look once).
	var page []store.Summary
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if page, _, _ = st.List(store.Filter{Project: "slow"}, 0, 10); len(page) > 0 {
			break
		}
	}
	if len(page) != 1 {
		t.Fatalf("captures of the timed-out request: %d, want 1", len(page))
	}
}

func TestForwardingSendsTheCaptureOnWithoutDelayingTheAnswer(t *testing.T) {
	got := make(chan *http.Request, 1)
	gotBody := make(chan []byte, 1)
	release := make(chan struct{})
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		gotBody <- b
		<-release // a slow target must not hold up the receiver
		w.WriteHeader(201)
	}))
	defer target.Close()
	defer close(release)
	srv, st := start(t, Options{})
	putProject(t, st, store.Project{
		Slug: "fwd", Name: "Forwarded", Forward: true,
		Webhooks: []store.Webhook{{Action: "ingested", URL: target.URL + "/hook", Enabled: true, Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t"}}}},
	})
	waitProject(t, srv, "fwd", func(store.Project) bool { return true })

	client := &http.Client{Timeout: 2 * time.Second}
	req, _ := http.NewRequest("POST", srv.URL()+"/fwd/ingested?batch=1", strings.NewReader(`{"docs":[{"id":"1","key":"k"}]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Connection", "keep-alive")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("the answer waited for the forward: %v", err)
	}
	resp.Body.Close()
	select {
	case r := <-got:
		if r.URL.Path != "/hook" || r.Header.Get("Authorization") != "Bearer t" || r.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("forwarded %s %v", r.URL, r.Header)
		}
		if b := <-gotBody; string(b) != `{"docs":[{"id":"1","key":"k"}]}` {
			t.Fatalf("forwarded body %q", b)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("nothing was forwarded")
	}
}

func TestChangingTheSecretRechecksTheProjectInTheBackground(t *testing.T) {
	srv, st := start(t, Options{})
	type step struct{ done, total int }
	progress := make(chan step, 100)
	srv.Projects().OnReverify(func(slug string, done, total int) {
		if slug == "acme" {
			progress <- step{done, total}
		}
	})
	putProject(t, st, store.Project{Slug: "acme", Name: "Acme", Secret: "old", Scheme: "shopify"})
	waitProject(t, srv, "acme", func(store.Project) bool { return true })
	body := []byte(`{"id":1}`)
	ids := sendInvalid(t, st, 2, func() *http.Request {
		return signaturetest.Request(t, "shopify", "new", srv.URL()+"/acme/orders", body, time.Now())
	})
	setSecret(t, st, "acme", "new")
	deadline := time.After(3 * time.Second)
	for last := (step{}); last.done != 2 || last.total != 2; {
		select {
		case last = <-progress:
		case <-deadline:
			t.Fatal("no re-check finished")
		}
	}
	for _, id := range ids {
		if c, _ := st.Get(id); c.Signature.Status != "valid" {
			t.Fatalf("after the change: %+v", c.Signature)
		}
	}
}

func TestUnknownSchemeIsRefusedByTheAPI(t *testing.T) {
	srv, st := start(t, Options{})
	resp := send(t, "PUT", srv.URL()+"/_hookscope/api/projects/s1", []byte(`{"slug":"s1","name":"x","scheme":"nope"}`), nil)
	var got struct {
		Error  string
		Fields map[string]string
	}
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 400 || !strings.Contains(got.Fields["scheme"], `unknown scheme "nope"`) || !strings.Contains(got.Fields["scheme"], "stripe") {
		t.Fatalf("answer %d %+v", resp.StatusCode, got)
	}
	if _, err := st.Project("s1"); err == nil {
		t.Fatal("the project was stored")
	}
}

// A project's status without a body keeps the receiver's own body; a
// truncated capture is answered 413 whatever the project asks; headers
// net/http owns are not the project's to set; a 204 carries no body.
func TestProjectAnswersKeepWhatSendersRelyOn(t *testing.T) {
	srv, st := start(t, Options{MaxBody: 16})
	for _, p := range []store.Project{
		{Slug: "status", Response: store.ProjectResponse{Status: 202}},
		{Slug: "length", Response: store.ProjectResponse{Status: 200, Body: "custom body", Headers: map[string]string{"Content-Length": "0", "X-Own": "yes"}}},
		{Slug: "empty", Response: store.ProjectResponse{Status: 204, Body: "ignored"}},
	} {
		putProject(t, st, p)
		waitProject(t, srv, p.Slug, func(store.Project) bool { return true })
	}
	read := func(resp *http.Response) string {
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	resp := send(t, "POST", srv.URL()+"/status/x", []byte("small"), nil)
	if body := read(resp); resp.StatusCode != 202 || !strings.Contains(body, `"ok":true`) || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status only: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	resp = send(t, "POST", srv.URL()+"/status/x", []byte(strings.Repeat("x", 40)), nil)
	if body := read(resp); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "truncated") {
		t.Fatalf("oversized body to a project answering 202: %d %q", resp.StatusCode, body)
	}
	if c := capturedFrom(t, st, resp); !c.Truncated || c.Response.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("stored %v truncated, answer %d", c.Truncated, c.Response.Status)
	}

	resp = send(t, "POST", srv.URL()+"/length/x", []byte("x"), nil)
	if body := read(resp); resp.StatusCode != 200 || body != "custom body" || resp.Header.Get("X-Own") != "yes" {
		t.Fatalf("custom Content-Length: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	resp = send(t, "POST", srv.URL()+"/empty/x", []byte("x"), nil)
	if body := read(resp); resp.StatusCode != 204 || body != "" {
		t.Fatalf("204: %d %q", resp.StatusCode, body)
	}
	if c := capturedFrom(t, st, resp); len(c.Response.Body) != 0 {
		t.Fatalf("a 204 recorded as answered with %q", c.Response.Body)
	}
}

// Captures sent to /slug/… before the project existed move into it when it
// is created, and their signatures are checked with its secret.
func TestANewProjectAdoptsItsEarlierCaptures(t *testing.T) {
	srv, st := start(t, Options{})
	body := []byte(`{"id":"evt_1"}`)
	early := capturedFrom(t, st, do(t, signaturetest.Request(t, "stripe", "whsec_test_secret", srv.URL()+"/demo/stripe", body, time.Now())))
	other := capturedFrom(t, st, send(t, "POST", srv.URL()+"/demolition/x", []byte("x"), nil))
	if early.Project != "" {
		t.Fatalf("before the project: %q", early.Project)
	}
	putProject(t, st, store.Project{Slug: "demo", Name: "Demo", Secret: "whsec_test_secret", Scheme: "stripe"})
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, _ := st.Get(early.ID)
		if c.Project == "demo" && c.Signature.Status == "valid" && !c.Signature.Detected {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the earlier capture: project %q, signature %+v", c.Project, c.Signature)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c, _ := st.Get(other.ID); c.Project != "" {
		t.Fatalf("/demolition/x was adopted by demo: %q", c.Project)
	}
}
