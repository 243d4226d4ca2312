package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Two small indexes kept at write time let the window start on a large
// store without reading every summary: bucketIDs holds each capture's key
// with an empty value (24 bytes a capture in its leaf pages, against ~100
// for a summary), and bucketProjectCounts how many captures each project
// holds. Every write of a summary's key or project goes through them:
// commit, deleteKey, Clear, adoption and recovery.
var (
	bucketIDs           = []byte("ids")
	bucketProjectCounts = []byte("projectcounts")
	// keyIndexes marks a file whose indexes are complete; a file written
	// before they existed gets them built once, when it opens.
	keyIndexes = []byte("indexes")
	// indexed is an ID index record's value: empty, but not nil, which
	// bbolt's Get returns for a key it does not hold (the trash moves
	// records by Get).
	indexed = []byte{}
)

// projectCountKey is the key of a project's count: a prefix keeps the
// Unsorted one ("") a valid, non-empty bbolt key.
func projectCountKey(project string) []byte { return append([]byte{'p'}, project...) }

// initIndexes creates the index buckets, building them from the summaries
// when the file has none yet.
func initIndexes(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(keyIndexes) != nil {
		return nil
	}
	if err := rebuildIndexes(tx); err != nil {
		return fmt.Errorf("build the capture indexes: %w", err)
	}
	return meta.Put(keyIndexes, []byte{1})
}

// rebuildIndexes writes both indexes from the summaries.
func rebuildIndexes(tx *bolt.Tx) error {
	if err := resetIndexes(tx); err != nil {
		return err
	}
	ids := tx.Bucket(bucketIDs)
	ids.FillPercent = 1
	counts := map[string]int64{}
	c := tx.Bucket(bucketSummaries).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := ids.Put(k, indexed); err != nil {
			return err
		}
		counts[summaryProject(v)]++
	}
	return addProjectCounts(tx, counts)
}

// resetProjectCounts empties the per-project counts.
func resetProjectCounts(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketProjectCounts); err != nil {
		return err
	}
	_, err := tx.CreateBucket(bucketProjectCounts)
	return err
}

// addBinProjectCounts counts back the captures of a trash bin being
// restored.
func addBinProjectCounts(tx *bolt.Tx, bin *bolt.Bucket) error {
	counts := map[string]int64{}
	err := bin.Bucket(bucketSummaries).ForEach(func(_, v []byte) error {
		counts[summaryProject(v)]++
		return nil
	})
	if err != nil {
		return err
	}
	return addProjectCounts(tx, counts)
}

// resetIndexes empties both indexes.
func resetIndexes(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketIDs, bucketProjectCounts} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return nil
}

// summaryProject reads the project field of an encoded summary.
func summaryProject(v []byte) string {
	d := decoder{b: v}
	for {
		tag, f, ok := d.next()
		if !ok {
			return ""
		}
		if tag == sProject {
			return string(f)
		}
	}
}

// addProjectCounts adds delta to each project's count, dropping counts that
// reach zero.
func addProjectCounts(tx *bolt.Tx, delta map[string]int64) error {
	b := tx.Bucket(bucketProjectCounts)
	for project, d := range delta {
		if d == 0 {
			continue
		}
		k := projectCountKey(project)
		n := int64(decUint(b.Get(k))) + d
		var err error
		if n <= 0 {
			err = b.Delete(k)
		} else {
			err = b.Put(k, binary.AppendUvarint(nil, uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// readProjectCounts returns the counts bucket as ProjectCounts does.
func readProjectCounts(tx *bolt.Tx) (map[string]int, error) {
	counts := map[string]int{}
	err := tx.Bucket(bucketProjectCounts).ForEach(func(k, v []byte) error {
		if len(k) == 0 || k[0] != 'p' {
			return errCorrupt
		}
		counts[string(k[1:])] = int(decUint(v))
		return nil
	})
	return counts, err
}
