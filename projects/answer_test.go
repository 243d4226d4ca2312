package projects

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

func openBook(t *testing.T) (*Book, *store.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "hookscope.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st), st
}

func TestSaveNamesTheRuleFieldsThatAreWrong(t *testing.T) {
	b, _ := openBook(t)
	p := store.Project{Slug: "integration", Name: "I"}
	SetRules(&p, []rules.Rule{{Name: "flaky", Enabled: true,
		Steps: []rules.Step{{Action: "respond", Status: 700}, {Action: "respond", Body: "{{body.taskId"}}}})
	_, err := b.Save("", p, "")
	var fe FieldErrors
	if !errors.As(err, &fe) || !strings.Contains(fe["rules[0].steps[0].status"], "200 to 599") || !strings.Contains(fe["rules[0].steps[1].body"], "template") {
		t.Fatalf("Save = %v, want field errors at rules[0].steps[0].status and rules[0].steps[1].body", err)
	}
	if fe.In(Rules) != 2 || fe.In(General) != 0 {
		t.Errorf("sections: %d in Rules, %d in General; want 2 and 0", fe.In(Rules), fe.In(General))
	}
	err = b.SaveUnsortedRules([]rules.Rule{{Name: "x"}})
	if !errors.As(err, &fe) || fe["rules[0].steps"] == "" {
		t.Errorf("SaveUnsortedRules of a rule without steps = %v", err)
	}
}

func TestDecideAsksTheCapturesRules(t *testing.T) {
	b, _ := openBook(t)
	fail := rules.Presets()[0].Rule
	p := store.Project{Slug: "integration", Name: "I"}
	SetRules(&p, []rules.Rule{fail})
	if _, err := b.Save("", p, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.SaveUnsortedRules([]rules.Rule{{Name: "drop", Enabled: true, Steps: []rules.Step{{Action: rules.ActionDrop}}}}); err != nil {
		t.Fatal(err)
	}
	waitProject(t, b, "integration", func(p store.Project) bool { rs, _ := RulesOf(p); return len(rs) == 1 })
	for deadline := time.Now().Add(2 * time.Second); len(b.RulesFor(&store.Capture{})) == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	decide := func(path string, truncated bool) Decision {
		c := &store.Capture{Method: "POST", Path: path, Truncated: truncated}
		b.Classify(c)
		return b.Decide(c, time.Now())
	}
	var statuses []int
	for range 3 {
		d := decide("/integration/ingested", false)
		if !d.Asked || !d.Answered {
			t.Fatalf("decision %+v", d)
		}
		statuses = append(statuses, d.Answer.Status)
	}
	if statuses[0] != 500 || statuses[1] != 500 || statuses[2] != 200 {
		t.Errorf("statuses %v, want [500 500 200]", statuses)
	}
	if d := decide("/elsewhere", false); !d.Answered || d.Answer.Action != rules.ActionDrop {
		t.Errorf("Unsorted's capture: %+v, want its drop rule", d)
	}
	if d := decide("/integration/ingested", true); d.Asked {
		t.Errorf("a truncated capture asked the rules: %+v", d)
	}
}
