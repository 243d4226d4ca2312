package store

import (
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
)

// countTimes counts n matches of key in scope, one ChooseStep each, and
// returns the counts they got.
func countTimes(t *testing.T, s *Store, scope string, key RuleKey, n int) []uint64 {
	t.Helper()
	var got []uint64
	for range n {
		err := s.ChooseStep(scope, func(count CountMatch) error {
			c, err := count(key)
			got = append(got, c)
			return err
		})
		if err != nil {
			t.Fatalf("ChooseStep: %v", err)
		}
	}
	return got
}

func TestRuleCountsGoOnAfterReopen(t *testing.T) {
	s, path := openTemp(t, Options{})
	key := RuleKey{Name: "fail twice then succeed", Hash: "h1"}
	got := countTimes(t, s, "integration", key, 2)
	s.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got = append(got, countTimes(t, s, "integration", key, 1)...)
	if want := []uint64{1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("counts across a restart = %v, want %v", got, want)
	}
	if n, _ := s.RuleCounts("integration", []RuleKey{key}); n[0] != 3 {
		t.Errorf("RuleCounts = %d, want 3", n[0])
	}
}

// Concurrent ChooseStep calls each see the counts of the ones before: no
// two requests get the same count.
func TestConcurrentStepsEachGetTheirOwnCount(t *testing.T) {
	s, _ := openTemp(t, Options{})
	key := RuleKey{Name: "r", Hash: "h"}
	counts := make([]uint64, 64)
	var wg sync.WaitGroup
	for i := range counts {
		wg.Go(func() {
			err := s.ChooseStep("integration", func(count CountMatch) error {
				var err error
				counts[i], err = count(key)
				return err
			})
			if err != nil {
				t.Errorf("ChooseStep: %v", err)
			}
		})
	}
	wg.Wait()
	slices.Sort(counts)
	for i, n := range counts {
		if n != uint64(i+1) {
			t.Fatalf("64 concurrent counts = %v, want 1 to 64 once each", counts)
		}
	}
}

// A choice that fails writes no count.
func TestAFailedChoiceCountsNothing(t *testing.T) {
	s, _ := openTemp(t, Options{})
	key := RuleKey{Name: "r", Hash: "h"}
	failed := errors.New("the rule's template broke")
	err := s.ChooseStep("", func(count CountMatch) error {
		if _, err := count(key); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("ChooseStep = %v, want its callback's error", err)
	}
	if n, _ := s.RuleCounts("", []RuleKey{key}); n[0] != 0 {
		t.Errorf("count after a failed choice = %d, want 0", n[0])
	}
}

func TestChangedHashStartsOverAndResetsAreScoped(t *testing.T) {
	s, _ := openTemp(t, Options{})
	a, b := RuleKey{Name: "a", Hash: "h1"}, RuleKey{Name: "b", Hash: "h1"}
	for _, k := range []RuleKey{a, b} {
		countTimes(t, s, "integration", k, 2)
		countTimes(t, s, "", k, 2)
	}
	edited := RuleKey{Name: "a", Hash: "h2"}
	if n, _ := s.RuleCounts("integration", []RuleKey{edited, b}); n[0] != 0 || n[1] != 2 {
		t.Errorf("counts after a's hash changed = %v, want [0 2]", n)
	}
	if got := countTimes(t, s, "integration", edited, 1); got[0] != 1 {
		t.Errorf("the edited rule's next count = %d, want 1", got[0])
	}
	if err := s.ResetRuleCounts("integration", "b"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RuleCounts("integration", []RuleKey{edited, b}); n[0] != 1 || n[1] != 0 {
		t.Errorf("counts after resetting b = %v, want [1 0]", n)
	}
	if err := s.ResetRuleCounts("integration"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RuleCounts("integration", []RuleKey{edited}); n[0] != 0 {
		t.Errorf("count after resetting the project = %d, want 0", n[0])
	}
	if n, _ := s.RuleCounts("", []RuleKey{a, b}); n[0] != 2 || n[1] != 2 {
		t.Errorf("Unsorted's counts = %v after resetting a project's, want [2 2] (its own)", n)
	}
}

func TestProjectRulesAndUnsortedRulesAreKeptAsGiven(t *testing.T) {
	s, _ := openTemp(t, Options{})
	rs := json.RawMessage(`[{"name":"fail","enabled":true,"match":{},"steps":[{"action":"respond","status":"{{query \"code\"}}"}]}]`)
	mustPutProject(t, s, Project{Slug: "integration", Name: "Integration", Rules: rs})
	got, err := s.Project("integration")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Rules) != string(rs) {
		t.Errorf("stored rules = %s, want %s", got.Rules, rs)
	}
	if v, err := s.UnsortedRules(); err != nil || v != nil {
		t.Fatalf("a new store's Unsorted rules = %s, %v; want none", v, err)
	}
	if err := s.PutUnsortedRules(rs); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.UnsortedRules(); string(v) != string(rs) {
		t.Errorf("Unsorted rules = %s, want %s", v, rs)
	}
	if err := s.PutUnsortedRules(json.RawMessage(`[{"name":`)); err == nil {
		t.Error("PutUnsortedRules took bytes that are not JSON")
	}
	if v, _ := s.UnsortedRules(); string(v) != string(rs) {
		t.Errorf("Unsorted rules after a refused save = %s, want %s", v, rs)
	}
}

func TestAnsweredByIsStoredWithTheCapture(t *testing.T) {
	s, _ := openTemp(t, Options{})
	c := sample("POST", "/integration/ingested", "", `{}`)
	c.AnsweredBy = &AnsweredBy{Rule: "drop connection", Step: 0, Action: "hang", Detail: "hanging up to 120 s"}
	id := mustPut(t, s, c)
	sums, _, err := s.List(Filter{}, 0, 10)
	if err != nil || len(sums) != 1 || sums[0].Answer != "hang" {
		t.Fatalf("summary = %+v, %v; want Answer hang", sums, err)
	}
	if err := s.UpdateAnsweredBy(id, AnsweredBy{Rule: "drop connection", Step: 0, Action: "hang", Detail: "hung 3.2 s until the sender gave up"}); err != nil {
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
