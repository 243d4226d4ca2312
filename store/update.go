package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// UpdateSignature replaces the stored outcome of a capture's signature check
// (after its project's secret or scheme changed) and tells subscribers.
func (s *Store) UpdateSignature(id ID, sig Signature) error {
	var sum Summary
	err := s.db.Update(func(tx *bolt.Tx) error {
		k := id.key()
		sums, dets := tx.Bucket(bucketSummaries), tx.Bucket(bucketDetails)
		sv := sums.Get(k)
		if sv == nil {
			return ErrNotFound
		}
		var err error
		if sum, err = decodeSummary(id, sv); err != nil {
			return err
		}
		c := Capture{ID: id}
		if err := decodeDetail(&c, dets.Get(k)); err != nil {
			return err
		}
		c.Signature = sig
		sum.SignatureStatus = sig.Status
		if err := sums.Put(k, encodeSummary(&sum)); err != nil {
			return err
		}
		return dets.Put(k, encodeDetail(&c))
	})
	if err != nil {
		return fmt.Errorf("update signature of capture %s: %w", id, err)
	}
	s.publish(Event{Type: Updated, ID: id, Summary: sum})
	return nil
}
