// Package notify decides which captures and deliveries are worth a desktop
// notification, coalesces them into one message every few seconds, and keeps
// the count of captures the user has not looked at yet. It is pure logic with
// an injected clock: the window sends what it returns.
package notify

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Choice is what a project (or Unsorted) wants to be told about.
type Choice string

// The choices; Default ("") means the default from Settings.
const (
	Default  Choice = ""
	All      Choice = "all"
	Problems Choice = "problems"
	Off      Choice = "off"
)

// Choices are the values a project may store, Default included.
var Choices = []Choice{Default, All, Problems, Off}

// Valid reports whether c is one of Choices.
func (c Choice) Valid() bool {
	for _, v := range Choices {
		if c == v {
			return true
		}
	}
	return false
}

// Resolve is c, or fallback when c is Default.
func (c Choice) Resolve(fallback Choice) Choice {
	if c == Default {
		return fallback
	}
	return c
}

// Kind is what happened.
type Kind int

// The things a notification can be about.
const (
	// Capture: a request arrived.
	Capture Kind = iota + 1
	// DeliveryFailed: a forward, replay or webhook call got no 2xx answer.
	DeliveryFailed
)

// Event is one thing that may be notified. Project is "" for Unsorted.
type Event struct {
	Kind    Kind
	Project string
	// Method and Path name a capture; Action and Error a delivery.
	Method, Path string
	// SignatureStatus is the capture's check ("" unchecked; "valid",
	// "unsigned" and "no_secret" are fine, anything else failed).
	SignatureStatus string
	// Truncated: the body was cut at the size limit.
	Truncated bool
	Action    string
	Error     string
}

// BadSignature reports whether the capture's signature was checked against
// a scheme and failed: invalid, missing, malformed or out of its time
// tolerance.
func (e Event) BadSignature() bool {
	switch e.SignatureStatus {
	case "", "valid", "unsigned", "no_secret":
		return false
	}
	return true
}

// Problem reports whether e is worth telling even under Problems.
func (e Event) Problem() bool {
	return e.Kind == DeliveryFailed || e.BadSignature() || e.Truncated
}

// Timing of the coalescing: a first event waits Gather for others to join
// it (a platform often sends a few webhooks at once), and two notifications
// are at least Interval apart.
const (
	Gather   = 2 * time.Second
	Interval = 5 * time.Second
)

// Message is one notification.
type Message struct {
	Title, Content string
}

// tally is what one project gathered since the last message.
type tally struct {
	captures, badSig, truncated, failed int
	// examples name the first few problems, so the user knows what to
	// open: a click on a notification cannot open it (Fyne has no action).
	examples []string
}

// maxExamples is how many problems a message names.
const maxExamples = 3

// Coalescer gathers events into messages. It is not safe for concurrent
// use: the window calls it from the UI goroutine only.
type Coalescer struct {
	// choice is a project's resolved choice ("" is Unsorted).
	choice  func(project string) Choice
	now     func() time.Time
	pending map[string]*tally
	first   time.Time // when the oldest pending event came
	last    time.Time // when the last message was taken
}

// NewCoalescer returns a coalescer that asks choice what each project wants
// and reads the time from now.
func NewCoalescer(choice func(project string) Choice, now func() time.Time) *Coalescer {
	return &Coalescer{choice: choice, now: now, pending: map[string]*tally{}}
}

// Add takes an event in, if its project wants it, and reports whether it
// did and when the next message is due.
func (c *Coalescer) Add(e Event) (due time.Time, taken bool) {
	switch c.choice(e.Project) {
	case All:
	case Problems:
		if !e.Problem() {
			return c.Due(), false
		}
	default:
		return c.Due(), false
	}
	if len(c.pending) == 0 {
		c.first = c.now()
	}
	t := c.pending[e.Project]
	if t == nil {
		t = &tally{}
		c.pending[e.Project] = t
	}
	t.add(e)
	return c.Due(), true
}

func (t *tally) add(e Event) {
	var example string
	switch {
	case e.Kind == DeliveryFailed:
		t.failed++
		example = fmt.Sprintf("%s delivery failed: %s", orDash(e.Action), orDash(e.Error))
	case e.BadSignature():
		t.captures++
		t.badSig++
		example = fmt.Sprintf("%s %s: signature %s", e.Method, e.Path, strings.ReplaceAll(e.SignatureStatus, "_", " "))
	case e.Truncated:
		t.captures++
		t.truncated++
		example = fmt.Sprintf("%s %s: cut at the size limit", e.Method, e.Path)
	default:
		t.captures++
	}
	if example != "" && len(t.examples) < maxExamples {
		t.examples = append(t.examples, example)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Due is when the pending events should be sent (zero when none are).
func (c *Coalescer) Due() time.Time {
	if len(c.pending) == 0 {
		return time.Time{}
	}
	due := c.first.Add(Gather)
	if next := c.last.Add(Interval); !c.last.IsZero() && next.After(due) {
		due = next
	}
	return due
}

// Take returns the message for the pending events once it is due, and
// forgets them; ok is false when nothing is pending or it is too early.
func (c *Coalescer) Take() (m Message, ok bool) {
	due := c.Due()
	if due.IsZero() || c.now().Before(due) {
		return Message{}, false
	}
	m = Compose(c.pending)
	c.pending = map[string]*tally{}
	c.last = c.now()
	return m, true
}

// ProjectName is how a message names a project ("" is Unsorted).
func ProjectName(slug string) string {
	if slug == "" {
		return "Unsorted"
	}
	return slug
}

// Compose writes the message for what each project gathered: one sentence
// per project, problems in brackets, then the first problems by name.
func Compose(pending map[string]*tally) Message {
	slugs := make([]string, 0, len(pending))
	for s := range pending {
		slugs = append(slugs, s)
	}
	// Projects with problems first, then the busiest, then by name.
	sort.Slice(slugs, func(i, j int) bool {
		a, b := pending[slugs[i]], pending[slugs[j]]
		pa, pb := a.problems(), b.problems()
		if pa != pb {
			return pa > pb
		}
		if a.captures != b.captures {
			return a.captures > b.captures
		}
		return slugs[i] < slugs[j]
	})
	var lines, examples []string
	names := make([]string, 0, len(slugs))
	for _, s := range slugs {
		t := pending[s]
		lines = append(lines, t.sentence(ProjectName(s)))
		names = append(names, ProjectName(s))
		for _, e := range t.examples {
			if len(examples) < maxExamples {
				examples = append(examples, ProjectName(s)+": "+e)
			}
		}
	}
	// One project: the title says it all, the content names the
	// problems. Several: the title counts them, the content has a line
	// each.
	title := "Hookscope: " + lines[0]
	body := examples
	if len(lines) > 1 {
		title = fmt.Sprintf("Hookscope: news in %d projects", len(lines))
		body = append(lines, examples...)
	}
	body = append(body, "Open "+strings.Join(names, ", ")+" in Hookscope's sidebar to see them.")
	return Message{Title: title, Content: strings.Join(body, "\n")}
}

func (t *tally) problems() int { return t.badSig + t.truncated + t.failed }

// sentence is "12 new captures in isahit (2 with invalid signatures)", or
// for deliveries alone "1 failed delivery in isahit".
func (t *tally) sentence(name string) string {
	var s string
	if t.captures > 0 {
		s = fmt.Sprintf("%s in %s", plural(t.captures, "new capture", "new captures"), name)
		var notes []string
		if t.badSig > 0 {
			notes = append(notes, fmt.Sprintf("%d with %s", t.badSig, word(t.badSig, "an invalid signature", "invalid signatures")))
		}
		if t.truncated > 0 {
			notes = append(notes, fmt.Sprintf("%d cut at the size limit", t.truncated))
		}
		if len(notes) > 0 {
			s += " (" + strings.Join(notes, ", ") + ")"
		}
	}
	if t.failed > 0 {
		f := plural(t.failed, "failed delivery", "failed deliveries")
		if s == "" {
			return f + " in " + name
		}
		s += "; " + f
	}
	return s
}

func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, word(n, one, many))
}

func word(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
