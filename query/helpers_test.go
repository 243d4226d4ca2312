package query

import (
	"testing"
	"time"
)

// mustParse parses a query the test knows to be valid, in UTC.
func mustParse(t *testing.T, s string) *Query {
	t.Helper()
	q, err := Parse(s, time.UTC)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}
