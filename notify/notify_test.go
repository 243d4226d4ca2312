package notify

import (
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func choices(m map[string]Choice, def Choice) func(string) Choice {
	return func(p string) Choice { return m[p].Resolve(def) }
}

func capture(project, path, sig string) Event {
	return Event{Kind: Capture, Project: project, Method: "POST", Path: path, SignatureStatus: sig}
}

func TestWhichEventsCount(t *testing.T) {
	truncated := capture("kili", "/kili/big", "")
	truncated.Truncated = true
	failed := Event{Kind: DeliveryFailed, Project: "kili", Action: "ingested", Error: "503 Service Unavailable"}
	cases := []struct {
		name   string
		choice Choice
		event  Event
		want   bool
	}{
		{"all takes a plain capture", All, capture("kili", "/kili/a", ""), true},
		{"all takes a valid one", All, capture("kili", "/kili/a", "valid"), true},
		{"problems skips a valid one", Problems, capture("kili", "/kili/a", "valid"), false},
		{"problems skips an unsigned one", Problems, capture("kili", "/kili/a", "unsigned"), false},
		{"problems skips one with no secret", Problems, capture("kili", "/kili/a", "no_secret"), false},
		{"problems takes an invalid signature", Problems, capture("kili", "/kili/a", "invalid"), true},
		{"problems takes a missing signature", Problems, capture("kili", "/kili/a", "missing_header"), true},
		{"problems takes a stale timestamp", Problems, capture("kili", "/kili/a", "timestamp_out_of_tolerance"), true},
		{"problems takes a truncated body", Problems, truncated, true},
		{"problems takes a failed delivery", Problems, failed, true},
		{"off takes nothing", Off, capture("kili", "/kili/a", "invalid"), false},
		{"off takes no failed delivery", Off, failed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1000, 0)}
			c := NewCoalescer(func(string) Choice { return tc.choice }, clk.now)
			_, taken := c.Add(tc.event)
			if taken != tc.want {
				t.Fatalf("taken = %v, want %v", taken, tc.want)
			}
			clk.advance(time.Hour)
			if _, ok := c.Take(); ok != tc.want {
				t.Fatalf("a message = %v, want %v", ok, tc.want)
			}
		})
	}
}

func TestChoicePerProjectWithDefault(t *testing.T) {
	pick := choices(map[string]Choice{"isahit": Off, "": Problems}, All)
	cases := map[string]Choice{"isahit": Off, "": Problems, "kili": All}
	for p, want := range cases {
		if got := pick(p); got != want {
			t.Errorf("choice of %q = %q, want %q", p, got, want)
		}
	}
	for _, c := range []Choice{"", "all", "problems", "off"} {
		if !c.Valid() {
			t.Errorf("%q not valid", c)
		}
	}
	if Choice("some").Valid() {
		t.Error(`"some" is valid`)
	}
}

// Three captures in a burst, one with a bad signature: one message, after
// the gathering time, that names the bad one.
func TestBurstIsOneMessageNamingTheBadOne(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	c := NewCoalescer(choices(nil, All), clk.now)
	due, _ := c.Add(capture("isahit", "/isahit/ingested", "valid"))
	if want := clk.t.Add(Gather); !due.Equal(want) {
		t.Fatalf("due %v, want %v", due, want)
	}
	clk.advance(300 * time.Millisecond)
	c.Add(capture("isahit", "/isahit/annotation", "invalid"))
	clk.advance(300 * time.Millisecond)
	c.Add(capture("isahit", "/isahit/review", "valid"))
	if _, ok := c.Take(); ok {
		t.Fatal("a message before the gathering time ended")
	}
	clk.advance(Gather)
	m, ok := c.Take()
	if !ok {
		t.Fatal("no message once due")
	}
	if m.Title != "Hookscope: 3 new captures in isahit (1 with an invalid signature)" {
		t.Errorf("title %q", m.Title)
	}
	if !strings.Contains(m.Content, "isahit: POST /isahit/annotation: signature invalid") {
		t.Errorf("content does not name the bad capture:\n%s", m.Content)
	}
	if !strings.Contains(m.Content, "Open isahit in Hookscope's sidebar") {
		t.Errorf("content does not say where to look:\n%s", m.Content)
	}
	if _, ok := c.Take(); ok {
		t.Fatal("a second message for the same events")
	}
}

// At most one message per Interval, however events trickle in.
func TestAtMostOneMessagePerInterval(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	c := NewCoalescer(choices(nil, All), clk.now)
	var sent []time.Time
	var counted int
	for range 60 { // one capture every 500 ms for 30 s
		c.Add(capture("kili", "/kili/x", ""))
		if m, ok := c.Take(); ok {
			sent = append(sent, clk.t)
			counted += countIn(t, m.Title)
		}
		clk.advance(500 * time.Millisecond)
	}
	clk.advance(time.Minute)
	if m, ok := c.Take(); ok {
		sent = append(sent, clk.t)
		counted += countIn(t, m.Title)
	}
	for i := 1; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-1]); gap < Interval {
			t.Errorf("messages %d and %d only %v apart", i-1, i, gap)
		}
	}
	if counted != 60 {
		t.Errorf("messages counted %d captures, want all 60", counted)
	}
	if len(sent) < 2 {
		t.Errorf("%d messages over 30 s of captures", len(sent))
	}
}

func countIn(t *testing.T, title string) int {
	t.Helper()
	var n int
	rest, ok := strings.CutPrefix(title, "Hookscope: ")
	if !ok {
		t.Fatalf("title %q", title)
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func named(e Event, name string) Event {
	e.Name = name
	return e
}

// The message as the user reads it: the project by its name, identical
// lines counted instead of repeated, singular and plural right.
func TestMessageText(t *testing.T) {
	big := capture("kili", "/kili/big", "")
	big.Truncated = true
	isahit := func(path, sig string) Event { return named(capture("isahit", path, sig), "Isahit") }
	cases := []struct {
		name           string
		events         []Event
		title, content string
		urgent         bool
	}{
		{
			name:    "one capture: it",
			events:  []Event{isahit("/isahit/results", "")},
			title:   "Hookscope: 1 new capture in Isahit",
			content: "Isahit: POST /isahit/results\nOpen Isahit in Hookscope's sidebar to see it.",
		},
		{
			name:    "same path three times: one line, counted",
			events:  repeat(isahit("/isahit/results", ""), 3),
			title:   "Hookscope: 3 new captures in Isahit",
			content: "Isahit: 3 × POST /isahit/results\nOpen Isahit in Hookscope's sidebar to see them.",
		},
		{
			name:    "a project with no name goes by its slug",
			events:  []Event{capture("kili", "/kili/a", ""), capture("kili", "/kili/b", "")},
			title:   "Hookscope: 2 new captures in kili",
			content: "kili: POST /kili/a\nkili: POST /kili/b\nOpen kili in Hookscope's sidebar to see them.",
		},
		{
			name:    "Unsorted",
			events:  []Event{capture("", "/favicon.ico", "")},
			title:   "Hookscope: 1 new capture in Unsorted",
			content: "Unsorted: POST /favicon.ico\nOpen Unsorted in Hookscope's sidebar to see it.",
		},
		{
			name: "problems first, each bad path once",
			events: append(append(repeat(isahit("/isahit/a", "valid"), 8), repeat(isahit("/isahit/b", "invalid"), 3)...),
				isahit("/isahit/c", "missing_header")),
			title: "Hookscope: 12 new captures in Isahit (3 with invalid signatures, 1 with a missing signature)",
			content: "Isahit: 3 × POST /isahit/b: signature invalid\nIsahit: POST /isahit/c: signature missing\n" +
				"Isahit: 8 × POST /isahit/a\nOpen Isahit in Hookscope's sidebar to see them.",
			urgent: true,
		},
		{
			name:    "missing signatures are not called invalid",
			events:  repeat(isahit("/isahit/d", "missing_header"), 2),
			title:   "Hookscope: 2 new captures in Isahit (2 with missing signatures)",
			content: "Isahit: 2 × POST /isahit/d: signature missing\nOpen Isahit in Hookscope's sidebar to see them.",
			urgent:  true,
		},
		{
			name:    "a truncated body",
			events:  []Event{big},
			title:   "Hookscope: 1 new capture in kili (1 cut at the size limit)",
			content: "kili: POST /kili/big: cut at the size limit\nOpen kili in Hookscope's sidebar to see it.",
			urgent:  true,
		},
		{
			name:    "a failed delivery alone",
			events:  []Event{{Kind: DeliveryFailed, Project: "kili", Name: "Kili", Action: "ingested", Error: "dial tcp: connection refused"}},
			title:   "Hookscope: 1 failed delivery in Kili",
			content: "Kili: ingested delivery failed: dial tcp: connection refused\nOpen Kili in Hookscope's sidebar to see it.",
			urgent:  true,
		},
		{
			name:   "two projects, the one with problems first",
			events: []Event{capture("", "/x", ""), capture("", "/x", ""), isahit("/isahit/a", "invalid")},
			title:  "Hookscope: news in 2 projects",
			content: "1 new capture in Isahit (1 with an invalid signature)\n2 new captures in Unsorted\n" +
				"Isahit: POST /isahit/a: signature invalid\nUnsorted: 2 × POST /x\nOpen Isahit, Unsorted in Hookscope's sidebar to see them.",
			urgent: true,
		},
		{
			name:   "at most three lines named",
			events: []Event{isahit("/1", "invalid"), isahit("/2", "invalid"), isahit("/3", ""), isahit("/4", "invalid"), isahit("/1", "invalid")},
			title:  "Hookscope: 5 new captures in Isahit (4 with invalid signatures)",
			content: "Isahit: 2 × POST /1: signature invalid\nIsahit: POST /2: signature invalid\nIsahit: POST /4: signature invalid\n" +
				"Open Isahit in Hookscope's sidebar to see them.",
			urgent: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1000, 0)}
			c := NewCoalescer(choices(nil, All), clk.now)
			for _, e := range tc.events {
				c.Add(e)
			}
			clk.advance(Gather)
			m, ok := c.Take()
			if !ok {
				t.Fatal("no message")
			}
			if m.Title != tc.title {
				t.Errorf("title %q\nwant  %q", m.Title, tc.title)
			}
			if m.Content != tc.content {
				t.Errorf("content:\n%s\nwant:\n%s", m.Content, tc.content)
			}
			if m.Urgent != tc.urgent {
				t.Errorf("urgent = %v, want %v", m.Urgent, tc.urgent)
			}
		})
	}
}

func repeat(e Event, n int) []Event {
	out := make([]Event, n)
	for i := range out {
		out[i] = e
	}
	return out
}

func TestUnread(t *testing.T) {
	u := NewUnread()
	if got := u.Title("Hookscope"); got != "Hookscope" {
		t.Errorf("empty title %q", got)
	}
	u.Add("isahit")
	u.Add("isahit")
	u.Add("")
	if got := u.Title("Hookscope"); got != "Hookscope (3 new)" {
		t.Errorf("title %q", got)
	}
	if u.Count("isahit") != 2 || u.Count("") != 1 || u.Count("kili") != 0 {
		t.Errorf("counts %d %d %d", u.Count("isahit"), u.Count(""), u.Count("kili"))
	}
	u.Seen("isahit")
	if got := u.Title("Hookscope"); got != "Hookscope (1 new)" {
		t.Errorf("after viewing isahit: %q", got)
	}
	u.Add("kili")
	u.SeenAll()
	if u.Total() != 0 || u.Count("kili") != 0 {
		t.Errorf("after viewing all: total %d", u.Total())
	}
}
