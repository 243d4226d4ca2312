package store

import (
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// A text search reads every body and header of the captures it looks at:
// on a large store it is bound by the CPU, not the disk (the file is in the
// page cache after the first search). A search splits the key range into
// chunks that one worker per core scans, each in its own read transaction:
// IDs joins their hits in key order, List takes its page from the newest
// chunks' hits.

// searchChunks is how many chunks per worker the key range is cut into, so
// that a worker that drew a dense chunk does not leave the others idle.
const searchChunks = 8

// keyRange is the IDs [lo, hi] a search looks at, cut into n chunks of span
// IDs (the last one takes the rest).
type keyRange struct {
	lo, hi, span ID
	n            int
}

// searchRange cuts the IDs of the stored captures from lo up, and below
// before when it is not 0, into chunks for workers; ok is false when no
// capture is in the range.
func (s *Store) searchRange(lo, before ID, workers int) (r keyRange, ok bool, err error) {
	var first, last ID
	err = s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIDs).Cursor()
		if k, _ := c.First(); k != nil {
			first = idFromKey(k)
		}
		if k, _ := seekBelow(c, before); k != nil {
			last = idFromKey(k)
		}
		return nil
	})
	r = keyRange{lo: max(lo, first), hi: last, n: workers * searchChunks}
	if err != nil || last == 0 || r.lo > r.hi {
		return r, false, err
	}
	if r.span = (r.hi - r.lo) / ID(r.n); r.span == 0 {
		r.n, r.span = 1, r.hi-r.lo
	}
	return r, true, nil
}

// chunk is chunk i's IDs, [from, to), oldest first: chunk 0 is the oldest.
func (r keyRange) chunk(i int) (from, to ID) {
	from, to = r.lo+ID(i)*r.span, r.lo+ID(i+1)*r.span
	if i == r.n-1 {
		to = r.hi + 1
	}
	return from, to
}

// eachChunk runs scan on chunks 0 to n-1 with workers goroutines, each
// taking the next chunk in that order when it is free.
func eachChunk(n, workers int, scan func(i int)) {
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				scan(i)
			}
		})
	}
	wg.Wait()
}

// idsParallel returns the IDs matching f (with a text), oldest first.
func (s *Store) idsParallel(f Filter) ([]ID, error) {
	workers := runtime.GOMAXPROCS(0)
	r, ok, err := s.searchRange(f.floor(), 0, workers)
	if err != nil || !ok {
		return nil, err
	}
	hits := make([][]ID, r.n)
	errs := make([]error, r.n)
	eachChunk(r.n, workers, func(i int) {
		from, to := r.chunk(i)
		hits[i], errs[i] = s.scanRange(f, from, to)
	})
	// The search read every page it scanned; the window keeps none of them
	// for long.
	s.searched()
	var ids []ID
	for i := range r.n {
		if errs[i] != nil {
			return nil, errs[i]
		}
		ids = append(ids, hits[i]...)
	}
	return ids, nil
}

// scanRange returns the IDs in [from, to) that match f, oldest first.
func (s *Store) scanRange(f Filter, from, to ID) ([]ID, error) {
	var ids []ID
	m := newMatcher(f)
	err := s.view(func(tx *bolt.Tx) error {
		m.scanning(false)
		c := tx.Bucket(bucketSummaries).Cursor()
		for k, v := c.Seek(from.key()); k != nil && idFromKey(k) < to; k, v = c.Next() {
			_, ok, err := m.match(tx, k, v)
			if err != nil {
				return err
			}
			if ok {
				ids = append(ids, idFromKey(k))
			}
		}
		return nil
	})
	return ids, err
}
