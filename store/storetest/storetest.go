// Package storetest opens stores for the tests of the packages above the
// store: a real bbolt file in the test's temporary directory, closed when
// the test ends.
package storetest

import (
	"path/filepath"
	"testing"

	"hookscope/store"
)

// Open opens a new store with opts in t's temporary directory.
func Open(t testing.TB, opts store.Options) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "hookscope.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
