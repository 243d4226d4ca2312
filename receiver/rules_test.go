package receiver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

func preset(t testing.TB, title string) rules.Rule {
	t.Helper()
	for _, p := range rules.Presets() {
		if p.Title == title {
			return p.Rule
		}
	}
	t.Fatalf("no preset %q", title)
	return rules.Rule{}
}

// withRules starts a receiver whose project "integration" has rs.
func withRules(t *testing.T, rs ...rules.Rule) (*Server, *store.Store) {
	t.Helper()
	srv, st := start(t, Options{})
	putProject(t, st, setRules(store.Project{Slug: "integration", Name: "Integration"}, rs...))
	waitProject(t, srv, "integration", func(p store.Project) bool { return len(rulesOf(p)) == len(rs) })
	return srv, st
}

// onlyCapture waits for the project's one capture: the receiver stores it
// before it acts, but a client that saw its connection cut may look first.
func onlyCapture(t *testing.T, st *store.Store, project string) *store.Capture {
	t.Helper()
	var page []store.Summary
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if page, _, _ = st.List(store.Filter{Project: project}, 0, 10); len(page) > 0 {
			break
		}
	}
	if len(page) != 1 {
		t.Fatalf("captures of %s: %d, want 1", project, len(page))
	}
	c, err := st.Get(page[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFailTwiceThenSucceedAnswers500500200AndSaysWhichStep(t *testing.T) {
	srv, st := withRules(t, preset(t, "fail twice then succeed"))
	for i, want := range []int{500, 500, 200} {
		resp := send(t, "POST", srv.URL()+"/integration/ingested", []byte(`{"taskId":"t-1"}`), nil)
		if resp.StatusCode != want {
			t.Fatalf("request %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
		c := capturedFrom(t, st, resp)
		if a := c.AnsweredBy; a == nil || a.Rule != "fail twice then succeed" || a.Step != i || a.Action != "respond" {
			t.Errorf("request %d: answered_by = %+v, want step %d of the rule", i+1, a, i)
		}
		var got CaptureJSON
		getJSON(t, srv.URL()+"/_hookscope/api/captures/"+c.ID.String(), http.StatusOK, &got)
		if got.AnsweredBy == nil || got.AnsweredBy.Step != i || got.Response.Status != want {
			t.Errorf("request %d: capture JSON answered_by %+v, response %d", i+1, got.AnsweredBy, got.Response.Status)
		}
	}
}

func TestDropClosesWithoutAByteAndKeepsTheCapture(t *testing.T) {
	srv, st := withRules(t, preset(t, "drop connection"))
	_, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
	if err == nil || !errors.Is(err, io.EOF) {
		t.Fatalf("client error = %v, want EOF", err)
	}
	c := onlyCapture(t, st, "integration")
	if a := c.AnsweredBy; a == nil || a.Action != rules.ActionDrop || !strings.Contains(a.Detail, "dropped") || c.Response.Status != 0 {
		t.Errorf("answered_by %+v, response status %d; want drop and nothing sent", a, c.Response.Status)
	}
	if sums, _, _ := st.List(store.Filter{Project: "integration"}, 0, 1); sums[0].Answer != rules.ActionDrop {
		t.Errorf("the summary's answer = %q, want drop (the list marks it)", sums[0].Answer)
	}
}

func TestResetAbortsTheConnection(t *testing.T) {
	srv, st := withRules(t, rules.Rule{Name: "rst", Enabled: true, Steps: []rules.Step{{Action: rules.ActionReset}}})
	_, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("client error = %v, want connection reset by peer", err)
	}
	if a := onlyCapture(t, st, "integration").AnsweredBy; a == nil || a.Action != rules.ActionReset {
		t.Errorf("answered_by = %+v, want reset", a)
	}
}

func TestPartialSendsHalfTheBody(t *testing.T) {
	body := strings.Repeat("x", 100)
	srv, st := withRules(t, rules.Rule{Name: "cut", Enabled: true, Steps: []rules.Step{{Action: rules.ActionPartial, Status: 502, Body: body}}})
	resp, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 502 || !errors.Is(err, io.ErrUnexpectedEOF) || len(got) != 50 {
		t.Fatalf("status %d, %d bytes, error %v; want 502, 50 bytes, unexpected EOF", resp.StatusCode, len(got), err)
	}
	c := onlyCapture(t, st, "integration")
	if a := c.AnsweredBy; a == nil || a.Action != rules.ActionPartial || !strings.Contains(a.Detail, "50 of 100 body bytes") {
		t.Errorf("answered_by = %+v", a)
	}
}

func TestHangHoldsUntilTheSenderGivesUp(t *testing.T) {
	srv, st := withRules(t, rules.Rule{Name: "hang", Enabled: true, Steps: []rules.Step{{Action: rules.ActionHang}}})
	client := &http.Client{Timeout: 300 * time.Millisecond}
	_, err := client.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("client error = %v, want its timeout", err)
	}
	c := onlyCapture(t, st, "integration")
	if a := c.AnsweredBy; a == nil || a.Action != rules.ActionHang {
		t.Fatalf("answered_by = %+v, want hang", a)
	}
	// Once the sender gave up, the capture says how long it hung.
	waitAnsweredBy(t, st, c.ID, "until the sender gave up")
}

// waitAnsweredBy waits for capture id's answered_by detail to say want: a
// hang's outcome is recorded once it ended.
func waitAnsweredBy(t *testing.T, st *store.Store, id store.ID, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, _ := st.Get(id); c.AnsweredBy != nil && strings.Contains(c.AnsweredBy.Detail, want) {
			return
		}
	}
	c, _ := st.Get(id)
	t.Errorf("answered_by = %+v, want a detail saying %q", c.AnsweredBy, want)
}

func TestHangIsBoundedThenClosed(t *testing.T) {
	srv, st := withRules(t, rules.Rule{Name: "hang", Enabled: true, Steps: []rules.Step{{Action: rules.ActionHang, DelayMS: 200}}})
	_, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
	if !errors.Is(err, io.EOF) {
		t.Fatalf("client error = %v, want EOF once the hang's bound passed", err)
	}
	id := onlyCapture(t, st, "integration").ID
	waitAnsweredBy(t, st, id, "the most a hang lasts")
}

func TestStopEndsAHang(t *testing.T) {
	srv, st := withRules(t, rules.Rule{Name: "hang", Enabled: true, Steps: []rules.Step{{Action: rules.ActionHang}}})
	errc := make(chan error, 1)
	go func() {
		_, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
		errc <- err
	}()
	id := onlyCapture(t, st, "integration").ID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, io.EOF) {
		t.Errorf("client error = %v, want EOF when the receiver stopped", err)
	}
	waitAnsweredBy(t, st, id, "as the receiver stopped")
}

func TestDelayedRespondAndTemplates(t *testing.T) {
	srv, st := withRules(t, rules.Rule{Name: "echo", Enabled: true,
		Match: rules.Match{Methods: []string{"POST"}, Path: "/integration/*", Body: map[string]string{"type": "review"}},
		Steps: []rules.Step{{Action: rules.ActionRespond, Status: 202, DelayMS: 50,
			Headers: map[string]string{"Content-Type": "application/json", "X-Echo": `{{header "X-Request-Id"}}`},
			Body:    `{"ok":true,"task":"{{body.taskId}}","batch":"{{query.batch}}","n":{{n}}}`}}})
	resp := send(t, "POST", srv.URL()+"/integration/review?batch=b-1", []byte(`{"type":"review","taskId":"t-42"}`),
		http.Header{"X-Request-Id": {"req-7"}})
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 202 || resp.Header.Get("X-Echo") != "req-7" || string(got) != `{"ok":true,"task":"t-42","batch":"b-1","n":1}` {
		t.Fatalf("answer %d %q %s", resp.StatusCode, resp.Header.Get("X-Echo"), got)
	}
	if c := capturedFrom(t, st, resp); string(c.Response.Body) != string(got) || !strings.Contains(c.AnsweredBy.Detail, "status 202") {
		t.Errorf("stored answer %s, answered_by %+v", c.Response.Body, c.AnsweredBy)
	}
	// A request the rule does not match gets the fallback answer, and says so.
	resp = send(t, "POST", srv.URL()+"/integration/review", []byte(`{"type":"other"}`), nil)
	if c := capturedFrom(t, st, resp); resp.StatusCode != 200 || c.AnsweredBy == nil || c.AnsweredBy.Rule != "" {
		t.Errorf("unmatched: status %d, answered_by %+v", resp.StatusCode, c.AnsweredBy)
	}
}

func TestSequenceGoesOnAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookscope.db")
	run := func(want ...int) {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		srv := New(st, Options{})
		if err := srv.Start("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		defer srv.Stop(context.Background())
		if _, err := st.Project("integration"); err != nil {
			putProject(t, st, setRules(store.Project{Slug: "integration", Name: "I"}, preset(t, "fail twice then succeed")))
		}
		waitProject(t, srv, "integration", func(p store.Project) bool { return len(rulesOf(p)) == 1 })
		for _, code := range want {
			resp, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != code {
				t.Fatalf("status %d, want %d", resp.StatusCode, code)
			}
		}
	}
	run(500)
	run(500, 200)
}

func TestConcurrentSendersSeeExactlyTwo500s(t *testing.T) {
	srv, _ := withRules(t, preset(t, "fail twice then succeed"))
	codes := make(chan int, 64)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			resp, err := http.Post(srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{}`))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	n500, n200 := 0, 0
	for c := range codes {
		switch c {
		case 500:
			n500++
		case 200:
			n200++
		}
	}
	if n500 != 2 || n200 != 62 {
		t.Errorf("64 concurrent senders: %d × 500 and %d × 200, want 2 and 62", n500, n200)
	}
}

func TestRulesAPI(t *testing.T) {
	srv, _ := start(t, Options{})
	api := srv.URL() + "/_hookscope/api"
	put := func(url, body string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("PUT", url, strings.NewReader(body))
		resp := do(t, req)
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp, v
	}
	resp, v := put(api+"/projects/integration", `{"slug":"integration","name":"I","rules":[{"name":"flaky","enabled":true,
		"steps":[{"action":"respond","status":500},{"action":"explode"}],"after":"repeat_last"}]}`)
	fields, _ := v["fields"].(map[string]any)
	if resp.StatusCode != 400 || fields["rules[0].steps[1].action"] == nil {
		t.Fatalf("invalid rules: %d %v, want 400 naming rules[0].steps[1].action", resp.StatusCode, v)
	}
	resp, v = put(api+"/projects/integration", `{"slug":"integration","name":"I","rules":[{"name":"flaky","enabled":true,
		"match":{"methods":["POST"],"path":"/integration/*","headers":{"X-Event":"ingested"},"query":{"batch":"b-1"},"body":{"type":"review"},"signature":"missing"},
		"steps":[{"action":"respond","status":500},{"action":"respond","status":200,"headers":{"Content-Type":"application/json"},"body":"{\"ok\":true,\"task\":\"{{body.taskId}}\"}","delay_ms":0}],
		"after":"repeat_last"}]}`)
	if resp.StatusCode != 201 {
		t.Fatalf("PUT project with rules: %d %v", resp.StatusCode, v)
	}
	waitProject(t, srv, "integration", func(p store.Project) bool { return len(rulesOf(p)) == 1 })
	hit := func() int {
		resp := send(t, "POST", srv.URL()+"/integration/review?batch=b-1", []byte(`{"type":"review","taskId":"t-9"}`), http.Header{"X-Event": {"ingested"}})
		return resp.StatusCode
	}
	if a, b := hit(), hit(); a != 500 || b != 200 {
		t.Fatalf("statuses %d, %d; want 500, 200", a, b)
	}
	var rj RulesJSON
	getJSON(t, api+"/projects/integration/rules", http.StatusOK, &rj)
	if len(rj.Counts) != 1 || rj.Counts[0] != 2 {
		t.Errorf("counts = %v, want [2]", rj.Counts)
	}
	r := do(t, mustRequest(t, "POST", api+"/projects/integration/rules/reset"))
	json.NewDecoder(r.Body).Decode(&rj)
	if r.StatusCode != 200 || rj.Counts[0] != 0 {
		t.Errorf("reset: %d, counts %v", r.StatusCode, rj.Counts)
	}
	if hit() != 500 {
		t.Error("after a reset the sequence did not start over")
	}
	if r := do(t, mustRequest(t, "POST", api+"/projects/integration/rules/reset?rule=nope")); r.StatusCode != 404 {
		t.Errorf("reset of an unknown rule: %d, want 404", r.StatusCode)
	}
}

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestUnsortedRulesAnswerCapturesOfNoProject(t *testing.T) {
	srv, st := start(t, Options{})
	req, _ := http.NewRequest("PUT", srv.URL()+"/_hookscope/api/rules", strings.NewReader(`{"rules":[{"name":"limited","enabled":true,
		"steps":[{"action":"respond","status":429,"headers":{"Retry-After":"30"}}]}]}`))
	if resp := do(t, req); resp.StatusCode != 200 {
		t.Fatalf("PUT /rules: %d", resp.StatusCode)
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if rs := srv.Projects().RulesFor(&store.Capture{}); len(rs) == 1 {
			break
		}
	}
	resp := send(t, "POST", srv.URL()+"/somewhere", []byte(`{}`), nil)
	if c := capturedFrom(t, st, resp); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "30" || c.AnsweredBy.Rule != "limited" {
		t.Errorf("status %d, Retry-After %q, answered_by %+v", resp.StatusCode, resp.Header.Get("Retry-After"), c.AnsweredBy)
	}
}

// A rule's delay may be longer than the server's read timeout (up to
// 120 s against 60 s): the answer still goes out after it.
func TestADelayLongerThanTheReadTimeoutStillAnswers(t *testing.T) {
	srv, st := start(t, Options{ReadTimeout: 200 * time.Millisecond})
	putProject(t, st, setRules(store.Project{Slug: "integration", Name: "I"}, rules.Rule{Name: "slow", Enabled: true,
		Steps: []rules.Step{{Action: rules.ActionRespond, Status: 503, DelayMS: 700}}}))
	waitProject(t, srv, "integration", func(p store.Project) bool { return len(rulesOf(p)) == 1 })
	// A chunked body is read to its end: net/http then reads on in the
	// background to notice the sender leaving.
	req, _ := http.NewRequest("POST", srv.URL()+"/integration/ingested", io.MultiReader(strings.NewReader(`{}`)))
	resp := do(t, req)
	if resp.StatusCode != 503 {
		t.Errorf("status %d, want the rule's 503 after its delay", resp.StatusCode)
	}
}

// Replaying a capture to the receiver's own URL shows the retries a sender
// would see: the replay is captured (never forwarded on: it carries
// X-Hookscope-Forwarded) and answered by the project's rules in turn.
func TestReplayToOwnURLSeesTheSequence(t *testing.T) {
	srv, st := withRules(t, preset(t, "fail twice then succeed"))
	seed := capturedFrom(t, st, send(t, "POST", srv.URL()+"/seed", []byte(`{"taskId":"t-1"}`), nil))
	var got []int
	for range 3 {
		req, _ := http.NewRequest("POST", srv.URL()+"/_hookscope/api/captures/"+seed.ID.String()+"/replay",
			strings.NewReader(`{"url":"`+srv.URL()+`/integration/ingested"}`))
		resp := do(t, req)
		var res ReplayResultJSON
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
			t.Fatalf("replay: %d %v", resp.StatusCode, err)
		}
		got = append(got, res.StatusCode)
	}
	if len(got) != 3 || got[0] != 500 || got[1] != 500 || got[2] != 200 {
		t.Errorf("replays to the receiver's own URL answered %v, want [500 500 200]", got)
	}
	if page, _, _ := st.List(store.Filter{Project: "integration"}, 0, 10); len(page) != 3 {
		t.Errorf("captures of the replays: %d, want 3", len(page))
	}
}

// TestStatusTemplateFromTheAPI: a step's status may be a template, sent as a
// JSON string through the API, checked when saved, rendered per request, and
// read back as the string it was.
func TestStatusTemplateFromTheAPI(t *testing.T) {
	srv, st := start(t, Options{})
	api := srv.URL() + "/_hookscope/api"
	put := func(body string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("PUT", api+"/projects/integration", strings.NewReader(body))
		resp := do(t, req)
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp, v
	}
	resp, v := put(`{"slug":"integration","name":"I","rules":[{"name":"code","enabled":true,
		"steps":[{"action":"respond","status":"{{query.code"}]}]}`)
	fields, _ := v["fields"].(map[string]any)
	if msg, _ := fields["rules[0].steps[0].status"].(string); resp.StatusCode != 400 || !strings.Contains(msg, "template") {
		t.Fatalf("a bad status template: %d %v, want 400 naming rules[0].steps[0].status", resp.StatusCode, v)
	}
	const rule = `{"name":"code","enabled":true,"steps":[{"action":"respond","status":"{{query \"code\"}}","body":"n={{n}}"}]}`
	if resp, v := put(`{"slug":"integration","name":"I","rules":[` + rule + `]}`); resp.StatusCode != 201 {
		t.Fatalf("PUT project with a status template: %d %v", resp.StatusCode, v)
	}
	waitProject(t, srv, "integration", func(p store.Project) bool { return len(rulesOf(p)) == 1 })

	resp = send(t, "POST", srv.URL()+"/integration/ingested?code=503", []byte(`{}`), nil)
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 503 || string(body) != "n=1" {
		t.Fatalf("?code=503: %d %s, want 503 n=1", resp.StatusCode, body)
	}
	if c := capturedFrom(t, st, resp); c.Response.Status != 503 || c.AnsweredBy == nil || c.AnsweredBy.Detail != "status 503" {
		t.Errorf("?code=503 stored as %d, answered_by %+v", c.Response.Status, c.AnsweredBy)
	}
	// Not a status: the fallback answer's status, and the error recorded.
	resp = send(t, "POST", srv.URL()+"/integration/ingested?code=abc", []byte(`{}`), nil)
	c := capturedFrom(t, st, resp)
	if resp.StatusCode != 200 || c.AnsweredBy == nil || !strings.Contains(c.AnsweredBy.Detail, `status: the template produced "abc"`) {
		t.Errorf("?code=abc: %d, answered_by %+v; want the fallback 200 and the error", resp.StatusCode, c.AnsweredBy)
	}

	var p struct {
		Rules []json.RawMessage `json:"rules"`
	}
	getJSON(t, api+"/projects/integration", http.StatusOK, &p)
	var back map[string]any
	if len(p.Rules) == 1 {
		_ = json.Unmarshal(p.Rules[0], &back)
	}
	steps, _ := back["steps"].([]any)
	if len(steps) != 1 || steps[0].(map[string]any)["status"] != `{{query "code"}}` {
		t.Errorf("rules read back: %s, want the status as the string it was", p.Rules)
	}
}
