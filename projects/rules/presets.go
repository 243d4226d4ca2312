package rules

// Pass is the step that gives the fallback answer (the project's own, or
// the receiver's default): the other requests of an "only the Nth"
// sequence get it.
var Pass = Step{Action: ActionRespond}

// OnlyNth is a rule whose n-th matching request (from 1) gets fail and
// every other one the answer it would get without this rule.
func OnlyNth(name string, m Match, n int, fail Step) Rule {
	return Rule{Name: name, Enabled: true, Match: m, Steps: nthSteps(n, fail), After: AfterNextRule}
}

// EveryNth is a rule whose n-th, 2n-th, 3n-th… matching requests get fail
// and the others the answer they would get without this rule.
func EveryNth(name string, m Match, n int, fail Step) Rule {
	return Rule{Name: name, Enabled: true, Match: m, Steps: nthSteps(n, fail), After: AfterCycle}
}

func nthSteps(n int, fail Step) []Step {
	n = max(1, min(n, MaxSteps))
	steps := make([]Step, n)
	for i := range n - 1 {
		steps[i] = Pass
	}
	steps[n-1] = fail
	return steps
}

// Preset is a ready rule the rules form offers.
type Preset struct {
	Title string
	Rule  Rule
}

const jsonType = "application/json"

// Presets are the failures senders most need to be tested against. Each
// matches every request; the form lets the user narrow it.
func Presets() []Preset {
	fail500 := Step{Action: ActionRespond, Status: 500,
		Headers: map[string]string{"Content-Type": jsonType},
		Body:    `{"error":"internal error (a Hookscope rule failed this request on purpose)"}`}
	return []Preset{
		{"fail twice then succeed", Rule{Name: "fail twice then succeed", Enabled: true,
			Steps: []Step{fail500, fail500, {Action: ActionRespond, Status: 200}}, After: AfterRepeatLast}},
		{"always 500", Rule{Name: "always 500", Enabled: true, Steps: []Step{fail500}, After: AfterRepeatLast}},
		{"slow 30 s", Rule{Name: "slow 30 s", Enabled: true,
			Steps: []Step{{Action: ActionRespond, DelayMS: 30_000}}, After: AfterRepeatLast}},
		// Retry-After in seconds (RFC 9110, section 10.2.3) with 429 (RFC
		// 6585, section 4), as rate-limited APIs answer.
		{"rate limited (429 + Retry-After)", Rule{Name: "rate limited", Enabled: true,
			Steps: []Step{{Action: ActionRespond, Status: 429,
				Headers: map[string]string{"Retry-After": "30", "Content-Type": jsonType},
				Body:    `{"error":"rate limited, retry after 30 s"}`}}, After: AfterRepeatLast}},
		{"drop connection", Rule{Name: "drop connection", Enabled: true,
			Steps: []Step{{Action: ActionDrop}}, After: AfterRepeatLast}},
	}
}
