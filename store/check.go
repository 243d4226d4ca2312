package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// fullCheckMax is the largest file whose every page Open checks before it
// returns; a larger file gets the quick check at Open and the full one in
// the background, so a big store still opens in well under a second.
const fullCheckMax = 64 << 20

// quickCheck looks at what a damaged file breaks first, in time that does
// not grow with the file: that the file is as long as its pages (a
// truncated copy is not), and that every bucket's root page is a branch or
// leaf page inside the file. bbolt has already checked the meta pages'
// checksums and read the freelist when it opened the file.
func quickCheck(tx *bolt.Tx, size int64) error {
	if need := tx.Size(); need > size {
		return fmt.Errorf("the file is %d bytes but its pages reach byte %d: it was cut short", size, need)
	}
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		return checkRoot(tx, name, b)
	})
}

// checkRoot checks the root page of b. Hookscope's buckets hold no buckets
// (looking for some would step through every key), so the top-level
// buckets' roots are all there is.
func checkRoot(tx *bolt.Tx, name []byte, b *bolt.Bucket) error {
	root := int(b.Root())
	if root == 0 { // a bucket inlined in its parent's page
		return nil
	}
	p, err := tx.Page(root)
	if err != nil || p == nil {
		return fmt.Errorf("bucket %q: root page %d is outside the file", name, root)
	}
	if p.Type != "branch" && p.Type != "leaf" {
		return fmt.Errorf("bucket %q: root page %d is a %s page, not a branch or leaf", name, root, p.Type)
	}
	if end := root + p.OverflowCount; end >= int(tx.Size()/int64(tx.DB().Info().PageSize)) {
		return fmt.Errorf("bucket %q: root page %d runs past the file's last page", name, root)
	}
	return nil
}

// fullCheck reads every page the file's buckets reach, then runs bbolt's
// own consistency check (https://pkg.go.dev/go.etcd.io/bbolt#Tx.Check).
// The walk comes first and runs in the caller's goroutine under guard: a
// page pointer past the memory map faults, and only a goroutine that asked
// for it can recover from a fault, which tx.Check's own goroutine cannot.
func fullCheck(tx *bolt.Tx, stop <-chan struct{}) error {
	if err := walkBuckets(tx, stop); err != nil {
		return err
	}
	return boltCheck(tx)
}

// boltCheck runs tx.Check and folds what it reports into one error.
func boltCheck(tx *bolt.Tx) error {
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	default:
		return fmt.Errorf("%w (and %d more problems)", errs[0], len(errs)-1)
	}
}

var errStopped = errors.New("check stopped")

// walkBuckets steps a cursor over every key of every bucket.
func walkBuckets(tx *bolt.Tx, stop <-chan struct{}) error {
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		return walkBucket(b, stop)
	})
}

func walkBucket(b *bolt.Bucket, stop <-chan struct{}) error {
	c := b.Cursor()
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%4096 == 0 {
			select {
			case <-stop:
				return errStopped
			default:
			}
		}
		if v == nil {
			if err := walkBucket(b.Bucket(k), stop); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkOnOpen runs the quick check, and the full one when the file is
// small; it reports whether the full check is still to be done.
func (s *Store) checkOnOpen() (later bool, err error) {
	st, err := os.Stat(s.path)
	if err != nil {
		return false, err
	}
	err = guard(s.path, func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			if err := quickCheck(tx, st.Size()); err != nil {
				return damagedError(s.path, err)
			}
			if st.Size() > fullCheckMax {
				later = true
				return nil
			}
			if err := fullCheck(tx, nil); err != nil {
				return damagedError(s.path, err)
			}
			return nil
		})
	})
	return later, err
}

// checkInBackground runs the full check of a large file after Open; damage
// it finds makes the store refuse writes from then on.
func (s *Store) checkInBackground() {
	defer s.wg.Done()
	// The walk only reads pages: a read transaction, beside the captures
	// being written.
	err := s.view(func(tx *bolt.Tx) error {
		if err := walkBuckets(tx, s.done); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return // view recorded the damage; errStopped is a Close
	}
	// tx.Check also reads the freelist, which a write transaction changes:
	// bbolt's doc on Tx.Check says a read-only one must not run beside
	// writes. A writable transaction has it to itself; it is rolled back,
	// so nothing is written, and captures wait for it.
	err = guard(s.path, func() error {
		if err := s.Damaged(); err != nil {
			return err
		}
		tx, err := s.db.Begin(true)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := boltCheck(tx); err != nil {
			return damagedError(s.path, err)
		}
		return nil
	})
	s.markDamaged(err)
	if err == nil {
		// The check read every page; nothing else needs them resident.
		_ = s.view(func(tx *bolt.Tx) error { releaseMapped(tx); return nil })
	}
	// Nor is its heap needed: tx.Check keeps a map of every page it reached
	// (~40 MB for a 1.9 GB file), which Go's scavenger would otherwise keep
	// for reuse up to the next collection's goal
	// (https://pkg.go.dev/runtime/debug#FreeOSMemory).
	debug.FreeOSMemory()
}
