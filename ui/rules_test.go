package ui

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"hookscope/projects"
	"hookscope/store"
)

// A newcomer adds "fail twice then succeed" to project integration from the
// Rules tab, saves, and three requests get 500, 500, 200, each capture
// saying which step answered.
func TestRulesTabAddsAPresetThatTheAPIAndReceiverUse(t *testing.T) {
	h := newHarness(t)
	e := h.storedProject(store.Project{Slug: "integration", Name: "Integration"})
	e.tabs.Select(e.rulesTab)
	e.rules.presets.SetSelected("fail twice then succeed")
	if len(e.rules.cards) != 1 || e.rules.cards[0].name.Text != "fail twice then succeed" || len(e.rules.cards[0].steps) != 3 {
		t.Fatalf("cards after the preset: %d", len(e.rules.cards))
	}
	// Inline validation: a status out of range marks the step and stops Save.
	step := e.rules.cards[0].steps[0]
	step.status.SetText("99")
	if !e.save.Disabled() || !strings.Contains(shownError(step.errs), "200 to 599") || !strings.Contains(e.rulesTab.Text, "1 to fix") {
		t.Fatalf("status 99: save disabled %v, step error %q, tab %q", e.save.Disabled(), shownError(step.errs), e.rulesTab.Text)
	}
	// A status may be a template, checked as it is typed.
	step.status.SetText("{{query.code")
	if !e.save.Disabled() || !strings.Contains(shownError(step.errs), "status: template") {
		t.Fatalf("bad status template: save disabled %v, step error %q", e.save.Disabled(), shownError(step.errs))
	}
	step.status.SetText("{{query.code}}")
	if e.save.Disabled() || shownError(step.errs) != "" {
		t.Fatalf("status template: save disabled %v, step error %q", e.save.Disabled(), shownError(step.errs))
	}
	step.status.SetText("500")
	// The Test box runs a request through the form's rules without counting.
	e.rules.testTarget.SetText("/integration/ingested")
	test.Tap(e.rules.testButton)
	if got := e.rules.testResult.Text; !strings.Contains(got, "step 1 of 3") || !strings.Contains(got, "respond 500") {
		t.Fatalf("test result %q", got)
	}
	if e.save.Disabled() {
		t.Fatalf("Save disabled: %s", e.summary.Text)
	}
	test.Tap(e.save)
	h.q.until(t, "the editor to close", func() bool { return h.w.editor == nil })

	resp, err := http.Get(h.srv.URL() + "/_hookscope/api/projects/integration")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rules []struct {
			Name  string `json:"name"`
			Steps []struct {
				Status int `json:"status"`
			} `json:"steps"`
		} `json:"rules"`
	}
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if len(got.Rules) != 1 || got.Rules[0].Name != "fail twice then succeed" || len(got.Rules[0].Steps) != 3 {
		t.Fatalf("the API's project rules: %+v", got.Rules)
	}

	h.q.until(t, "the receiver to see the rule", func() bool {
		p, _ := h.st.Project("integration")
		rs, _ := projects.RulesOf(p)
		return len(rs) == 1
	})
	var statuses []int
	for range 3 {
		resp, err := http.Post(h.srv.URL()+"/integration/ingested", "application/json", strings.NewReader(`{"taskId":"t-1"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if len(statuses) != 3 || statuses[0] != 500 || statuses[1] != 500 || statuses[2] != 200 {
		t.Fatalf("statuses %v, want [500 500 200]", statuses)
	}
	h.q.until(t, "three rows", func() bool { return h.rows() == 3 })
	// The list marks the failed answers; the detail says which step answered.
	mark := func(row int) string {
		r := h.w.list.newRow().(*captureRow)
		h.w.list.updateRow(row, r)
		return r.answer.Text
	}
	h.q.until(t, "the marks", func() bool { return mark(2) == "500" && mark(1) == "500" && mark(0) == "" })
	h.w.list.list.Select(1)
	h.q.until(t, "the Response tab", func() bool {
		return strings.Contains(gridText(h.w.detail.resp), `Answered by rule "fail twice then succeed", step 2 (respond): status 500`)
	})
}

func TestAnswerMarks(t *testing.T) {
	for _, tc := range []struct {
		s    store.Summary
		want string
	}{
		{store.Summary{Status: 200}, ""},
		{store.Summary{Status: 204}, ""},
		{store.Summary{Status: 500}, "500"},
		{store.Summary{Status: 413}, "413"},
		{store.Summary{Answer: "drop"}, "drop"},
		{store.Summary{Answer: "hang"}, "hang"},
		{store.Summary{Answer: "reset"}, "reset"},
		{store.Summary{Answer: "partial", Status: 200}, "cut"},
		{store.Summary{Answer: "respond", Status: 429}, "429"},
	} {
		if got := answerMark(tc.s); got != tc.want {
			t.Errorf("answerMark(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
	dropped := &store.Capture{AnsweredBy: &store.AnsweredBy{Rule: "drop connection", Action: "drop", Detail: "dropped the connection without a byte"}}
	dropped.Response.Status = 0
	if got := answeredWords(dropped); got != "dropped, no answer" {
		t.Errorf("summary word for a drop: %q", got)
	}
	if got := answeredByText(dropped.AnsweredBy); got != `Answered by rule "drop connection", step 1 (drop): dropped the connection without a byte.` {
		t.Errorf("answered by: %q", got)
	}
}

// Unsorted's own rules are edited in the same form and answer captures of
// no project.
func TestUnsortedRulesDialogSavesWhatTheReceiverUses(t *testing.T) {
	h := newHarness(t)
	d := h.w.openUnsortedRules(nil)
	d.ed.presets.SetSelected("rate limited (429 + Retry-After)")
	if d.save.Disabled() {
		t.Fatalf("Save disabled: %s", d.summary.Text)
	}
	d.ed.cards[0].name.SetText("")
	if !d.save.Disabled() || !strings.Contains(shownError(d.ed.cards[0].errs), "needs a name") {
		t.Fatalf("a rule without a name: save disabled %v, error %q", d.save.Disabled(), shownError(d.ed.cards[0].errs))
	}
	d.ed.cards[0].name.SetText("limited")
	test.Tap(d.save)
	h.q.until(t, "the rules to be saved", func() bool {
		rs, _ := h.srv.Projects().UnsortedRules()
		return len(rs) == 1 && rs[0].Name == "limited"
	})
	var status int
	var retry string
	h.q.until(t, "the receiver to answer 429", func() bool {
		resp, err := http.Post(h.srv.URL()+"/nowhere", "application/json", strings.NewReader(`{}`))
		if err != nil {
			return false
		}
		resp.Body.Close()
		status, retry = resp.StatusCode, resp.Header.Get("Retry-After")
		return status == 429
	})
	if retry != "30" {
		t.Errorf("Retry-After %q, want 30", retry)
	}
}
