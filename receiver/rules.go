package receiver

import (
	"fmt"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

// rulePlan is what a response rule decided for one capture, beyond the
// answer it put in the capture: the action and how long to wait first.
type rulePlan struct {
	action string
	delay  time.Duration
	hang   time.Duration
	by     store.AnsweredBy
}

// applyRules asks the capture's rules (through the book) how to answer it,
// once prepare has set its project, fallback answer and signature status.
// It sets c.Response and c.AnsweredBy and returns the plan, or nil when
// there are no rules to ask (the fallback answer and its delay stand). The
// rules count the request here, before the capture is stored: a sender
// retrying at once gets the next step.
func (s *Server) applyRules(c *store.Capture, fallbackDelay time.Duration) *rulePlan {
	d := s.book.Decide(c, s.opts.Now())
	switch {
	case !d.Asked:
		return nil
	case d.Err != nil:
		c.AnsweredBy = &store.AnsweredBy{Action: rules.ActionRespond, Detail: d.Err.Error()}
		return &rulePlan{action: rules.ActionRespond, delay: fallbackDelay, by: *c.AnsweredBy}
	case !d.Answered:
		c.AnsweredBy = &store.AnsweredBy{Action: rules.ActionRespond, Detail: "no rule answered: the fallback answer"}
		return &rulePlan{action: rules.ActionRespond, delay: fallbackDelay, by: *c.AnsweredBy}
	}
	a := d.Answer
	plan := &rulePlan{action: a.Action, delay: a.Delay, hang: a.Hang}
	if a.Status == 0 && a.Delay == 0 {
		// The fallback answer, whole: its delay too.
		plan.delay = fallbackDelay
	}
	switch a.Action {
	case rules.ActionRespond, rules.ActionPartial:
		c.Response = ruleResponse(c.Response, a)
	default:
		// Nothing is sent: no status, no header, no byte.
		c.Response = store.Response{}
	}
	plan.by = store.AnsweredBy{Rule: d.Choice.Name, Step: d.Choice.Step, Action: a.Action, Detail: describePlan(plan, c.Response)}
	if a.Err != nil {
		plan.by.Detail += "; template error, sent as written: " + a.Err.Error()
	}
	c.AnsweredBy = &plan.by
	return plan
}

// describePlan says in words what the plan will do, as recorded with the
// capture before it is done.
func describePlan(p *rulePlan, resp store.Response) string {
	var what string
	switch p.action {
	case rules.ActionRespond:
		what = fmt.Sprintf("status %d", resp.Status)
	case rules.ActionDrop:
		what = "dropped the connection without a byte"
	case rules.ActionReset:
		what = "reset the connection (TCP RST)"
	case rules.ActionPartial:
		what = fmt.Sprintf("status %d: sent the headers and %d of %d body bytes, then closed the connection", resp.Status, partialLen(resp.Body), len(resp.Body))
	case rules.ActionHang:
		return fmt.Sprintf("hanging: sends nothing until the sender gives up (at most %s)", p.hang)
	}
	if p.delay > 0 {
		return fmt.Sprintf("after %s: %s", p.delay, what)
	}
	return what
}

// partialLen is how much of a body a partial answer sends: half.
func partialLen(body []byte) int { return len(body) / 2 }

// ruleResponse is the answer a rule's step gives over the fallback answer
// (see answerOver).
func ruleResponse(fallback store.Response, a rules.Answer) store.Response {
	return answerOver(fallback, a.Status, a.Body, a.HasBody, a.Header)
}
