// Package rules decides how the receiver answers a capture when its project
// (or Unsorted) has response rules: an ordered list, first match wins, each
// rule a sequence of steps (respond, drop, hang, reset, partial) taken in
// turn as requests match it, so a receiver can fail the way real consumers
// fail — 500 twice then 200, a 429 with Retry-After, a cut connection.
//
// The package is pure: it sees a small view of the request (Request) and is
// given the rule's counter by its caller, which keeps the counters (the
// store, in the same transaction that picks the step).
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Rule is one response rule. The JSON names are those of the API's project
// JSON ("rules": [...]).
type Rule struct {
	Name    string `json:"name"`
	Enabled bool   `json:"enabled"`
	Match   Match  `json:"match"`
	Steps   []Step `json:"steps"`
	// After says what answers once every step was taken: AfterRepeatLast
	// (the default when empty), AfterCycle or AfterNextRule.
	After string `json:"after,omitempty"`
}

// Match selects the requests a rule answers. Every field is optional; an
// empty Match matches every request.
//
// Headers, Query and Body map a name (a header name, a query parameter, a
// dotted JSON path) to a condition on its value: "" means present, a value
// between slashes ("/^ing/") is a regular expression (RE2 syntax), anything
// else must be equal. Body paths use GJSON syntax ("type",
// "data.eventType", "docs.#" for an array's length; see
// https://github.com/tidwall/gjson/blob/master/SYNTAX.md).
type Match struct {
	Methods []string          `json:"methods,omitempty"`
	Path    string            `json:"path,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Query   map[string]string `json:"query,omitempty"`
	Body    map[string]string `json:"body,omitempty"`
	// Signature is "valid", "invalid" or "missing" (see SignatureValid).
	Signature string `json:"signature,omitempty"`
}

// Step is one answer of a rule's sequence. Status, Headers and Body may use
// templates (see Template). In JSON, "status" is a number (Status) or a
// string (StatusText), and is written back as it was read (see MarshalJSON).
type Step struct {
	Action string `json:"action"`
	// Status is the answer's status; 0 gives the fallback answer (the
	// project's own, or the receiver's default) with the step's headers and
	// body over it, which is how "only the Nth request" passes the others.
	Status int `json:"-"`
	// StatusText is a status written as a JSON string, usually a template
	// ("{{query.code}}"); it is rendered for each answer, and a result that
	// is not a status from 200 to 599 gives the fallback answer's status
	// with the error recorded. Status is 0 when it is set.
	StatusText string            `json:"-"`
	Headers    map[string]string `json:"headers,omitempty"`
	Body       string            `json:"body,omitempty"`
	// DelayMS waits before the action; for ActionHang it is how long to
	// hang at most (MaxHang when 0).
	DelayMS int `json:"delay_ms,omitempty"`
}

// Actions a step takes. AnsweredBy.Action uses the same words.
const (
	ActionRespond = "respond" // answer status, headers and body
	ActionDrop    = "drop"    // close the connection without a byte
	ActionHang    = "hang"    // send nothing until the sender gives up (at most MaxHang)
	ActionReset   = "reset"   // abort the connection with a TCP RST
	ActionPartial = "partial" // send the headers and half the body, then close
)

// Actions lists the step actions, in the order a form offers them.
var Actions = []string{ActionRespond, ActionDrop, ActionHang, ActionReset, ActionPartial}

// What answers after the last step.
const (
	AfterRepeatLast = "repeat_last" // the last step again
	AfterCycle      = "cycle"       // the first step again, and so on
	AfterNextRule   = "next_rule"   // this rule no longer answers: the next one that matches does
)

// Afters lists the after-last choices.
var Afters = []string{AfterRepeatLast, AfterCycle, AfterNextRule}

// Signature conditions of Match.Signature.
const (
	SignatureValid   = "valid"
	SignatureInvalid = "invalid"
	SignatureMissing = "missing"
)

// Bounds of a rule list.
const (
	MaxRules = 100
	MaxSteps = 1000
	// MaxDelay bounds DelayMS: a sender's timeout is rarely above two
	// minutes, and a held request holds a connection.
	MaxDelay = 120 * time.Second
	// MaxHang bounds a hang when the sender never gives up.
	MaxHang = 120 * time.Second
	// MaxBodyTemplate bounds a step's body, template included.
	MaxBodyTemplate = 1 << 20
)

// Hash identifies a rule's content: a rule's counter restarts when its hash
// changes, so an edited sequence starts from its first step. Enabled is left
// out: switching a rule off and on again keeps its place.
func (r Rule) Hash() string {
	r.Enabled = false
	b, _ := json.Marshal(r) // a Rule always marshals: maps, strings and ints (Step.MarshalJSON too)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// CatchAll reports whether r answers every request that reaches it, for
// good: it is enabled, its Match is empty, and it never hands over to the
// next rule. No rule after it ever answers.
func (r Rule) CatchAll() bool {
	return r.Enabled && r.Match.empty() && r.AfterOrDefault() != AfterNextRule
}

// empty reports whether m sets no condition, and so matches every request.
func (m Match) empty() bool {
	return len(m.Methods) == 0 && m.Path == "" && len(m.Headers) == 0 && len(m.Query) == 0 && len(m.Body) == 0 && m.Signature == ""
}

// AfterOrDefault is r.After with the empty value read as AfterRepeatLast.
func (r Rule) AfterOrDefault() string {
	if r.After == "" {
		return AfterRepeatLast
	}
	return r.After
}
