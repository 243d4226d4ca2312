package projects

import (
	"fmt"
	"net/url"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

// RulesFor returns the response rules that answer c once classified: its
// project's, or Unsorted's.
func (b *Book) RulesFor(c *store.Capture) []rules.Rule {
	if snap := b.cache.Load(); snap != nil {
		return snap.rules[c.Project]
	}
	return nil
}

// UnsortedRules returns the rules that answer captures of no project.
func (b *Book) UnsortedRules() ([]rules.Rule, error) {
	raw, err := b.st.UnsortedRules()
	if err != nil {
		return nil, err
	}
	rs, err := decodeRules(raw)
	if err != nil {
		return nil, fmt.Errorf("read Unsorted's rules: %w", err)
	}
	return rs, nil
}

// SaveUnsortedRules validates Unsorted's rules and saves them; a list that
// breaks a rule is refused with FieldErrors ("rules[0].steps[1].status").
func (b *Book) SaveUnsortedRules(rs []rules.Rule) error {
	if errs := FieldErrors(rules.Validate(rs)); errs.orNil() != nil {
		return errs
	}
	return b.st.PutUnsortedRules(encodeRules(rs))
}

// Decision is what the rules say about one capture.
type Decision struct {
	// Asked is false when the capture's project (or Unsorted) has no
	// rules: the fallback answer goes out and nothing is recorded.
	Asked bool
	// Answered says a rule answered; Choice and Answer say which step,
	// rendered for the request. Otherwise the fallback answer goes out.
	Answered bool
	Choice   rules.Choice
	Answer   rules.Answer
	// Err is why the rules could not be asked (the counters could not be
	// written); the fallback answer goes out.
	Err error
}

// Decide asks c's rules how to answer it, once Classify has given it its
// project and signature status. Each rule it asks counts the request in
// the store, in the same transaction that picks its step, so concurrent
// requests each get their own step. A truncated capture is not asked: it
// keeps its 413, whatever answer its project asks for.
func (b *Book) Decide(c *store.Capture, now time.Time) Decision {
	rs := b.RulesFor(c)
	if len(rs) == 0 || c.Truncated {
		return Decision{}
	}
	req := RuleRequest(c)
	choice, ok, err := b.choose(c.Project, rs, rules.Matching(rs, req))
	if err != nil {
		return Decision{Asked: true, Err: fmt.Errorf("the rules could not be asked: %w", err)}
	}
	if !ok {
		return Decision{Asked: true}
	}
	return Decision{Asked: true, Answered: true, Choice: choice, Answer: choice.Answer(rs, req, now)}
}

// RuleRequest is what rules see of a capture.
func RuleRequest(c *store.Capture) *rules.Request {
	q, _ := url.ParseQuery(c.RawQuery) // what parses of a malformed query
	return &rules.Request{Method: c.Method, Path: c.Path, Header: c.Header, Query: q, Body: c.Body, Signature: c.Signature.Status}
}
