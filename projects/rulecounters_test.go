package projects

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"hookscope/projects/rules"
	"hookscope/store"
)

func failTwice(t testing.TB) rules.Rule {
	t.Helper()
	for _, p := range rules.Presets() {
		if p.Title == "fail twice then succeed" {
			return p.Rule
		}
	}
	t.Fatal("no preset fail twice then succeed")
	return rules.Rule{}
}

// statusOf is the status step c of rs answers with.
func statusOf(rs []rules.Rule, c rules.Choice) int { return rs[c.Rule].Steps[c.Step].Status }

func TestRuleSequenceGoesOnAfterReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookscope.db")
	rs := []rules.Rule{failTwice(t)}
	var got []int
	for _, asks := range []int{2, 1} {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b := New(st)
		for range asks {
			c, ok, err := b.choose("integration", rs, []int{0})
			if err != nil || !ok {
				t.Fatalf("choose: %v, %v", ok, err)
			}
			got = append(got, statusOf(rs, c))
		}
		if asks == 1 {
			if n, _ := b.RuleCounts("integration", rs); n[0] != 3 {
				t.Errorf("count = %d, want 3", n[0])
			}
		}
		st.Close()
	}
	if want := []int{500, 500, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses across a restart = %v, want %v", got, want)
	}
}

func TestConcurrentSendersGetExactlyTwoFailures(t *testing.T) {
	b, _ := openBook(t)
	rs := []rules.Rule{failTwice(t)}
	statuses := make([]int, 64)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			c, ok, err := b.choose("integration", rs, []int{0})
			if err != nil || !ok {
				t.Errorf("choose: %v, %v", ok, err)
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
	b, st := openBook(t)
	rs := []rules.Rule{failTwice(t), {Name: "other", Enabled: true, Steps: []rules.Step{{Action: rules.ActionDrop}}}}
	for range 2 {
		b.choose("integration", rs, []int{0})
		b.choose("integration", rs, []int{1})
		b.choose("", rs, []int{0})
	}
	off := append([]rules.Rule(nil), rs...)
	off[0].Enabled = false
	if n, _ := b.RuleCounts("integration", off); n[0] != 2 || n[1] != 2 {
		t.Errorf("counts after switching a rule off = %v, want [2 2]: enabling is no edit", n)
	}
	edited := append([]rules.Rule(nil), rs...)
	edited[0].Steps = append([]rules.Step{{Action: rules.ActionReset}}, rs[0].Steps...)
	if n, _ := b.RuleCounts("integration", edited); n[0] != 0 || n[1] != 2 {
		t.Errorf("counts after editing rule 0 = %v, want [0 2]", n)
	}
	if c, _, _ := b.choose("integration", edited, []int{0}); c.Step != 0 || c.N != 1 {
		t.Errorf("the edited rule answered with step %d as match %d, want its first step", c.Step, c.N)
	}

	if err := st.ResetRuleCounts("integration", "other"); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.RuleCounts("integration", rs); n[1] != 0 {
		t.Errorf("count of the reset rule = %d, want 0", n[1])
	}
	if err := st.ResetRuleCounts("integration"); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.RuleCounts("integration", edited); n[0] != 0 {
		t.Errorf("count after resetting the project = %d, want 0", n[0])
	}
	if n, _ := b.RuleCounts("", rs); n[0] != 2 {
		t.Errorf("Unsorted's count = %d after resetting a project's, want 2 (its own)", n[0])
	}
}

func TestProjectRulesAndUnsortedRulesAreStored(t *testing.T) {
	b, st := openBook(t)
	p := store.Project{Slug: "integration", Name: "Integration"}
	rule := failTwice(t)
	rule.Steps[2].Body = `{"task":"{{body.taskId}}"}`
	rule.Steps[1].StatusText, rule.Steps[1].Status = `{{query "code"}}`, 0
	SetRules(&p, []rules.Rule{rule})
	if _, err := b.Save("", p, ""); err != nil {
		t.Fatal(err)
	}
	got, err := st.Project(p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := RulesOf(got); err != nil || len(rs) != 1 || rs[0].Hash() != rule.Hash() {
		t.Errorf("stored rules = %+v, %v; want %+v", rs, err, rule)
	}
	if rs, err := b.UnsortedRules(); err != nil || len(rs) != 0 {
		t.Fatalf("a new store's Unsorted rules = %v, %v", rs, err)
	}
	if err := b.SaveUnsortedRules([]rules.Rule{failTwice(t)}); err != nil {
		t.Fatal(err)
	}
	if rs, _ := b.UnsortedRules(); len(rs) != 1 || rs[0].Name != "fail twice then succeed" {
		t.Errorf("Unsorted rules = %+v", rs)
	}
	if err := b.SaveUnsortedRules(nil); err != nil {
		t.Fatal(err)
	}
	if rs, err := b.UnsortedRules(); err != nil || len(rs) != 0 {
		t.Errorf("Unsorted rules after saving none = %+v, %v", rs, err)
	}
}
