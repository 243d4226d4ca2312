package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Response rules count the requests each one matched, so a sequence ("500,
// 500, then 200") goes on where it was after a restart. The counters live in
// their own bucket, keyed by scope (a project's slug, "" for Unsorted's
// list), a zero byte and the rule's name (names are unique within a list and
// hold no control character); the value is the rule's hash (RuleKey.Hash)
// and its count. A count stored under another hash belongs to an earlier
// version of the rule and reads as zero: an edited rule starts over. The
// store knows nothing else of rules: package projects decides which rule
// and step answer (see ChooseStep).
var bucketRuleCounters = []byte("rulecounters")

// RuleKey names the counter of one rule of a list: the rule's name and the
// hash of its content (enabling or disabling a rule keeps its hash).
type RuleKey struct {
	Name string
	Hash string
}

// CountMatch counts one more match of the rule of key and returns its
// count, this match included.
type CountMatch func(key RuleKey) (uint64, error)

func ruleCounterKey(scope, name string) []byte {
	return append(append([]byte(scope), 0), name...)
}

func decodeRuleCounter(v []byte) (hash string, n uint64) {
	h, rest, ok := bytes.Cut(v, []byte{0})
	if !ok {
		return "", 0
	}
	n, _ = binary.Uvarint(rest)
	return string(h), n
}

func encodeRuleCounter(hash string, n uint64) []byte {
	return binary.AppendUvarint(append([]byte(hash), 0), n)
}

func ruleCount(b *bolt.Bucket, scope string, key RuleKey) uint64 {
	if b == nil {
		return 0
	}
	hash, n := decodeRuleCounter(b.Get(ruleCounterKey(scope, key.Name)))
	if hash != key.Hash {
		return 0
	}
	return n
}

// ChooseStep runs choose in one write transaction, with a CountMatch over
// scope's counters: choose counts each rule it asks, in the order of
// matching, until one answers, so the counts and the choice of step happen
// together and concurrent requests each get their own step (64 senders
// against "fail twice then succeed" get exactly two failures). choose may
// run twice (see batch), so it must set its results afresh each time; an
// error it returns writes no count.
func (s *Store) ChooseStep(scope string, choose func(count CountMatch) error) error {
	err := s.batch(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketRuleCounters)
		if err != nil {
			return err
		}
		return choose(func(key RuleKey) (uint64, error) {
			n := ruleCount(b, scope, key) + 1
			return n, b.Put(ruleCounterKey(scope, key.Name), encodeRuleCounter(key.Hash, n))
		})
	})
	if err != nil {
		return fmt.Errorf("choose a response rule for %s: %w", scopeName(scope), err)
	}
	return nil
}

// batch is update for a transaction many requests run at once: bbolt's
// Batch runs the functions of concurrent calls in one transaction, one
// after the other, so they share one fsync. A function may run twice (when
// its batch fails, it is retried alone), which is why ChooseStep's
// callback sets its results afresh each time it runs.
func (s *Store) batch(fn func(*bolt.Tx) error) error { return s.write(s.db.Batch, fn) }

// RuleCounts returns how many requests each rule of keys matched since it
// last changed or was reset, in the order of keys.
func (s *Store) RuleCounts(scope string, keys []RuleKey) ([]uint64, error) {
	out := make([]uint64, len(keys))
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuleCounters)
		for i, k := range keys {
			out[i] = ruleCount(b, scope, k)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rule counters of %s: %w", scopeName(scope), err)
	}
	return out, nil
}

// ResetRuleCounts sets the named rules' counters of scope back to zero, or
// every counter of scope when no name is given: their sequences start over.
func (s *Store) ResetRuleCounts(scope string, names ...string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuleCounters)
		if b == nil {
			return nil
		}
		if len(names) > 0 {
			for _, name := range names {
				if err := b.Delete(ruleCounterKey(scope, name)); err != nil {
					return err
				}
			}
			return nil
		}
		prefix := ruleCounterKey(scope, "")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reset rule counters of %s: %w", scopeName(scope), err)
	}
	return nil
}

func scopeName(scope string) string {
	if scope == "" {
		return "Unsorted"
	}
	return fmt.Sprintf("project %q", scope)
}

// UnsortedRules returns the rules that answer captures of no project, the
// JSON list PutUnsortedRules saved (nil when none was).
func (s *Store) UnsortedRules() (json.RawMessage, error) {
	var rs json.RawMessage
	if err := s.readSetting(keyUnsortedRules, &rs); err != nil {
		return nil, fmt.Errorf("read Unsorted's rules: %w", err)
	}
	return rs, nil
}

// PutUnsortedRules saves the rules that answer captures of no project, a
// JSON list kept as given: package projects validates and encodes it.
func (s *Store) PutUnsortedRules(rs json.RawMessage) error {
	if err := s.writeSetting(keyUnsortedRules, rs); err != nil {
		return fmt.Errorf("save Unsorted's rules: %w", err)
	}
	// The receiver reloads its rules with the projects.
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// UpdateAnsweredBy replaces what a capture records of the rule that
// answered it: a hang's length is known only once the sender gave up, after
// the capture was stored.
func (s *Store) UpdateAnsweredBy(id ID, a AnsweredBy) error {
	var sum Summary
	err := s.update(func(tx *bolt.Tx) error {
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
		c.AnsweredBy = &a
		sum.Answer = c.answerAction()
		if err := sums.Put(k, encodeSummary(&sum)); err != nil {
			return err
		}
		return dets.Put(k, encodeDetail(&c))
	})
	if err != nil {
		return fmt.Errorf("record the answer of capture %s: %w", id, err)
	}
	s.publish(Event{Type: Updated, ID: id, Summary: sum})
	return nil
}
