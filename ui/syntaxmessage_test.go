package ui

import (
	"errors"
	"testing"
	"time"

	"hookscope/query"
)

// The search field's error starts its prose with a capital but keeps the
// user's text as typed: "body.docs.#>" is not reported as "Body.docs.#>".
func TestSyntaxMessageKeepsTheQueryAsTyped(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"body.docs.#>", "body.docs.#> needs a value (column 13)"},
		{"status:abc", `status needs an HTTP status such as 500 or 5xx, not "abc" (column 8)`},
		{"method:PO1ST", "method:PO1ST is not a method (column 8)"},
		{"bdy.type:review", `Unknown field "bdy.type" (did you mean body?) (column 1)`},
		{`"unclosed`, "This quote is not closed (column 1)"},
	} {
		_, err := query.Parse(tt.in, time.UTC)
		var syntax *query.Error
		if !errors.As(err, &syntax) {
			t.Fatalf("Parse(%q) = %v, want a syntax error", tt.in, err)
		}
		if got := syntaxMessage(syntax); got != tt.want {
			t.Errorf("%q: the field says %q, want %q", tt.in, got, tt.want)
		}
	}
}
