package ui

import (
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

// lineNoun and headersNoun name the sections in a sentence (the summary)
// and in the copied diff's text, as the headings do.
var (
	lineNoun = map[delivery.SideKind]string{
		delivery.SideCapture: "request line",
		delivery.SideSent:    "request sent",
		delivery.SideAnswer:  "answer status",
	}
	headersNoun = map[delivery.SideKind]string{
		delivery.SideCapture: "headers",
		delivery.SideSent:    "headers sent",
		delivery.SideAnswer:  "answer headers",
	}
)

// sectionNoun is a section's name in a sentence for the two sides: one
// name when they are of a kind, else the left's and the right's.
func sectionNoun(left, right delivery.SideKind, names map[delivery.SideKind]string) string {
	if left == right {
		return names[left]
	}
	return names[left] + " / " + names[right]
}

// diffTitles title the copied diff's sections for the two sides.
func diffTitles(left, right delivery.SideKind) diff.Titles {
	return diff.Titles{Line: sectionNoun(left, right, lineNoun), Headers: sectionNoun(left, right, headersNoun)}
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
