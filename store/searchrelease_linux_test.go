package store

import (
	"fmt"
	"testing"
	"time"
)

// TestTheFilesPagesStayForTheNextSearchThenLeave: right after a text search
// the pages it read are still mapped, so a search soon after does not fault
// them all in again; once no search has run for the store's delay, they
// leave the process.
func TestTheFilesPagesStayForTheNextSearchThenLeave(t *testing.T) {
	s, path := openTemp(t, Options{MaxCount: -1})
	putMany(t, s, 2000, func(i int) string { return fmt.Sprintf("/p/%d", i) })
	s.release.after = time.Hour
	if page, _, err := s.List(Filter{Text: "absent-word"}, 0, 50); err != nil || len(page) != 0 {
		t.Fatal(page, err)
	}
	if ids, err := s.IDs(Filter{Text: "absent-word"}); err != nil || len(ids) != 0 {
		t.Fatal(ids, err)
	}
	read := mappedKB(t, path)
	if read < 200 {
		t.Fatalf("%d kB resident right after two searches: released already", read)
	}
	s.release.after = time.Millisecond
	if ids, err := s.IDs(Filter{Text: "/p/1999"}); err != nil || len(ids) != 1 {
		t.Fatal(ids, err)
	}
	for end := time.Now().Add(20 * time.Second); mappedKB(t, path) > read/4; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d kB resident 20 s after the search, %d kB before", mappedKB(t, path), read)
		}
	}
}
