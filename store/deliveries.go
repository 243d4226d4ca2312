package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	keyDeliverySep   = byte(0) // slugs never contain it
)

// MaxDeliveriesPerProject bounds each project's delivery history; the oldest
// attempts go first. Attempts hold bodies, so the history cannot grow freely.
const MaxDeliveriesPerProject = 500

func deliveryPrefix(slug string) []byte {
	return append([]byte(slug), keyDeliverySep)
}

func deliveryKey(slug string, id ID) []byte {
	return append(deliveryPrefix(slug), id.key()...)
}

// RecordDelivery stores the attempt and updates the log of its webhook: a
// 2xx sets lastCall; any other answer sets lastCall and lastError (with the
// response body); no answer at all (StatusCode 0) sets lastError with the
// attempt's error and status code 0. The attempt is recorded even when the
// project or webhook is gone by now. It sets a.ID.
func (s *Store) RecordDelivery(a *Attempt) error {
	if a.Project == "" {
		return errors.New("record delivery: attempt has no project")
	}
	if a.At.IsZero() {
		a.At = s.opts.Now()
	}
	var logged bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketDeliveries)
		if err != nil {
			return err
		}
		prefix := deliveryPrefix(a.Project)
		id := s.NewID(a.At)
		// NewID restarts from the newest capture after a reopen; keep the
		// project's history strictly ordered anyway.
		if last, ok := lastDelivery(b.Cursor(), a.Project); ok && last >= id {
			id = last + 1
		}
		a.ID = id
		v, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if err := b.Put(deliveryKey(a.Project, id), v); err != nil {
			return err
		}
		if err := trimDeliveries(b, prefix); err != nil {
			return err
		}
		logged, err = logAttempt(tx, a)
		return err
	})
	if err != nil {
		return fmt.Errorf("record delivery to %s/%s: %w", a.Project, a.Action, err)
	}
	if logged {
		s.publish(Event{Type: ProjectsChanged})
	}
	return nil
}

// trimDeliveries drops a project's oldest attempts beyond the limit.
func trimDeliveries(b *bolt.Bucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, k)
	}
	if len(keys) <= MaxDeliveriesPerProject {
		return nil
	}
	doomed := make([][]byte, 0, len(keys)-MaxDeliveriesPerProject)
	for _, k := range keys[:len(keys)-MaxDeliveriesPerProject] {
		doomed = append(doomed, append([]byte(nil), k...))
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// logAttempt updates the webhook's lastCall/lastError; it reports whether
// there was a webhook to update.
func logAttempt(tx *bolt.Tx, a *Attempt) (bool, error) {
	p, ok, err := getProject(tx, a.Project)
	if err != nil || !ok {
		return false, err
	}
	i := -1
	for j, w := range p.Webhooks {
		if strings.EqualFold(w.Action, a.Action) {
			i = j
			break
		}
	}
	if i < 0 {
		return false, nil
	}
	w := &p.Webhooks[i]
	date := a.At.UTC()
	switch {
	case a.StatusCode == 0:
		msg := a.Error
		if msg == "" {
			msg = "no answer"
		}
		w.LastError = &LastError{StatusCode: 0, Message: msg, Date: date}
	case a.OK():
		w.LastCall = &LastCall{StatusCode: a.StatusCode, Message: a.StatusMessage(), Date: date}
	default:
		w.LastCall = &LastCall{StatusCode: a.StatusCode, Message: a.StatusMessage(), Date: date}
		body := a.ResponseBody
		if len(body) > maxLogBody {
			body = body[:maxLogBody]
		}
		w.LastError = &LastError{StatusCode: a.StatusCode, Message: a.StatusMessage(), Body: string(body), Date: date}
	}
	return true, putProject(tx, &p)
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
// 12 ms"). Attempts come after their capture, so the scan stops at its ID.
func (s *Store) CaptureDeliveries(slug string, capture ID) ([]Attempt, error) {
	out := []Attempt{}
	err := s.scanDeliveries(slug, func(a Attempt) bool {
		if a.ID < capture {
			return false
		}
		if a.CaptureID == capture {
			out = append(out, a)
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries of capture %s: %w", capture, err)
	}
	return out, nil
}

// scanDeliveries calls fn with the project's attempts, newest first, until
// it returns false.
func (s *Store) scanDeliveries(slug string, fn func(Attempt) bool) error {
	return s.db.View(func(tx *bolt.Tx) error {
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

func deleteDeliveries(tx *bolt.Tx, slug string) error {
	b := tx.Bucket(bucketDeliveries)
	if b == nil {
		return nil
	}
	prefix := deliveryPrefix(slug)
	var doomed [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		doomed = append(doomed, append([]byte(nil), k...))
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func moveDeliveries(tx *bolt.Tx, from, to string) error {
	b := tx.Bucket(bucketDeliveries)
	if b == nil {
		return nil
	}
	prefix := deliveryPrefix(from)
	type kv struct{ k, v []byte }
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
		moved = append(moved, kv{append([]byte(nil), k...), nv})
	}
	for _, m := range moved {
		if err := b.Delete(m.k); err != nil {
			return err
		}
		id := binary.BigEndian.Uint64(m.k[len(prefix):])
		if err := b.Put(deliveryKey(to, ID(id)), m.v); err != nil {
			return err
		}
	}
	return nil
}
