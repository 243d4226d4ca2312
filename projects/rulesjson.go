package projects

import (
	"encoding/json"
	"fmt"

	"hookscope/projects/rules"
	"hookscope/store"
)

// The store keeps response rules as the JSON list of package rules' Rule
// (store.Project.Rules, Unsorted's list); this package is the one that reads
// and writes that list.

// RulesOf returns p's response rules.
func RulesOf(p store.Project) ([]rules.Rule, error) { return decodeRules(p.Rules) }

// SetRules gives p the rules rs, as the store keeps them; an empty list
// leaves p without rules.
func SetRules(p *store.Project, rs []rules.Rule) { p.Rules = encodeRules(rs) }

func decodeRules(raw json.RawMessage) ([]rules.Rule, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var rs []rules.Rule
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, fmt.Errorf("the rules are not a list of rules: %w", err)
	}
	return rs, nil
}

func encodeRules(rs []rules.Rule) json.RawMessage {
	if len(rs) == 0 {
		return nil
	}
	b, _ := json.Marshal(rs) // a Rule always marshals (see rules.Rule.Hash)
	return b
}

// ruleKey names r's counter in the store: an edited rule has another hash,
// so its sequence starts over.
func ruleKey(r *rules.Rule) store.RuleKey { return store.RuleKey{Name: r.Name, Hash: r.Hash()} }

// RuleCounts returns how many requests each rule of rs, scope's rules (a
// project's slug, "" for Unsorted), matched since it last changed or was
// reset.
func (b *Book) RuleCounts(scope string, rs []rules.Rule) ([]uint64, error) {
	keys := make([]store.RuleKey, len(rs))
	for i := range rs {
		keys[i] = ruleKey(&rs[i])
	}
	return b.st.RuleCounts(scope, keys)
}

// choose counts one more match for each rule of rs it asks, in the order
// of matching (the indexes of the rules the request matched), until one
// answers, in the store transaction that keeps the counts (see
// store.ChooseStep). ok is false when no rule answers.
func (b *Book) choose(scope string, rs []rules.Rule, matching []int) (c rules.Choice, ok bool, err error) {
	if len(matching) == 0 {
		return rules.Choice{}, false, nil
	}
	err = b.st.ChooseStep(scope, func(count store.CountMatch) error {
		var err error
		c, ok, err = rules.Choose(rs, matching, func(i int) (uint64, error) { return count(ruleKey(&rs[i])) })
		return err
	})
	if err != nil {
		return rules.Choice{}, false, err
	}
	return c, ok, nil
}
