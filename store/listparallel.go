package store

import (
	"runtime"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// listParallel is List for a filter with a text, whose scan finds little
// and reads every capture: one worker per core scans a chunk of the keys
// below before, the newest chunk first, each backwards from its newest
// capture until it holds more than a page. The page is the chunks' hits
// newest first, as one backward scan finds them; once the newest chunks
// together hold more than a page, the older ones stop.
func (s *Store) listParallel(f Filter, before ID, limit int) (page []Summary, next ID, err error) {
	workers := runtime.GOMAXPROCS(0)
	r, ok, err := s.searchRange(f.floor(), before, workers)
	if err != nil || !ok {
		return nil, 0, err
	}
	l := &listChunks{hits: make([][]Summary, r.n), errs: make([]error, r.n), done: make([]bool, r.n), limit: limit}
	l.enough.Store(int64(r.n))
	eachChunk(r.n, workers, func(i int) {
		if l.needless(i) {
			return
		}
		from, to := r.chunk(r.n - 1 - i) // chunk i of the list is the i-th newest
		hits, err := s.listRange(f, from, to, limit, func() bool { return l.needless(i) })
		l.finished(i, hits, err)
	})
	s.searched()
	for i := range r.n {
		if l.errs[i] != nil {
			return nil, 0, l.errs[i]
		}
		for _, sum := range l.hits[i] {
			if len(page) == limit {
				return page, page[len(page)-1].ID, nil
			}
			page = append(page, sum)
		}
		if int64(i) == l.enough.Load() {
			break
		}
	}
	return page, 0, nil
}

// listChunks gathers the hits of List's chunks, newest chunk first.
type listChunks struct {
	mu    sync.Mutex
	hits  [][]Summary
	errs  []error
	done  []bool
	limit int
	// enough is the chunk by which the chunks from the newest on hold more
	// than a page (or failed): later ones are not needed.
	enough atomic.Int64
}

// needless reports whether chunk i is past the chunks that fill the page.
func (l *listChunks) needless(i int) bool { return int64(i) > l.enough.Load() }

// finished records chunk i's hits and moves enough down to the first chunk
// by which the page is full.
func (l *listChunks) finished(i int, hits []Summary, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[i], l.errs[i], l.done[i] = hits, err, true
	total := 0
	for j := range min(int(l.enough.Load())+1, len(l.done)) {
		if !l.done[j] {
			return
		}
		total += len(l.hits[j])
		if total > l.limit || l.errs[j] != nil {
			l.enough.Store(int64(j))
			return
		}
	}
}

// listRange returns the summaries in [from, to) that match f, newest first:
// at most limit+1, and fewer when stop says the rest is not needed.
func (s *Store) listRange(f Filter, from, to ID, limit int, stop func() bool) ([]Summary, error) {
	var hits []Summary
	m := newMatcher(f)
	err := s.view(func(tx *bolt.Tx) error {
		m.scanning(true)
		c := tx.Bucket(bucketSummaries).Cursor()
		for k, v := seekBelow(c, to); k != nil && idFromKey(k) >= from; k, v = c.Prev() {
			if stop() {
				return nil
			}
			sum, ok, err := m.match(tx, k, v)
			if err != nil {
				return err
			}
			if ok {
				if hits = append(hits, sum); len(hits) > limit {
					return nil
				}
			}
		}
		return nil
	})
	return hits, err
}
