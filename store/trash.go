package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The trash holds captures deleted from the window while their deletion can
// still be undone. Discard moves a capture's records out of the capture
// buckets into the trash in one committed transaction, so every read (list,
// count, search, API, export) stops seeing it at once; Restore moves them
// back; Purge deletes them for good with their replay history. Open empties
// the trash: a deletion whose undo window was cut short by a crash or a quit
// stays done, and no capture the user did not delete was ever touched.
//
// Layout: trash/<8-byte token>/{summaries,details,bodies} hold the records,
// and trash/<token> keys "n" (how many captures) and "all" (set by
// DiscardAll, whose purge also drops Unsorted's history, as Clear does).
var (
	bucketTrash = []byte("trash")
	keyTrashN   = []byte("n")
	keyTrashAll = []byte("all")
)

// captureBuckets hold one record per capture each, keyed by its ID (the
// ID index among them: its records move with the captures').
var captureBuckets = [][]byte{bucketSummaries, bucketDetails, bucketBodies, bucketIDs}

// ErrDiscardGone is returned by Restore for a discard already purged.
var ErrDiscardGone = errors.New("the deleted captures are gone for good")

// Discard names captures moved to the trash by one Discard or DiscardAll.
type Discard struct {
	token uint64
	// N is how many captures it holds.
	N int
	// IDs are the captures Discard moved; nil after DiscardAll.
	IDs []ID
}

// Discard moves the captures with the given IDs to the trash. IDs the store
// does not hold are skipped; none found is ErrNotFound. Subscribers hear a
// Deleted event per capture.
func (s *Store) Discard(ids []ID) (Discard, error) {
	d := Discard{}
	err := s.update(func(tx *bolt.Tx) error {
		d.N, d.IDs = 0, nil
		bin, tok, err := newTrashBin(tx)
		if err != nil {
			return err
		}
		d.token = tok
		for _, name := range captureBuckets {
			if _, err := bin.CreateBucket(name); err != nil {
				return err
			}
		}
		counts := map[string]int64{}
		for _, id := range ids {
			project := summaryProject(tx.Bucket(bucketSummaries).Get(id.key()))
			moved, err := moveRecords(id.key(), tx.Bucket, bin.Bucket)
			if err != nil {
				return err
			}
			if moved {
				d.N++
				d.IDs = append(d.IDs, id)
				counts[project]--
			}
		}
		if d.N == 0 {
			return ErrNotFound
		}
		if err := addProjectCounts(tx, counts); err != nil {
			return err
		}
		if err := bin.Put(keyTrashN, binary.AppendUvarint(nil, uint64(d.N))); err != nil {
			return err
		}
		return addCount(tx, -int64(d.N))
	})
	if err != nil {
		return Discard{}, fmt.Errorf("delete %d captures: %w", len(ids), err)
	}
	for _, id := range d.IDs {
		s.publish(Event{Type: Deleted, ID: id})
	}
	return d, nil
}

// DiscardAll moves every capture to the trash (Clear all, undoably). It
// moves the capture buckets whole, so it takes the same time for a million
// captures as for one. Subscribers hear Cleared.
func (s *Store) DiscardAll() (Discard, error) {
	d := Discard{}
	err := s.update(func(tx *bolt.Tx) error {
		bin, tok, err := newTrashBin(tx)
		if err != nil {
			return err
		}
		d.token = tok
		d.N = int(decUint(tx.Bucket(bucketMeta).Get(keyCount)))
		for _, name := range captureBuckets {
			if err := tx.MoveBucket(name, nil, bin); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := bin.Put(keyTrashN, binary.AppendUvarint(nil, uint64(d.N))); err != nil {
			return err
		}
		if err := bin.Put(keyTrashAll, []byte{1}); err != nil {
			return err
		}
		if err := resetProjectCounts(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyCount, []byte{0})
	})
	if err != nil {
		return Discard{}, fmt.Errorf("clear captures: %w", err)
	}
	s.publish(Event{Type: Cleared})
	return d, nil
}

// Restore puts a discard's captures back, beside any that arrived since.
// Subscribers hear Restored. A discard already purged is ErrDiscardGone.
func (s *Store) Restore(d Discard) error {
	err := s.update(func(tx *bolt.Tx) error {
		trash := tx.Bucket(bucketTrash)
		if trash == nil || trash.Bucket(trashKey(d.token)) == nil {
			return ErrDiscardGone
		}
		bin := trash.Bucket(trashKey(d.token))
		n := int64(decUint(bin.Get(keyTrashN)))
		live := int64(decUint(tx.Bucket(bucketMeta).Get(keyCount)))
		if err := addBinProjectCounts(tx, bin); err != nil {
			return err
		}
		for _, name := range captureBuckets {
			if err := restoreBucket(tx, bin, name, n > live); err != nil {
				return err
			}
		}
		if err := trash.DeleteBucket(trashKey(d.token)); err != nil {
			return err
		}
		return addCount(tx, n)
	})
	if err != nil {
		return fmt.Errorf("undo the deletion of %d captures: %w", d.N, err)
	}
	s.publish(Event{Type: Restored})
	return nil
}

// restoreBucket merges the trashed records of bucket name back. Whole is
// set when the trash holds more than the live bucket: the trashed bucket
// takes the live one's place and the few live records are copied into it,
// so undoing Clear all of a large store copies nothing big. bbolt's
// MoveBucket moves a bucket as last committed (it drops changes made to it
// in the same transaction), so each bucket moves before anything writes to
// it here.
func restoreBucket(tx *bolt.Tx, bin *bolt.Bucket, name []byte, whole bool) error {
	if !whole {
		return copyRecords(bin.Bucket(name), tx.Bucket(name))
	}
	aside, err := bin.CreateBucketIfNotExists([]byte("arrived"))
	if err != nil {
		return err
	}
	if err := tx.MoveBucket(name, nil, aside); err != nil {
		return err
	}
	if err := tx.MoveBucket(name, bin, nil); err != nil {
		return err
	}
	return copyRecords(aside.Bucket(name), tx.Bucket(name))
}

// copyRecords copies every record of from into to. The values are copied:
// bbolt keeps a Put's slice until commit, and from is deleted in the same
// transaction (with the rest of the discard's bin).
func copyRecords(from, to *bolt.Bucket) error {
	return from.ForEach(func(k, v []byte) error {
		return to.Put(append([]byte(nil), k...), append([]byte(nil), v...))
	})
}

// Purge deletes a discard's captures for good, with their replay and
// forward history. A discard already purged is not an error.
func (s *Store) Purge(d Discard) error {
	err := s.update(func(tx *bolt.Tx) error {
		trash := tx.Bucket(bucketTrash)
		if trash == nil || trash.Bucket(trashKey(d.token)) == nil {
			return nil
		}
		return purgeBin(tx, trash, trashKey(d.token))
	})
	if err != nil {
		return fmt.Errorf("delete %d captures for good: %w", d.N, err)
	}
	return nil
}

// purgeTrash empties the whole trash; Open runs it (see the package's
// trash comment above).
func purgeTrash(tx *bolt.Tx) error {
	trash := tx.Bucket(bucketTrash)
	if trash == nil {
		return nil
	}
	var toks [][]byte
	err := trash.ForEachBucket(func(k []byte) error {
		toks = append(toks, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range toks {
		if err := purgeBin(tx, trash, k); err != nil {
			return err
		}
	}
	return nil
}

func purgeBin(tx *bolt.Tx, trash *bolt.Bucket, tok []byte) error {
	bin := trash.Bucket(tok)
	err := bin.Bucket(bucketSummaries).ForEach(func(k, _ []byte) error {
		return deleteCaptureDeliveries(tx, k)
	})
	if err != nil {
		return err
	}
	if bin.Get(keyTrashAll) != nil {
		if err := deleteDeliveries(tx, Unsorted); err != nil {
			return err
		}
	}
	return trash.DeleteBucket(tok)
}

// inTrash reports whether a capture with key k waits in the trash, so an
// import does not take its ID before an undo brings it back.
func inTrash(tx *bolt.Tx, k []byte) bool {
	trash := tx.Bucket(bucketTrash)
	if trash == nil {
		return false
	}
	found := false
	_ = trash.ForEachBucket(func(tok []byte) error {
		found = found || trash.Bucket(tok).Bucket(bucketSummaries).Get(k) != nil
		return nil
	})
	return found
}

func newTrashBin(tx *bolt.Tx) (*bolt.Bucket, uint64, error) {
	trash, err := tx.CreateBucketIfNotExists(bucketTrash)
	if err != nil {
		return nil, 0, err
	}
	tok, err := trash.NextSequence()
	if err != nil {
		return nil, 0, err
	}
	bin, err := trash.CreateBucket(trashKey(tok))
	if err != nil {
		return nil, 0, err
	}
	return bin, tok, nil
}

func trashKey(tok uint64) []byte { return binary.BigEndian.AppendUint64(nil, tok) }

// moveRecords moves capture k's records from the buckets src names to
// those dst names, and reports whether there was one.
func moveRecords(k []byte, src, dst func([]byte) *bolt.Bucket) (bool, error) {
	if src(bucketSummaries).Get(k) == nil {
		return false, nil
	}
	for _, name := range captureBuckets {
		from, to := src(name), dst(name)
		v := from.Get(k)
		if v == nil {
			continue // a capture with no body
		}
		// bbolt keeps the value slice until commit; the deletion below
		// may reuse the page it points into.
		if err := to.Put(k, append([]byte(nil), v...)); err != nil {
			return false, err
		}
		if err := from.Delete(k); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Trashed is how many deleted captures wait in the trash for their undo
// window to end.
func (s *Store) Trashed() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		trash := tx.Bucket(bucketTrash)
		if trash == nil {
			return nil
		}
		return trash.ForEachBucket(func(tok []byte) error {
			n += int(decUint(trash.Bucket(tok).Get(keyTrashN)))
			return nil
		})
	})
	return n, err
}
