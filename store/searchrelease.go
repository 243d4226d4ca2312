package store

import (
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// searchReleaseDelay is how long the file's pages stay in the process after
// a text search. A search of a large store reads every page of the file,
// which then stays resident through bbolt's mapping (1.9 GB for 1,000,000
// captures) until released; but pages released are mapped again, one page
// fault per 64 KiB, by the next search, which on the project's 2-core VM
// cost more CPU than the search itself (1.8 s against 0.5 s for 1,000,000
// captures). Searches a few seconds apart, as a user refines one, share the
// mapping; a few seconds after the last, the pages leave.
const searchReleaseDelay = 15 * time.Second

// searchRelease drops the store file's pages from the process once no text
// search has run for a while.
type searchRelease struct {
	after   time.Duration
	mu      sync.Mutex
	timer   *time.Timer
	stopped bool // the store is closing
}

// searched (re)starts the wait after a text search of s.
func (s *Store) searched() {
	r := &s.release
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.stopped:
	case r.timer == nil:
		r.timer = time.AfterFunc(r.after, func() {
			// An error (the store closed) leaves nothing to release.
			_ = s.view(func(tx *bolt.Tx) error { releaseMapped(tx); return nil })
		})
	default:
		r.timer.Reset(r.after)
	}
}

// stop cancels a release to come: the store is closing, and its mapping
// goes with it.
func (r *searchRelease) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped = true
	if r.timer != nil {
		r.timer.Stop()
	}
}
