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

// Event is one thing that may be notified. Project is the slug, "" for
// Unsorted; Name is how the user knows the project (its slug when empty).
type Event struct {
	Kind          Kind
	Project, Name string
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

// DisplayName is how a message names e's project: its name, else its slug;
// Unsorted for Unsorted.
func (e Event) DisplayName() string {
	switch {
	case e.Project == "":
		return "Unsorted"
	case e.Name == "":
		return e.Project
	}
	return e.Name
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

// missingSignature is the SignatureStatus of a capture that came without
// the scheme's signature header: told apart from a signature that is there
// and wrong, which points at a wrong secret rather than a sender that does
// not sign.
const missingSignature = "missing_header"

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

// Message is one notification. Urgent: it tells of a problem, which the
// desktop may show until dismissed.
type Message struct {
	Title, Content string
	Urgent         bool
}

// line is one line of a message's content: a capture by method and path or
// a failed delivery, n times over.
type line struct {
	text string
	n    int
}

// tally is what one project gathered since the last message.
type tally struct {
	name                                       string
	captures, badSig, noSig, truncated, failed int
	// problems and plain name what came in, problems first, so the user
	// knows what to open: a click on a notification cannot open it (Fyne
	// has no action). Identical lines are counted, not repeated.
	problems, plain []line
}

// maxLines is how many distinct lines a message's content names.
const maxLines = 3

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
	t.name = e.DisplayName()
	switch {
	case e.Kind == DeliveryFailed:
		t.failed++
		t.problems = count(t.problems, fmt.Sprintf("%s delivery failed: %s", orDash(e.Action), orDash(e.Error)))
	case e.SignatureStatus == missingSignature:
		t.captures++
		t.noSig++
		t.problems = count(t.problems, fmt.Sprintf("%s %s: signature missing", e.Method, e.Path))
	case e.BadSignature():
		t.captures++
		t.badSig++
		t.problems = count(t.problems, fmt.Sprintf("%s %s: signature %s", e.Method, e.Path, strings.ReplaceAll(e.SignatureStatus, "_", " ")))
	case e.Truncated:
		t.captures++
		t.truncated++
		t.problems = count(t.problems, fmt.Sprintf("%s %s: cut at the size limit", e.Method, e.Path))
	default:
		t.captures++
		t.plain = count(t.plain, e.Method+" "+e.Path)
	}
}

// count adds one to the line reading text, or appends it while there is
// room for it in a message.
func count(lines []line, text string) []line {
	for i := range lines {
		if lines[i].text == text {
			lines[i].n++
			return lines
		}
	}
	if len(lines) >= maxLines {
		return lines
	}
	return append(lines, line{text: text, n: 1})
}

func (l line) String() string {
	if l.n == 1 {
		return l.text
	}
	return fmt.Sprintf("%d × %s", l.n, l.text)
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

// Compose writes the message for what each project gathered: one sentence
// per project, problems in brackets, then the first few captures and
// failures by name, problems first, and where to look.
func Compose(pending map[string]*tally) Message {
	slugs := make([]string, 0, len(pending))
	for s := range pending {
		slugs = append(slugs, s)
	}
	// Projects with problems first, then the busiest, then by name.
	sort.Slice(slugs, func(i, j int) bool {
		a, b := pending[slugs[i]], pending[slugs[j]]
		pa, pb := a.problemCount(), b.problemCount()
		if pa != pb {
			return pa > pb
		}
		if a.captures != b.captures {
			return a.captures > b.captures
		}
		return slugs[i] < slugs[j]
	})
	var sentences, problems, plain []string
	names := make([]string, 0, len(slugs))
	events := 0
	for _, s := range slugs {
		t := pending[s]
		sentences = append(sentences, t.sentence())
		names = append(names, t.name)
		events += t.captures + t.failed
		for _, l := range t.problems {
			problems = append(problems, t.name+": "+l.String())
		}
		for _, l := range t.plain {
			plain = append(plain, t.name+": "+l.String())
		}
	}
	named := append(problems, plain...)
	named = named[:min(len(named), maxLines)]
	// One project: the title says it all, the content names what came.
	// Several: the title counts them, the content has a sentence each.
	title := "Hookscope: " + sentences[0]
	body := named
	if len(sentences) > 1 {
		title = fmt.Sprintf("Hookscope: news in %d projects", len(sentences))
		body = append(sentences, named...)
	}
	body = append(body, fmt.Sprintf("Open %s in Hookscope's sidebar to see %s.", strings.Join(names, ", "), word(events, "it", "them")))
	return Message{Title: title, Content: strings.Join(body, "\n"), Urgent: len(problems) > 0}
}

func (t *tally) problemCount() int { return t.badSig + t.noSig + t.truncated + t.failed }

// sentence is "12 new captures in Isahit (2 with invalid signatures)", or
// for deliveries alone "1 failed delivery in Isahit".
func (t *tally) sentence() string {
	name := t.name
	var s string
	if t.captures > 0 {
		s = fmt.Sprintf("%s in %s", plural(t.captures, "new capture", "new captures"), name)
		var notes []string
		if t.badSig > 0 {
			notes = append(notes, fmt.Sprintf("%d with %s", t.badSig, word(t.badSig, "an invalid signature", "invalid signatures")))
		}
		if t.noSig > 0 {
			notes = append(notes, fmt.Sprintf("%d with %s", t.noSig, word(t.noSig, "a missing signature", "missing signatures")))
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
