package store

import (
	"strings"
	"testing"
)

// TestFilterBySignatureStatus: the list narrows to the captures whose
// signature check ended in the chosen status, on a real file, alone or with
// the other filters.
func TestFilterBySignatureStatus(t *testing.T) {
	s, _ := openTemp(t, Options{})
	for _, c := range []struct{ path, status string }{
		{"/a/valid", "valid"},
		{"/a/invalid", "invalid"},
		{"/b/invalid", "invalid"},
		{"/a/missing", "missing_header"},
		{"/a/unsigned", "unsigned"},
		{"/a/nosecret", "no_secret"},
		{"/a/unchecked", ""},
	} {
		capture := sample("POST", c.path, "", "{}")
		capture.Signature.Status = c.status
		if strings.HasPrefix(c.path, "/b/") {
			capture.Method = "PUT"
		}
		mustPut(t, s, capture)
	}
	for give, want := range map[Filter]string{
		{Signature: "invalid"}:                "/b/invalid /a/invalid",
		{Signature: "invalid", Method: "PUT"}: "/b/invalid",
		{Signature: "valid"}:                  "/a/valid",
		{Signature: "no_secret"}:              "/a/nosecret",
		{Signature: "missing_header"}:         "/a/missing",
		{Signature: "unsigned"}:               "/a/unsigned",
	} {
		page, _, err := s.List(give, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, p := range page {
			paths = append(paths, p.Path)
			if !give.MatchesSummary(p) {
				t.Errorf("%+v: MatchesSummary refuses %s, which List gave", give, p.Path)
			}
		}
		if got := strings.Join(paths, " "); got != want {
			t.Errorf("List(%+v) = %q, want %q", give, got, want)
		}
	}
}
