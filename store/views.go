package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketViews holds the saved queries the sidebar lists, created on the
// first save: files written before views existed open unchanged.
var bucketViews = []byte("views")

// View is a query saved under a name, in a project's sidebar ("" for All,
// Unsorted for Unsorted).
type View struct {
	Name    string `json:"name"`
	Project string `json:"project"`
	Query   string `json:"query"`
}

// ErrViewName is returned for a view without a name.
var ErrViewName = errors.New("a view needs a name")

func viewKey(project, name string) []byte { return []byte(project + "\x00" + name) }

// Views returns the views saved for project, by name.
func (s *Store) Views(project string) ([]View, error) {
	var out []View
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		if b == nil {
			return nil
		}
		prefix := []byte(project + "\x00")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
			var view View
			if err := json.Unmarshal(v, &view); err != nil {
				return fmt.Errorf("view %q: %w", k[len(prefix):], err)
			}
			out = append(out, view)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read views: %w", err)
	}
	return out, nil
}

// SaveView saves v, replacing the view of the same name in its project.
func (s *Store) SaveView(v View) error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return ErrViewName
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("save view: %w", err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		bucket, err := tx.CreateBucketIfNotExists(bucketViews)
		if err != nil {
			return err
		}
		return bucket.Put(viewKey(v.Project, v.Name), b)
	})
	if err != nil {
		return fmt.Errorf("save view %q: %w", v.Name, err)
	}
	return nil
}

// DeleteView removes a project's view; one not saved is no error.
func (s *Store) DeleteView(project, name string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketViews)
		if b == nil {
			return nil
		}
		return b.Delete(viewKey(project, name))
	})
	if err != nil {
		return fmt.Errorf("delete view %q: %w", name, err)
	}
	return nil
}
