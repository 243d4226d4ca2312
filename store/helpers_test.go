package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// listPaged follows List's cursor from the newest capture to the end, limit
// at a time, and returns every summary with the number of pages it took.
func listPaged(t *testing.T, s *Store, f Filter, limit int) (all []Summary, pages int) {
	t.Helper()
	for before := ID(0); ; {
		page, next, err := s.List(f, before, limit)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, page...)
		if next == 0 {
			return all, pages
		}
		before = next
	}
}

// reopen closes s and opens its file again, as a restart would.
func reopen(t *testing.T, s *Store, path string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return mustOpen(t, path)
}

// mustView runs fn in a read-only transaction, as the store reads.
func mustView(t *testing.T, s *Store, fn func(*bolt.Tx) error) {
	t.Helper()
	if err := s.view(fn); err != nil {
		t.Fatal(err)
	}
}

// mustOpen opens the store at path for the rest of the test.
func mustOpen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mustPutProject saves p, failing the test when the store refuses it.
func mustPutProject(t *testing.T, s *Store, p Project) {
	t.Helper()
	if err := s.PutProject(p); err != nil {
		t.Fatal(err)
	}
}
