package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// RecoverReport says what Recover copied out of a damaged file.
type RecoverReport struct {
	// Saved captures were copied whole: summary, details and body.
	Saved int
	// Unreadable captures were found in the file (a summary or details
	// record under their ID) but could not be read whole.
	Unreadable int
	// Held is how many captures the file said it held (-1 when that
	// record could not be read); captures on pages lost altogether count
	// here and in neither Saved nor Unreadable.
	Held int
	// Projects and Deliveries are the project and delivery records copied.
	Projects, Deliveries int
	// Loose of the saved captures were read from leaf pages that no read
	// through the file's tree reached (a file cut short or a lost root).
	// Such a page may also be one an earlier commit freed, so a capture
	// deleted shortly before the damage can come back among them.
	Loose int
	// SkippedRecords counts project and delivery records that were reached
	// but did not decode.
	SkippedRecords int
}

// recoverBatch is how many captures share one transaction of the new file.
const recoverBatch = 512

// Recover copies every readable record of the store file src into a new
// store file dst, which must not exist, and never writes to src. It reads
// src the way bbolt's Compact copies a file (bucket by bucket, key by key:
// https://pkg.go.dev/go.etcd.io/bbolt#Compact), but each read runs under
// guard and a capture is copied only when its summary, details and body
// decode and agree, so a damaged page costs the captures on it, not the
// rest of the file.
func Recover(src, dst string) (RecoverReport, error) {
	rep := RecoverReport{Held: -1}
	if _, err := os.Stat(dst); err == nil {
		return rep, fmt.Errorf("recover into %s: the file exists; name a new file", dst)
	}
	var in *bolt.DB
	err := guard(src, func() error {
		var err error
		in, err = bolt.Open(src, 0, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return rep, fmt.Errorf("recover %s: %w; stop it first", src, ErrLocked)
	}
	if err != nil {
		return rep, fmt.Errorf("recover %s: cannot read the file at all: %w", src, err)
	}
	defer in.Close()
	out, err := Open(dst, Options{MaxCount: -1})
	if err != nil {
		return rep, fmt.Errorf("recover into %s: %w", dst, err)
	}
	err = copyReadable(src, in, out, &rep)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("recover %s into %s: %w", src, dst, err)
	}
	return rep, nil
}

// copyReadable copies captures, then projects and deliveries, from in to out.
func copyReadable(src string, in *bolt.DB, out *Store, rep *RecoverReport) error {
	var loose *looseRecords
	err := in.View(func(tx *bolt.Tx) error {
		_ = guard("", func() error {
			if meta := tx.Bucket(bucketMeta); meta != nil {
				if v := meta.Get(keyCount); v != nil {
					rep.Held = int(decUint(v))
				}
			}
			return nil
		})
		if rootLost(tx, bucketSummaries) || rootLost(tx, bucketDetails) || cutShort(tx, src) {
			var err error
			if loose, err = readLoose(src, in.Info().PageSize); err != nil {
				return err
			}
		}
		if err := copyCaptures(tx, out, loose, rep); err != nil {
			return err
		}
		return copyProjectRecords(tx, out, loose, rep)
	})
	return err
}

// cutShort reports whether the file ends before its last page: branch
// pages past the cut hide leaves that are still in the file.
func cutShort(tx *bolt.Tx, path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() < tx.Size()
}

// rootLost reports whether no read reaches the bucket's records: its root
// page, or the file's, cannot be read.
func rootLost(tx *bolt.Tx, bucket []byte) bool {
	return guard("", func() error {
		b := tx.Bucket(bucket)
		if b == nil {
			return errors.New("no bucket")
		}
		if root := int(b.Root()); root != 0 {
			p, err := tx.Page(root)
			if err != nil || p == nil || (p.Type != "branch" && p.Type != "leaf") {
				return errors.New("root page unreadable")
			}
		}
		b.Cursor().First()
		return nil
	}) != nil
}

// recoverRec is one capture's records as stored: body is nil when the
// detail record holds it (schema version 2).
type recoverRec struct {
	k                     []byte
	summary, detail, body []byte
}

// putRecovered writes a batch of recovered captures with their ID index
// entries and counts.
func putRecovered(otx *bolt.Tx, batch []recoverRec) error {
	sums, dets, bods := otx.Bucket(bucketSummaries), otx.Bucket(bucketDetails), otx.Bucket(bucketBodies)
	ids, counts := otx.Bucket(bucketIDs), map[string]int64{}
	for _, r := range batch {
		if err := sums.Put(r.k, r.summary); err != nil {
			return err
		}
		if err := ids.Put(r.k, indexed); err != nil {
			return err
		}
		counts[summaryProject(r.summary)]++
		if err := dets.Put(r.k, r.detail); err != nil {
			return err
		}
		if len(r.body) > 0 {
			if err := bods.Put(r.k, r.body); err != nil {
				return err
			}
		}
	}
	if err := addProjectCounts(otx, counts); err != nil {
		return err
	}
	return addCount(otx, int64(len(batch)))
}

func copyCaptures(tx *bolt.Tx, out *Store, loose *looseRecords, rep *RecoverReport) error {
	seen, saved := map[ID]bool{}, map[ID]bool{}
	var batch []recoverRec
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := out.update(func(otx *bolt.Tx) error { return putRecovered(otx, batch) })
		if err == nil {
			rep.Saved += len(batch)
		}
		batch = batch[:0]
		return err
	}
	var ferr error
	scanIDs(tx, bucketSummaries, func(id ID, v []byte) {
		seen[id] = true
		if r, ok := readCapture(tx, id, v); ok && ferr == nil {
			saved[id] = true
			batch = append(batch, r)
			if len(batch) == recoverBatch {
				ferr = flush()
			}
		}
	})
	if ferr != nil {
		return ferr
	}
	if loose != nil {
		for _, id := range sortedIDs(loose.byID) {
			r, found, ok := loose.capture(id)
			if !found || saved[id] {
				continue
			}
			seen[id] = true
			if !ok {
				continue
			}
			rep.Loose++
			if batch = append(batch, r); len(batch) == recoverBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// A capture whose summary page is lost still shows in the details.
	scanIDs(tx, bucketDetails, func(id ID, _ []byte) { seen[id] = true })
	rep.Unreadable = len(seen) - rep.Saved
	return nil
}

// readCapture copies the records of one capture out of the memory map,
// when they decode and the body has the size the summary says.
func readCapture(tx *bolt.Tx, id ID, summary []byte) (recoverRec, bool) {
	var r recoverRec
	err := guard("", func() error {
		sum, err := decodeSummary(id, summary)
		if err != nil {
			return err
		}
		k := id.key()
		detail := tx.Bucket(bucketDetails).Get(k)
		if detail == nil {
			return errors.New("no details")
		}
		if err := decodeDetail(&Capture{ID: id}, detail); err != nil {
			return err
		}
		r = recoverRec{k: k, summary: clone(summary), detail: clone(detail)}
		body, inDetail := detailBody(detail)
		if b := tx.Bucket(bucketBodies); b != nil && !inDetail {
			// Stored by schema version 1: the body is a record of its own.
			body = b.Get(k)
			r.body = clone(body)
		}
		if len(body) != sum.Size {
			return errors.New("body size differs from its summary")
		}
		return nil
	})
	return r, err == nil
}

func sortedIDs(m map[ID][][]byte) []ID {
	return slices.Sorted(maps.Keys(m))
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// scanIDs calls fn for every readable key of a capture bucket, in order.
// A cursor that panics on a damaged page is dropped; the scan resumes at
// the first key after the damage that a fresh Seek reaches (keys are IDs,
// 8 big-endian bytes, so the next readable one is found by doubling a step
// past the damage and then halving back to its edge).
func scanIDs(tx *bolt.Tx, bucket []byte, fn func(ID, []byte)) {
	var pos uint64 // the smallest ID not yet visited
	for {
		next, ok := scanFrom(tx, bucket, pos, fn)
		if ok {
			return
		}
		var found bool
		if pos, found = pastDamage(tx, bucket, next); !found {
			return
		}
	}
}

// scanFrom visits keys from pos on until the end (ok) or a damaged page; it
// returns the smallest ID it has not visited.
func scanFrom(tx *bolt.Tx, bucket []byte, pos uint64, fn func(ID, []byte)) (next uint64, ok bool) {
	next = pos
	err := guard("", func() error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(binary.BigEndian.AppendUint64(nil, pos)); k != nil; k, v = c.Next() {
			if len(k) != 8 || binary.BigEndian.Uint64(k) < next || v == nil {
				return errors.New("a key out of place")
			}
			id := binary.BigEndian.Uint64(k)
			fn(ID(id), v)
			if id == math.MaxUint64 {
				return nil
			}
			next = id + 1
		}
		return nil
	})
	return next, err == nil
}

// seekable reports whether a fresh Seek to pos reads without damage.
func seekable(tx *bolt.Tx, bucket []byte, pos uint64) bool {
	return guard("", func() error {
		k, _ := tx.Bucket(bucket).Cursor().Seek(binary.BigEndian.AppendUint64(nil, pos))
		if k != nil && (len(k) != 8 || binary.BigEndian.Uint64(k) < pos) {
			return errors.New("a key out of place")
		}
		return nil
	}) == nil
}

// pastDamage finds the smallest ID above the damaged pos from which a Seek
// reads again.
func pastDamage(tx *bolt.Tx, bucket []byte, pos uint64) (uint64, bool) {
	bad, good := pos, uint64(0)
	for step := uint64(1); ; step *= 2 {
		if step == 0 || step > math.MaxUint64-pos {
			// No Seek above the damage reads: the bucket's root is lost.
			return 0, false
		}
		if seekable(tx, bucket, pos+step) {
			good = pos + step
			break
		}
		bad = pos + step
	}
	for good-bad > 1 {
		mid := bad + (good-bad)/2
		if seekable(tx, bucket, mid) {
			good = mid
		} else {
			bad = mid
		}
	}
	return good, true
}

// jsonBuckets hold one JSON record per key: projects, the delivery history,
// the webhooks' last call and error, and pending jobs (an adoption cut short
// resumes in the new file), and the saved views.
var jsonBuckets = [][]byte{bucketProjects, bucketDeliveries, bucketWebhookLogs, bucketJobs, bucketViews}

// copyProjectRecords copies the records of jsonBuckets that are valid JSON,
// then indexes the copied attempts by their capture. Their keys are not
// IDs, so a damaged page ends the bucket's walk rather than being skipped.
func copyProjectRecords(tx *bolt.Tx, out *Store, loose *looseRecords, rep *RecoverReport) error {
	var attempts []recoverRec
	for _, bucket := range jsonBuckets {
		recs := readJSONRecords(tx, bucket, rep)
		if len(recs) == 0 && loose != nil && bytes.Equal(bucket, bucketProjects) {
			for _, slug := range slices.Sorted(maps.Keys(loose.projects)) {
				recs = append(recs, recoverRec{k: []byte(slug), summary: loose.projects[slug]})
			}
		}
		err := out.update(func(otx *bolt.Tx) error {
			b, err := otx.CreateBucketIfNotExists(bucket)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := b.Put(r.k, r.summary); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		switch {
		case bytes.Equal(bucket, bucketProjects):
			rep.Projects = len(recs)
		case bytes.Equal(bucket, bucketDeliveries):
			rep.Deliveries, attempts = len(recs), recs
		}
	}
	return out.update(func(otx *bolt.Tx) error {
		idx, sums := otx.Bucket(bucketCaptureDeliveries), otx.Bucket(bucketSummaries)
		for _, a := range attempts {
			if id := deliveryCapture(a.summary); id != 0 && sums.Get(id.key()) != nil {
				if err := idx.Put(captureDeliveryKey(id, a.k), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// readJSONRecords reads bucket's records up to the end or a damaged page.
func readJSONRecords(tx *bolt.Tx, bucket []byte, rep *RecoverReport) []recoverRec {
	var recs []recoverRec
	_ = guard("", func() error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil || !json.Valid(v) {
				rep.SkippedRecords++
				continue
			}
			recs = append(recs, recoverRec{k: clone(k), summary: clone(v)})
		}
		return nil
	})
	return recs
}
