package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// UpdateSignature replaces the stored outcome of a capture's signature check
// (after its project's secret or scheme changed) and tells subscribers.
func (s *Store) UpdateSignature(id ID, sig Signature) error {
	var sum Summary
	err := s.update(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		if sum, ok, err = updateSignatureInTx(tx, id, sig); err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("update signature of capture %s: %w", id, err)
	}
	s.publish(Event{Type: Updated, ID: id, Summary: sum})
	return nil
}

// updateSignatureInTx stores the capture's new signature outcome; ok is
// false when there is no such capture.
func updateSignatureInTx(tx *bolt.Tx, id ID, sig Signature) (sum Summary, ok bool, err error) {
	k := id.key()
	sums, dets := tx.Bucket(bucketSummaries), tx.Bucket(bucketDetails)
	sv := sums.Get(k)
	if sv == nil {
		return Summary{}, false, nil
	}
	if sum, err = decodeSummary(id, sv); err != nil {
		return Summary{}, false, err
	}
	c := Capture{ID: id}
	if err := decodeDetail(&c, dets.Get(k)); err != nil {
		return Summary{}, false, err
	}
	c.Signature = sig
	sum.SignatureStatus, sum.SignatureScheme, sum.SignatureDetected = sig.Status, sig.Scheme, sig.Detected
	if err := sums.Put(k, encodeSummary(&sum)); err != nil {
		return Summary{}, false, err
	}
	return sum, true, dets.Put(k, encodeDetail(&c))
}

// ProjectCounts returns how many captures each project holds; "" counts the
// Unsorted ones. newest is the ID of the newest capture counted: a caller
// keeping counts current with Added events knows which of them the counts
// already hold. The counts are kept at write time, so this reads a few
// records whatever the store holds.
func (s *Store) ProjectCounts() (counts map[string]int, newest ID, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketIDs).Cursor().Last(); k != nil {
			newest = idFromKey(k)
		}
		counts, err = readProjectCounts(tx)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("count captures per project: %w", err)
	}
	return counts, newest, nil
}
