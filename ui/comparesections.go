package ui

import "hookscope/delivery"

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
