package projects

import (
	"maps"
	"slices"
	"strings"
)

// FieldErrors says what is wrong with a project: a message per field path
// ("slug", "webhooks[1].url", "webhooks[0].headers[2].name",
// "response.status", "templates.integration", …). The API answers it 400
// with the map as "fields"; the window shows each message beside its field.
type FieldErrors map[string]string

func (e FieldErrors) Error() string {
	return "invalid project: " + strings.Join(e.Lines(), "; ")
}

// Lines are the messages as "path: message", in the order of their paths:
// the error's text, and the window's list when a save is refused.
func (e FieldErrors) Lines() []string {
	paths := slices.Sorted(maps.Keys(e))
	lines := make([]string, len(paths))
	for i, p := range paths {
		lines[i] = p + ": " + e[p]
	}
	return lines
}

// orNil is e as an error, nil when e holds no message: a nil map in an
// error interface would not compare equal to nil.
func (e FieldErrors) orNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Section is the part of a project a field belongs to; the window has one
// tab per section.
type Section int

// The sections of a project.
const (
	General Section = iota
	Response
	Webhooks
	Templates
	Rules
)

// SectionOf is the section of a field path.
func SectionOf(path string) Section {
	switch {
	case strings.HasPrefix(path, "response."):
		return Response
	case strings.HasPrefix(path, "webhooks["):
		return Webhooks
	case strings.HasPrefix(path, "templates"):
		return Templates
	case strings.HasPrefix(path, "rules"):
		return Rules
	}
	return General
}

// In counts the errors of a section.
func (e FieldErrors) In(s Section) int {
	n := 0
	for path := range e {
		if SectionOf(path) == s {
			n++
		}
	}
	return n
}
