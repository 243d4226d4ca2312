package store

import (
	"slices"
	"sync"
	"testing"

	"hookscope/projects/rules"
)

func failTwice() rules.Rule {
	for _, p := range rules.Presets() {
		if p.Title == "fail twice then succeed" {
			return p.Rule
		}
	}
	panic("no preset fail twice then succeed")
}

// statusOf is the status step c of rs answers with.
func statusOf(rs []rules.Rule, c rules.Choice) int { return rs[c.Rule].Steps[c.Step].Status }

func TestRuleSequenceGoesOnAfterReopen(t *testing.T) {
	s, path := openTemp(t, Options{})
	rs := []rules.Rule{failTwice()}
	var got []int
	for range 2 {
		c, ok, err := s.ChooseRule("integration", rs, []int{0})
		if err != nil || !ok {
			t.Fatalf("ChooseRule: %v, %v", ok, err)
		}
		got = append(got, statusOf(rs, c))
	}
	s.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, _, err := s.ChooseRule("integration", rs, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, statusOf(rs, c))
	if want := []int{500, 500, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses across a restart = %v, want %v", got, want)
	}
	if n, _ := s.RuleCounts("integration", rs); n[0] != 3 {
		t.Errorf("count = %d, want 3", n[0])
	}
}

func TestConcurrentSendersGetExactlyTwoFailures(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rs := []rules.Rule{failTwice()}
	statuses := make([]int, 64)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			c, ok, err := s.ChooseRule("integration", rs, []int{0})
			if err != nil || !ok {
				t.Errorf("ChooseRule: %v, %v", ok, err)
				return
			}
			statuses[i] = statusOf(rs, c)
		})
	}
	wg.Wait()
	fails := 0
	for _, st := range statuses {
		if st == 500 {
			fails++
		}
	}
	if fails != 2 {
		t.Errorf("64 concurrent senders got %d answers 500, want exactly 2", fails)
	}
}

func TestEditedRuleStartsOverAndResetsAreScoped(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rs := []rules.Rule{failTwice(), {Name: "other", Enabled: true, Steps: []rules.Step{{Action: rules.ActionDrop}}}}
	for range 2 {
		s.ChooseRule("integration", rs, []int{0})
		s.ChooseRule("integration", rs, []int{1})
		s.ChooseRule("", rs, []int{0})
	}
	off := append([]rules.Rule(nil), rs...)
	off[0].Enabled = false
	if n, _ := s.RuleCounts("integration", off); n[0] != 2 || n[1] != 2 {
		t.Errorf("counts after switching a rule off = %v, want [2 2]: enabling is no edit", n)
	}
	edited := append([]rules.Rule(nil), rs...)
	edited[0].Steps = append([]rules.Step{{Action: rules.ActionReset}}, rs[0].Steps...)
	if n, _ := s.RuleCounts("integration", edited); n[0] != 0 || n[1] != 2 {
		t.Errorf("counts after editing rule 0 = %v, want [0 2]", n)
	}
	if c, _, _ := s.ChooseRule("integration", edited, []int{0}); c.Step != 0 || c.N != 1 {
		t.Errorf("the edited rule answered with step %d as match %d, want its first step", c.Step, c.N)
	}

	if err := s.ResetRuleCounts("integration", "other"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RuleCounts("integration", rs); n[1] != 0 {
		t.Errorf("count of the reset rule = %d, want 0", n[1])
	}
	if err := s.ResetRuleCounts("integration"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RuleCounts("integration", edited); n[0] != 0 {
		t.Errorf("count after resetting the project = %d, want 0", n[0])
	}
	if n, _ := s.RuleCounts("", rs); n[0] != 2 {
		t.Errorf("Unsorted's count = %d after resetting a project's, want 2 (its own)", n[0])
	}
}

func TestProjectRulesAndUnsortedRulesAreStored(t *testing.T) {
	s, _ := openTemp(t, Options{})
	p := Project{Slug: "integration", Name: "Integration", Rules: []rules.Rule{failTwice()}}
	p.Rules[0].Steps[2].Body = `{"task":"{{body.taskId}}"}`
	if err := s.PutProject(p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Project(p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rules) != 1 || got.Rules[0].Hash() != p.Rules[0].Hash() {
		t.Errorf("stored rules = %+v, want %+v", got.Rules, p.Rules)
	}
	if rs, err := s.UnsortedRules(); err != nil || len(rs) != 0 {
		t.Fatalf("a new store's Unsorted rules = %v, %v", rs, err)
	}
	if err := s.PutUnsortedRules([]rules.Rule{failTwice()}); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.UnsortedRules(); len(rs) != 1 || rs[0].Name != "fail twice then succeed" {
		t.Errorf("Unsorted rules = %+v", rs)
	}
}

func TestAnsweredByIsStoredWithTheCapture(t *testing.T) {
	s, _ := openTemp(t, Options{})
	c := sample("POST", "/integration/ingested", "", `{}`)
	c.AnsweredBy = &AnsweredBy{Rule: "drop connection", Step: 0, Action: rules.ActionHang, Detail: "hanging up to 120 s"}
	id := mustPut(t, s, c)
	sums, _, err := s.List(Filter{}, 0, 10)
	if err != nil || len(sums) != 1 || sums[0].Answer != rules.ActionHang {
		t.Fatalf("summary = %+v, %v; want Answer hang", sums, err)
	}
	if err := s.UpdateAnsweredBy(id, AnsweredBy{Rule: "drop connection", Step: 0, Action: rules.ActionHang, Detail: "hung 3.2 s until the sender gave up"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if a := got.AnsweredBy; a == nil || a.Detail != "hung 3.2 s until the sender gave up" || a.Action != "hang" || !a.Failed() {
		t.Errorf("answered_by = %+v", a)
	}
	plain := mustPut(t, s, sample("POST", "/x", "", ""))
	if got, _ := s.Get(plain); got.AnsweredBy != nil {
		t.Errorf("a capture no rule answered has answered_by %+v", got.AnsweredBy)
	}
}
