package diff

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Titles name the first two sections of a report's text: what the
// messages' first line and headers are depends on what is compared (a
// request's line, an answer's status).
type Titles struct {
	Line, Headers string
}

// RequestTitles are the sections' titles for two requests.
var RequestTitles = Titles{Line: "request", Headers: "headers"}

// Text writes the differences of two requests as plain text, for "Copy
// diff"; see TextTitled.
func (r Report) Text() string { return r.TextTitled(RequestTitles) }

// TextTitled writes the differences as plain text: a section each for the
// first line and the headers, titled t, and the body, each difference as
// "- " lines for the left side and "+ " lines for the right, as a unified
// diff marks them. What is alike is left out.
func (r Report) TextTitled(t Titles) string {
	if r.Same() {
		return "no differences" + r.ignoredText() + "\n"
	}
	var b strings.Builder
	var section []string
	for _, f := range r.Request {
		if f.Change != ChangeSame {
			section = append(section, sideLines(f.Name+": ", f.A, f.B, f.Change)...)
		}
	}
	writeSection(&b, t.Line, section)
	section = nil
	for _, h := range r.Headers {
		if h.Change == ChangeSame {
			continue
		}
		for _, v := range h.A {
			section = append(section, "- "+h.Name+": "+v)
		}
		for _, v := range h.B {
			section = append(section, "+ "+h.Name+": "+v)
		}
	}
	writeSection(&b, t.Headers, section)
	writeSection(&b, "body ("+r.Body.Kind+")", r.Body.lines())
	if s := r.ignoredText(); s != "" {
		b.WriteString(strings.TrimSpace(s) + "\n")
	}
	return b.String()
}

func (r Report) ignoredText() string {
	switch r.IgnoredChanges {
	case 0:
		return ""
	case 1:
		return " (1 difference ignored)"
	}
	return fmt.Sprintf(" (%d differences ignored)", r.IgnoredChanges)
}

func writeSection(b *strings.Builder, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	b.WriteString(title + "\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
}

// lines is the body's differences: a JSON change on one line a side
// ("- data.type: \"annotation\""), a run of text lines under its place
// ("@ line 12"), and the note and sizes of binary bodies.
func (br BodyReport) lines() []string {
	var out []string
	if br.Note != "" {
		out = append(out, "note: "+br.Note)
	}
	if br.Binary != nil && len(br.Changes) > 0 {
		out = append(out, fmt.Sprintf("sizes: %d and %d bytes", br.Binary.LeftSize, br.Binary.RightSize))
	}
	for _, c := range br.Changes {
		a, b := c.Sides()
		switch br.Kind {
		case BodyText:
			out = append(out, "@ "+c.Path)
			out = append(out, runLines("- ", c.A, a)...)
			out = append(out, runLines("+ ", c.B, b)...)
		default:
			path := c.Path
			if path == "" {
				path = "(root)"
			}
			out = append(out, sideLines(path+": ", a, b, c.Change)...)
		}
	}
	return out
}

// runLines marks each line of one side of a text run; a side without lines
// (v nil) gives none.
func runLines(mark string, v any, s string) []string {
	if v == nil {
		return nil
	}
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = mark + l
	}
	return ls
}

// sideLines writes one difference as "- " and "+ " lines, each side only
// when it has the value.
func sideLines(prefix, a, b, change string) []string {
	var out []string
	if change != ChangeAdded {
		out = append(out, "- "+prefix+a)
	}
	if change != ChangeRemoved {
		out = append(out, "+ "+prefix+b)
	}
	return out
}

// Sides is the change's two values as text, for a view or a copy: JSON as
// compact JSON, "" on a side that lacks the value.
func (c BodyChange) Sides() (a, b string) {
	return sideText(c.A), sideText(c.B)
}

func sideText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}
