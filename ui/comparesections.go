package ui

import (
	"strings"

	"hookscope/delivery"
	"hookscope/diff"
)

// lineHeading names the first section of a compare view for each kind of
// side: a request's method, host, path and query, or an answer's status
// (and error, when it got none).
var lineHeading = map[delivery.SideKind]string{
	delivery.SideCapture: "Request line",
	delivery.SideSent:    "Request sent",
	delivery.SideAnswer:  "Answer: status",
}

// headersHeading names the headers' section for each kind of side.
var headersHeading = map[delivery.SideKind]string{
	delivery.SideCapture: "Headers",
	delivery.SideSent:    "Headers sent",
	delivery.SideAnswer:  "Answer headers",
}

// sectionHeading is a section's title for the two sides: one name when
// they are of a kind, else each side's named with its place, so that an
// answer's status never reads as a request's.
func sectionHeading(left, right delivery.SideKind, names map[delivery.SideKind]string) string {
	if left == right {
		return names[left]
	}
	return names[left] + " (left) · " + names[right] + " (right)"
}

// sectionNoun is a section's name in a sentence (the summary) and in the
// copied diff's text for the two sides: its heading in lower case ("answer
// status"), one when they are of a kind, else the left's and the right's.
func sectionNoun(left, right delivery.SideKind, names map[delivery.SideKind]string) string {
	noun := func(k delivery.SideKind) string { return strings.ToLower(strings.ReplaceAll(names[k], ":", "")) }
	if left == right {
		return noun(left)
	}
	return noun(left) + " / " + noun(right)
}

// diffTitles title the copied diff's sections for the two sides.
func diffTitles(left, right delivery.SideKind) diff.Titles {
	return diff.Titles{Line: sectionNoun(left, right, lineHeading), Headers: sectionNoun(left, right, headersHeading)}
}

// headersCount says how many headers differ in the section's words: "2
// headers sent", "1 answer header".
func headersCount(n int, left, right delivery.SideKind) string {
	switch {
	case left != right || left == delivery.SideCapture:
		return plural(n, "header")
	case left == delivery.SideSent:
		return plural(n, "header") + " sent"
	}
	return plural(n, "answer header")
}
