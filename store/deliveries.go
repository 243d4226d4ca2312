package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Attempt is one delivery: a request Hookscope sent to a webhook and what
// came back.
type Attempt struct {
	ID      ID          `json:"-"` // the key; set by RecordDelivery
	Project string      `json:"project"`
	Action  string      `json:"action"`
	At      time.Time   `json:"at"`
	Request SentRequest `json:"request"`
	// StatusCode is 0 when no answer came (Error says why).
	StatusCode     int         `json:"statusCode"`
	Status         string      `json:"status"`
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	// ResponseBody holds at most MaxResponseBody bytes;
	// ResponseTruncated says the answer was longer.
	ResponseBody      []byte        `json:"responseBody,omitempty"`
	ResponseTruncated bool          `json:"responseTruncated,omitempty"`
	Duration          time.Duration `json:"duration"`
	Error             string        `json:"error,omitempty"`
	// CaptureID is the capture this attempt forwarded or replayed.
	CaptureID ID `json:"captureId,omitempty"`
	// Resigned says the signature headers were recomputed for this attempt
	// rather than sent as captured. Records written before it read false,
	// which is what those replays did unless asked.
	Resigned bool `json:"resigned,omitempty"`
	// Sample says which test event the attempt was a call of; nil for
	// forwards, replays and plain deliveries.
	Sample *SampleCall `json:"sample,omitempty"`
}

// SampleCall places an attempt in the test event it was part of.
type SampleCall struct {
	// Template is the template the body was built from.
	Template string `json:"template"`
	// Batch is the ID every call of one send shares (the {{batch}}
	// placeholder).
	Batch string `json:"batch"`
	// Call is the call's place in the send, from 1, of Calls.
	Call  int `json:"call"`
	Calls int `json:"calls"`
	// Records is how many records the call carried.
	Records int `json:"records"`
}

// SentRequest is the request of an attempt, as sent.
type SentRequest struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body,omitempty"`
}

// MaxResponseBody is how much of a webhook's answer an attempt keeps (1 MiB).
const MaxResponseBody = 1 << 20

// OK reports whether the target answered 2xx.
func (a Attempt) OK() bool { return a.StatusCode >= 200 && a.StatusCode < 300 }

// StatusMessage is the reason phrase the target answered with, or the
// standard one for the code.
func (a Attempt) StatusMessage() string {
	if a.StatusCode == 0 {
		return ""
	}
	if msg := strings.TrimSpace(strings.TrimPrefix(a.Status, strconv.Itoa(a.StatusCode))); msg != "" {
		return msg
	}
	if msg := http.StatusText(a.StatusCode); msg != "" {
		return msg
	}
	return "status " + strconv.Itoa(a.StatusCode)
}

// Outcome is a one-line result for the UI: "200 OK in 12 ms" or the error.
func (a Attempt) Outcome() string {
	if a.StatusCode == 0 {
		if a.Error == "" {
			return "no answer"
		}
		return a.Error
	}
	return fmt.Sprintf("%d %s in %s", a.StatusCode, a.StatusMessage(), formatDuration(a.Duration))
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}

var (
	bucketDeliveries = []byte("deliveries")
	// bucketCaptureDeliveries indexes attempts by capture: its keys are the
	// capture's key followed by the attempt's key, with empty values, so
	// deleting a capture finds its attempts with one seek.
	bucketCaptureDeliveries = []byte("capturedeliveries")
	keyDeliverySep          = byte(0) // slugs never contain it
)

// MaxDeliveriesPerProject bounds each project's delivery history; the oldest
// attempts go first. Attempts hold bodies, so the history cannot grow freely.
const MaxDeliveriesPerProject = 500

// MaxDeliveryBytesPerProject bounds each project's delivery history by size
// as well: 500 attempts of a 10 MiB body and a 1 MiB answer would be 5.5 GB.
// The newest attempt is kept whatever its size.
const MaxDeliveryBytesPerProject = 64 << 20

func deliveryPrefix(slug string) []byte {
	return append([]byte(slug), keyDeliverySep)
}

func deliveryKey(slug string, id ID) []byte {
	return append(deliveryPrefix(slug), id.key()...)
}

// captureDeliveryKey is the index entry of the attempt stored under dk.
func captureDeliveryKey(capture ID, dk []byte) []byte {
	return append(capture.key(), dk...)
}

// RecordDelivery stores the attempt and updates the log of its webhook: a
// 2xx sets lastCall; any other answer sets lastCall and lastError (with the
// response body); no answer at all (StatusCode 0) sets lastError with the
// attempt's error and status code 0. The attempt is recorded even when the
// project or webhook is gone by now. It sets a.ID. Unless the store keeps
// credentials (Options.KeepCredentialsInHistory), the stored copy has its
// credential headers masked; a is left as sent. Subscribers hear of it as
// DeliveryRecorded: a delivery changes no project.
func (s *Store) RecordDelivery(a *Attempt) error {
	if a.Project == "" {
		return errors.New("record delivery: attempt has no project")
	}
	if a.At.IsZero() {
		a.At = s.opts.Now()
	}
	stored := *a
	if !s.KeepCredentialsInHistory() {
		stored = scrubAttempt(*a)
	}
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		id := s.NewID(a.At)
		// NewID restarts from the newest capture after a reopen; keep the
		// project's history strictly ordered anyway.
		if last, ok := lastDelivery(b.Cursor(), a.Project); ok && last >= id {
			id = last + 1
		}
		a.ID, stored.ID = id, id
		if a.CaptureID != 0 && tx.Bucket(bucketSummaries).Get(a.CaptureID.key()) == nil {
			// The capture was deleted while the attempt was under way: its
			// history went with it, and this attempt goes too.
			return logAttempt(tx, a)
		}
		v, err := json.Marshal(&stored)
		if err != nil {
			return err
		}
		dk := deliveryKey(a.Project, id)
		if err := b.Put(dk, v); err != nil {
			return err
		}
		if a.CaptureID != 0 {
			if err := tx.Bucket(bucketCaptureDeliveries).Put(captureDeliveryKey(a.CaptureID, dk), nil); err != nil {
				return err
			}
		}
		if err := trimDeliveries(tx, a.Project, s.historyByteCap()); err != nil {
			return err
		}
		return logAttempt(tx, a)
	})
	if err != nil {
		return fmt.Errorf("record delivery to %s/%s: %w", a.Project, a.Action, err)
	}
	s.publish(Event{Type: DeliveryRecorded, Project: a.Project, Action: a.Action, Failure: a.failure()})
	return nil
}

// failure is why a did not succeed, "" when it got a 2xx answer.
func (a Attempt) failure() string {
	switch {
	case a.OK():
		return ""
	case a.StatusCode == 0 && a.Error == "":
		return "no answer"
	case a.StatusCode == 0:
		return a.Error
	}
	return strconv.Itoa(a.StatusCode) + " " + a.StatusMessage()
}

func (s *Store) historyByteCap() int {
	if s.historyBytes > 0 {
		return s.historyBytes
	}
	return MaxDeliveryBytesPerProject
}

// trimDeliveries drops a project's oldest attempts beyond the count and size
// limits.
func trimDeliveries(tx *bolt.Tx, slug string, maxBytes int) error {
	b := tx.Bucket(bucketDeliveries)
	prefix := deliveryPrefix(slug)
	var doomed [][]byte
	kept, size := 0, 0
	c := b.Cursor()
	for k, v := seekDeliveriesEnd(c, slug); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if kept == 0 || (kept < MaxDeliveriesPerProject && size+len(v) <= maxBytes) {
			kept++
			size += len(v)
			continue
		}
		// Once one attempt is dropped, every older one is too: the history
		// keeps the newest run.
		kept = MaxDeliveriesPerProject
		doomed = append(doomed, append([]byte(nil), k...))
	}
	for _, k := range doomed {
		if err := deleteDelivery(tx, k); err != nil {
			return err
		}
	}
	return nil
}

// deleteDelivery removes the attempt stored under k and its index entry.
func deleteDelivery(tx *bolt.Tx, k []byte) error {
	b := tx.Bucket(bucketDeliveries)
	if capture := deliveryCapture(b.Get(k)); capture != 0 {
		if err := tx.Bucket(bucketCaptureDeliveries).Delete(captureDeliveryKey(capture, k)); err != nil {
			return err
		}
	}
	return b.Delete(k)
}

// deliveryCapture reads only the capture ID of a stored attempt (0 for none
// or a record it cannot read: such a record has no index entry either).
func deliveryCapture(v []byte) ID {
	var a struct {
		CaptureID ID `json:"captureId"`
	}
	if v == nil || json.Unmarshal(v, &a) != nil {
		return 0
	}
	return a.CaptureID
}

// Deliveries returns up to limit attempts of the project, newest first,
// those of one action when action is not "" (default limit 50).
func (s *Store) Deliveries(slug, action string, limit int) ([]Attempt, error) {
	if limit <= 0 {
		limit = 50
	}
	out := []Attempt{}
	err := s.scanDeliveries(slug, func(a Attempt) bool {
		if action == "" || strings.EqualFold(a.Action, action) {
			out = append(out, a)
		}
		return len(out) < limit
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries of %q: %w", slug, err)
	}
	return out, nil
}

// CaptureDeliveries returns the attempts that forwarded or replayed the
// capture, newest first: what a capture's detail shows ("Forwarded → 200 in
// 12 ms"). It reads the index by capture, so the attempts recorded while the
// capture was in another project (Unsorted, before a project adopted it)
// are there too.
func (s *Store) CaptureDeliveries(capture ID) ([]Attempt, error) {
	out := []Attempt{}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		prefix := capture.key()
		c := tx.Bucket(bucketCaptureDeliveries).Cursor()
		for ik, _ := c.Seek(prefix); ik != nil && bytes.HasPrefix(ik, prefix); ik, _ = c.Next() {
			k := ik[len(prefix):]
			v := b.Get(k)
			if v == nil || len(k) < 8 {
				continue
			}
			var a Attempt
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("delivery %x: %w", k, err)
			}
			a.ID = idFromKey(k[len(k)-8:])
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries of capture %s: %w", capture, err)
	}
	slices.SortFunc(out, func(x, y Attempt) int { return cmp.Compare(y.ID, x.ID) })
	return out, nil
}

// scanDeliveries calls fn with the project's attempts, newest first, until
// it returns false.
func (s *Store) scanDeliveries(slug string, fn func(Attempt) bool) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		if b == nil {
			return nil
		}
		prefix := deliveryPrefix(slug)
		c := b.Cursor()
		k, v := seekDeliveriesEnd(c, slug)
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			if len(k) != len(prefix)+8 {
				continue
			}
			var a Attempt
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("delivery %x: %w", k, err)
			}
			a.ID = idFromKey(k[len(prefix):])
			if !fn(a) {
				return nil
			}
		}
		return nil
	})
}

// seekDeliveriesEnd positions c on the project's newest attempt (or on the
// key before the project's range when it has none; callers check the prefix).
func seekDeliveriesEnd(c *bolt.Cursor, slug string) (k, v []byte) {
	// slug+1 sorts after every slug+0+id key and before any other slug's keys.
	if k, _ = c.Seek(append([]byte(slug), keyDeliverySep+1)); k == nil {
		return c.Last()
	}
	return c.Prev()
}

// lastDelivery is the ID of the project's newest attempt.
func lastDelivery(c *bolt.Cursor, slug string) (ID, bool) {
	prefix := deliveryPrefix(slug)
	k, _ := seekDeliveriesEnd(c, slug)
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return 0, false
	}
	return idFromKey(k[len(prefix):]), true
}

// deleteDeliveries removes a project's whole history.
func deleteDeliveries(tx *bolt.Tx, slug string) error {
	for _, k := range keysWithPrefix(tx.Bucket(bucketDeliveries), deliveryPrefix(slug)) {
		if err := deleteDelivery(tx, k); err != nil {
			return err
		}
	}
	return nil
}

// deleteCaptureDeliveries removes the attempts that forwarded or replayed the
// capture stored under key k, in the transaction that deletes the capture:
// they hold its body and the headers sent with it.
func deleteCaptureDeliveries(tx *bolt.Tx, k []byte) error {
	idx := tx.Bucket(bucketCaptureDeliveries)
	b := tx.Bucket(bucketDeliveries)
	for _, ik := range keysWithPrefix(idx, k) {
		if err := b.Delete(ik[len(k):]); err != nil {
			return err
		}
		if err := idx.Delete(ik); err != nil {
			return err
		}
	}
	return nil
}

// clearCaptureDeliveries removes the attempts of every capture (Clear all),
// and what is left of Unsorted's history; a project's test events, which
// belong to no capture, stay.
func clearCaptureDeliveries(tx *bolt.Tx) error {
	b := tx.Bucket(bucketDeliveries)
	err := tx.Bucket(bucketCaptureDeliveries).ForEach(func(ik, _ []byte) error {
		return b.Delete(ik[8:])
	})
	if err != nil {
		return err
	}
	if err := tx.DeleteBucket(bucketCaptureDeliveries); err != nil {
		return err
	}
	if _, err := tx.CreateBucket(bucketCaptureDeliveries); err != nil {
		return err
	}
	return deleteDeliveries(tx, Unsorted)
}

// moveDeliveries gives a renamed project's attempts, and their index
// entries, the new slug.
func moveDeliveries(tx *bolt.Tx, from, to string) error {
	b := tx.Bucket(bucketDeliveries)
	prefix := deliveryPrefix(from)
	type kv struct {
		k, v    []byte
		capture ID
	}
	var moved []kv
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var a Attempt
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("delivery %x: %w", k, err)
		}
		a.Project = to
		nv, err := json.Marshal(&a)
		if err != nil {
			return err
		}
		moved = append(moved, kv{append([]byte(nil), k...), nv, a.CaptureID})
	}
	idx := tx.Bucket(bucketCaptureDeliveries)
	for _, m := range moved {
		if err := b.Delete(m.k); err != nil {
			return err
		}
		nk := deliveryKey(to, ID(binary.BigEndian.Uint64(m.k[len(prefix):])))
		if err := b.Put(nk, m.v); err != nil {
			return err
		}
		if m.capture == 0 {
			continue
		}
		if err := idx.Delete(captureDeliveryKey(m.capture, m.k)); err != nil {
			return err
		}
		if err := idx.Put(captureDeliveryKey(m.capture, nk), nil); err != nil {
			return err
		}
	}
	return nil
}

// initDeliveries creates the history's buckets, and indexes by capture the
// attempts of a file written before the index existed.
func initDeliveries(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists(bucketDeliveries)
	if err != nil {
		return err
	}
	if tx.Bucket(bucketCaptureDeliveries) != nil {
		return nil
	}
	idx, err := tx.CreateBucket(bucketCaptureDeliveries)
	if err != nil {
		return err
	}
	// Such a file kept the attempts of captures it had deleted since: they
	// go now, with the bodies and headers they hold.
	sums := tx.Bucket(bucketSummaries)
	var orphans [][]byte
	err = b.ForEach(func(k, v []byte) error {
		capture := deliveryCapture(v)
		switch {
		case capture == 0:
			return nil
		case sums.Get(capture.key()) == nil:
			orphans = append(orphans, append([]byte(nil), k...))
			return nil
		}
		return idx.Put(captureDeliveryKey(capture, k), nil)
	})
	if err != nil {
		return err
	}
	for _, k := range orphans {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// keysWithPrefix copies the keys of b that start with prefix, so the caller
// may delete them: bbolt's cursor must not run over keys being deleted.
func keysWithPrefix(b *bolt.Bucket, prefix []byte) [][]byte {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	return keys
}
