package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CompareOptions is what comparing two captures of a project leaves out,
// remembered with the project (package projects checks them).
type CompareOptions struct {
	// IgnoreKeys are JSON key paths ("data.taskId") or bare key names
	// ("timestamp", at any depth).
	IgnoreKeys []string `json:"ignoreKeys,omitempty"`
	// IgnoreHeaders are header names, matched whatever their case.
	IgnoreHeaders []string `json:"ignoreHeaders,omitempty"`
}

var keyUnsortedCompare = []byte("unsortedCompare")

// ErrAttemptNotFound is returned for an attempt ID the store does not hold.
var ErrAttemptNotFound = errors.New("attempt not found")

// SetProjectCompare replaces a project's compare options and nothing else,
// in one transaction: a project saved meanwhile keeps its other changes.
func (s *Store) SetProjectCompare(slug string, c CompareOptions) error {
	err := s.update(func(tx *bolt.Tx) error {
		p, ok, err := getProject(tx, slug)
		if err != nil {
			return err
		}
		if !ok {
			return ErrProjectNotFound
		}
		p.Compare = c
		return putProject(tx, &p)
	})
	if err != nil {
		return fmt.Errorf("save the compare options of project %q: %w", slug, err)
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// UnsortedCompare returns the compare options of captures of no project.
func (s *Store) UnsortedCompare() (CompareOptions, error) {
	var c CompareOptions
	if err := s.readSetting(keyUnsortedCompare, &c); err != nil {
		return CompareOptions{}, fmt.Errorf("read Unsorted's compare options: %w", err)
	}
	return c, nil
}

// PutUnsortedCompare saves the compare options of captures of no project,
// as given: package projects checks them first.
func (s *Store) PutUnsortedCompare(c CompareOptions) error {
	if err := s.writeSetting(keyUnsortedCompare, c); err != nil {
		return fmt.Errorf("save Unsorted's compare options: %w", err)
	}
	return nil
}

// readSetting decodes the JSON value of key in the settings bucket into v,
// leaving v as it is when the store never saved one.
func (s *Store) readSetting(key []byte, v any) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if b == nil {
			return nil
		}
		if raw := b.Get(key); raw != nil {
			return json.Unmarshal(raw, v)
		}
		return nil
	})
}

// writeSetting saves v as JSON under key in the settings bucket.
func (s *Store) writeSetting(key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSettings)
		if err != nil {
			return err
		}
		return b.Put(key, raw)
	})
}

// Attempt returns the attempt with the given ID, whatever its project.
// Attempts are keyed by project first, so it reads every key: the history
// is bounded (MaxDeliveriesPerProject a project).
func (s *Store) Attempt(id ID) (Attempt, error) {
	var a Attempt
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDeliveries)
		if b == nil {
			return ErrAttemptNotFound
		}
		want := append([]byte{keyDeliverySep}, id.key()...)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if bytes.HasSuffix(k, want) {
				a.ID = id
				return json.Unmarshal(v, &a)
			}
		}
		return ErrAttemptNotFound
	})
	if err != nil {
		return Attempt{}, fmt.Errorf("get attempt %s: %w", id, err)
	}
	return a, nil
}
