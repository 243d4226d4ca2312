package store

import (
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// A text search reads every body and header of the captures it looks at:
// on a large store it is bound by the CPU, not the disk (the file is in the
// page cache after the first search). idsParallel splits the key range into
// chunks that one worker per core scans, each in its own read transaction,
// and joins their hits in key order.

// searchChunks is how many chunks per worker the key range is cut into, so
// that a worker that drew a dense chunk does not leave the others idle.
const searchChunks = 8

// idsParallel returns the IDs matching f (with a text), oldest first.
func (s *Store) idsParallel(f Filter) ([]ID, error) {
	workers := runtime.GOMAXPROCS(0)
	var lo, hi ID
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIDs).Cursor()
		if k, _ := c.First(); k != nil {
			lo = idFromKey(k)
		}
		if k, _ := c.Last(); k != nil {
			hi = idFromKey(k)
		}
		return nil
	})
	if err != nil || hi == 0 {
		return nil, err
	}
	if f.Since.UnixNano() > 0 {
		lo = max(lo, ID(f.Since.UnixNano()))
	}
	if lo > hi {
		return nil, nil
	}
	n := workers * searchChunks
	span := (hi - lo) / ID(n)
	if span == 0 {
		n, span = 1, hi-lo
	}
	hits := make([][]ID, n)
	errs := make([]error, n)
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				from, to := lo+ID(i)*span, lo+ID(i+1)*span // [from, to)
				if i == n-1 {
					to = hi + 1
				}
				hits[i], errs[i] = s.scanRange(f, from, to)
			}
		}()
	}
	wg.Wait()
	// The search read every page it scanned; the window keeps none of them.
	_ = s.view(func(tx *bolt.Tx) error { releaseMapped(tx); return nil })
	var ids []ID
	for i := range n {
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
