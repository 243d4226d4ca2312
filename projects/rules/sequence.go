package rules

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/net/http/httpguts"
)

// StepFor is the index of the step that answers the rule's n-th matching
// request (n from 1), and false when the rule no longer answers it
// (AfterNextRule past the last step).
func (r Rule) StepFor(n uint64) (int, bool) {
	k := uint64(len(r.Steps))
	if k == 0 || n == 0 {
		return 0, false
	}
	if n <= k {
		return int(n - 1), true
	}
	switch r.AfterOrDefault() {
	case AfterCycle:
		return int((n - 1) % k), true
	case AfterNextRule:
		return 0, false
	default:
		return int(k - 1), true
	}
}

// Matching returns the indexes of the enabled rules req matches, in order.
func Matching(rs []Rule, req *Request) []int {
	var out []int
	for i, r := range rs {
		if r.Enabled && r.Match.Matches(req) {
			out = append(out, i)
		}
	}
	return out
}

// Counter counts one more match of rule i and returns its count, this
// match included. The store's counts it in the transaction that picks the
// step, so concurrent requests each get their own count.
type Counter func(i int) (uint64, error)

// Choice is the rule and step that answer a request.
type Choice struct {
	Rule int    // index in the list
	Name string // the rule's name
	Step int    // index in the rule's steps
	N    uint64 // the rule's count, this request included
}

// Choose walks the matching rules in order, counting each one it asks, and
// returns the first that answers. ok is false when none does (no rule
// matched, or every one that did is past its last step with AfterNextRule):
// the fallback answer goes out.
func Choose(rs []Rule, matching []int, next Counter) (c Choice, ok bool, err error) {
	for _, i := range matching {
		n, err := next(i)
		if err != nil {
			return Choice{}, false, fmt.Errorf("count rule %q: %w", rs[i].Name, err)
		}
		if step, ok := rs[i].StepFor(n); ok {
			return Choice{Rule: i, Name: rs[i].Name, Step: step, N: n}, true, nil
		}
	}
	return Choice{}, false, nil
}

// Answer is a step made concrete for one request: templates rendered.
type Answer struct {
	Action string
	// Status is 0 for the fallback answer's status.
	Status int
	// Header is set over the fallback answer's headers.
	Header http.Header
	// Body replaces the fallback answer's body when HasBody.
	Body    []byte
	HasBody bool
	// Delay comes before the action; for ActionHang, Hang bounds it.
	Delay time.Duration
	Hang  time.Duration
	// Err joins the template errors met; those fields went out as written,
	// but for a status, which falls back to the fallback answer's (Status 0).
	Err error
}

// Answer renders step c.Step of rule rs[c.Rule] for req at now.
func (c Choice) Answer(rs []Rule, req *Request, now time.Time) Answer {
	st := rs[c.Rule].Steps[c.Step]
	e := &env{req: req, n: c.N, now: now}
	a := Answer{Action: st.Action, Status: st.Status, Delay: time.Duration(st.DelayMS) * time.Millisecond}
	if st.Action == ActionHang {
		a.Delay, a.Hang = 0, MaxHang
		if st.DelayMS > 0 {
			a.Hang = min(time.Duration(st.DelayMS)*time.Millisecond, MaxHang)
		}
	}
	var errs []error
	if st.StatusText != "" {
		n, err := e.renderStatus(st.StatusText)
		if err != nil {
			errs = append(errs, fmt.Errorf("status: %w", err))
		}
		a.Status = n
	}
	if len(st.Headers) > 0 {
		a.Header = http.Header{}
		for name, v := range st.Headers {
			out, err := e.render(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("header %s: %w", name, err))
			} else if !httpguts.ValidHeaderFieldValue(out) {
				errs = append(errs, fmt.Errorf("header %s: the template produced a line break or control character", name))
				out = v
			}
			a.Header.Set(name, out)
		}
	}
	if st.Body != "" {
		out, err := e.render(st.Body)
		if err != nil {
			errs = append(errs, fmt.Errorf("body: %w", err))
		}
		a.Body, a.HasBody = []byte(out), true
	}
	a.Err = errors.Join(errs...)
	return a
}

// DryRun says which rule and step would answer req as things stand,
// without counting: counts[i] is rule i's count so far (the form's "Test
// rule" box shows it before anything is sent).
func DryRun(rs []Rule, req *Request, counts []uint64) (Choice, bool) {
	c, ok, _ := Choose(rs, Matching(rs, req), func(i int) (uint64, error) {
		if i < len(counts) {
			return counts[i] + 1, nil
		}
		return 1, nil
	})
	return c, ok
}

// Summary says what a step does in a few words: "respond 500",
// "after 30 s: respond (fallback status)", "hang (at most 2m0s)".
func (st Step) Summary() string {
	var what string
	switch st.Action {
	case ActionRespond, ActionPartial:
		what = st.Action + " " + strconv.Itoa(st.Status)
		if st.StatusText != "" {
			what = st.Action + " " + st.StatusText
		} else if st.Status == 0 {
			what = st.Action + " (fallback status)"
		}
	case ActionHang:
		bound := MaxHang
		if st.DelayMS > 0 {
			bound = min(time.Duration(st.DelayMS)*time.Millisecond, MaxHang)
		}
		return fmt.Sprintf("hang (at most %s)", bound)
	default:
		what = st.Action
	}
	if st.DelayMS > 0 {
		return fmt.Sprintf("after %s: %s", time.Duration(st.DelayMS)*time.Millisecond, what)
	}
	return what
}
