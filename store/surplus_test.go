package store

import (
	"fmt"
	"testing"
)

// openFilled writes n captures into a new file with no retention, closes
// it and opens it again with opts, as a start with a lower retention does.
func openFilled(t *testing.T, n int, opts Options) *Store {
	t.Helper()
	s, path := openTemp(t, Options{MaxCount: -1})
	for i := range n {
		if err := s.Put(sample("POST", fmt.Sprintf("/hook/%d", i), "", "{}")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestKeepSurplusKeepsAFileBiggerThanRetention opens a file of 30 captures
// with retention 20: the captures stay until PruneSurplus, new ones push out
// only the oldest, and PruneSurplus brings the store down to 20.
func TestKeepSurplusKeepsAFileBiggerThanRetention(t *testing.T) {
	s := openFilled(t, 30, Options{MaxCount: 20, KeepSurplus: true})
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s); n != 30 {
		t.Fatalf("after opening and pruning: %d captures, want the 30 the file held", n)
	}
	if held, keep := s.Surplus(); held != 30 || keep != 20 {
		t.Fatalf("Surplus() = %d, %d; want 30, 20", held, keep)
	}
	if err := s.Put(sample("POST", "/hook/new", "", "{}")); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s); n != 30 {
		t.Fatalf("after one more capture: %d, want 30 (the oldest pushed out)", n)
	}
	page, _, err := s.List(Filter{Text: "/hook/0"}, 0, 10)
	if err != nil || len(page) != 0 {
		t.Fatalf("the oldest capture is still listed (%v, %v)", page, err)
	}
	s.PruneSurplus()
	prunedTo(t, s, 20)
}

// prunedTo runs a retention pass and checks that it left want captures and
// holds no surplus any more.
func prunedTo(t *testing.T, s *Store, want int) {
	t.Helper()
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s); n != want {
		t.Fatalf("after pruning: %d captures, want %d", n, want)
	}
	if held, _ := s.Surplus(); held != 0 {
		t.Fatalf("Surplus() still holds %d after pruning", held)
	}
}

// TestSurplusWithoutKeepIsPrunedAtOpen is the behaviour without the option:
// retention applies as soon as the store opens.
func TestSurplusWithoutKeepIsPrunedAtOpen(t *testing.T) {
	s := openFilled(t, 30, Options{MaxCount: 20})
	prunedTo(t, s, 20)
}

// TestNewRetentionCountEndsTheSurplusHold: choosing another count in the
// settings (which asks before deleting) applies it.
func TestNewRetentionCountEndsTheSurplusHold(t *testing.T) {
	s := openFilled(t, 30, Options{MaxCount: 20, KeepSurplus: true})
	s.SetRetention(20, 0) // what the window does at start: the same limits
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s); n != 30 {
		t.Fatalf("the same retention set again deleted the surplus: %d captures", n)
	}
	s.SetRetention(25, 0)
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s); n != 25 {
		t.Fatalf("%d captures after retention 25, want 25", n)
	}
}
