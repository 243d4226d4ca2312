package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// pruneChunk bounds how many captures one pruning transaction deletes, so a
// capture waiting for the write lock waits for one short transaction at most.
const pruneChunk = 500

// SetRetention changes the limits; pruning follows in the background. A
// count other than the one in force also ends what Surplus kept: the new
// count is the user's choice for what the store holds now.
func (s *Store) SetRetention(maxCount int, maxAge time.Duration) {
	s.optMu.Lock()
	if maxCount == 0 {
		maxCount = DefaultMaxCount
	}
	if maxCount != s.opts.MaxCount {
		s.held = 0
	}
	s.opts.MaxCount, s.opts.MaxAge = maxCount, maxAge
	s.optMu.Unlock()
	s.kickPrune()
}

// Retention reports the limits in force.
func (s *Store) Retention() (maxCount int, maxAge time.Duration) {
	s.optMu.Lock()
	defer s.optMu.Unlock()
	return s.opts.MaxCount, s.opts.MaxAge
}

func (s *Store) kickPrune() {
	select {
	case s.pruneKick <- struct{}{}:
	default:
	}
}

// pruner runs retention off the capture path: Put only kicks it.
func (s *Store) pruner() {
	defer s.wg.Done()
	tick := time.NewTicker(time.Minute) // ages pass without any new capture
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-s.pruneKick:
		case <-tick.C:
		}
		if _, err := s.Prune(); err != nil {
			// The next kick retries; retention is best effort by design.
			continue
		}
	}
}

// Prune deletes what the retention limits no longer keep and returns how
// many captures went.
func (s *Store) Prune() (int, error) {
	maxCount, maxAge := s.pruneLimits()
	total := 0
	for {
		n, err := s.pruneChunk(maxCount, maxAge)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune captures: %w", err)
		}
		if n < pruneChunk {
			break
		}
		select {
		case <-s.done:
			return total, nil
		default:
		}
	}
	return total, nil
}

func (s *Store) pruneChunk(maxCount int, maxAge time.Duration) (int, error) {
	// Every commit kicks the pruner; most of the time nothing is due, and an
	// empty write transaction would still take the write lock and fsync.
	if due, err := s.pruneDue(maxCount, maxAge); err != nil || !due {
		return 0, err
	}
	var n int
	var last ID
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		n, last, err = s.pruneInTx(tx, maxCount, maxAge, pruneChunk)
		return err
	})
	if err == nil && n > 0 {
		s.publish(Event{Type: Pruned, ID: last})
	}
	return n, err
}

// pruneInTx deletes, oldest first, at most limit captures that the limits
// no longer keep, and returns how many and the newest ID it deleted.
// Retention always takes the oldest, so every ID up to that one is gone.
func (s *Store) pruneInTx(tx *bolt.Tx, maxCount int, maxAge time.Duration, limit int) (int, ID, error) {
	count := int(decUint(tx.Bucket(bucketMeta).Get(keyCount)))
	excess := 0
	if maxCount > 0 && count > maxCount {
		excess = count - maxCount
	}
	var cutoff ID
	if maxAge > 0 {
		cutoff = ID(s.opts.Now().Add(-maxAge).UnixNano())
	}
	if excess == 0 && cutoff == 0 {
		return 0, 0, nil
	}
	c := tx.Bucket(bucketSummaries).Cursor()
	var doomed [][]byte
	for k, _ := c.First(); k != nil && len(doomed) < limit; k, _ = c.Next() {
		if len(doomed) >= excess && idFromKey(k) >= cutoff {
			break
		}
		doomed = append(doomed, append([]byte(nil), k...))
	}
	// bbolt invalidates a cursor on writes: delete after the scan.
	for _, k := range doomed {
		if err := deleteKey(tx, k); err != nil {
			return 0, 0, err
		}
	}
	if len(doomed) == 0 {
		return 0, 0, nil
	}
	return len(doomed), idFromKey(doomed[len(doomed)-1]), addCount(tx, -int64(len(doomed)))
}

// pruneDue reports, from a read transaction, whether retention would delete
// anything now.
func (s *Store) pruneDue(maxCount int, maxAge time.Duration) (bool, error) {
	due := false
	err := s.view(func(tx *bolt.Tx) error {
		if maxCount > 0 && int(decUint(tx.Bucket(bucketMeta).Get(keyCount))) > maxCount {
			due = true
			return nil
		}
		if maxAge > 0 {
			k, _ := tx.Bucket(bucketSummaries).Cursor().First()
			due = k != nil && idFromKey(k) < ID(s.opts.Now().Add(-maxAge).UnixNano())
		}
		return nil
	})
	return due, err
}
