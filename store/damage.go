package store

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged is wrapped by every error that comes from a damaged file: a
// page bbolt cannot read, a record that does not decode where the file's
// structure says one is, or a file shorter than its own pages.
var ErrDamaged = errors.New("database damaged")

// DamagedError names the damaged file and what was found wrong with it. It
// matches ErrDamaged.
type DamagedError struct {
	Path   string
	Detail string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("database damaged (%s), run hookscope --recover --db %s to copy what is readable into a new file", e.Detail, e.Path)
}

// Is makes errors.Is(err, ErrDamaged) hold.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// damagedError builds the error for the file at path; detail is folded to
// one line, as the headless message and the API's JSON show it.
func damagedError(path string, detail any) *DamagedError {
	d := strings.Join(strings.Fields(fmt.Sprint(detail)), " ")
	if len(d) > 300 {
		d = d[:300] + "…"
	}
	return &DamagedError{Path: path, Detail: d}
}

// guard runs f, turning a panic into an error. bbolt panics on pages it
// cannot make sense of (an unknown page type, a freed page reached again),
// and a page pointer past the end of a truncated file faults inside the
// memory map, which SetPanicOnFault turns into a recoverable panic for this
// goroutine (https://pkg.go.dev/runtime/debug#SetPanicOnFault).
func guard(path string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damagedError(path, r)
		}
	}()
	return f()
}

// Damaged returns the damage the store found, or nil while none was found.
func (s *Store) Damaged() error {
	s.dmgMu.Lock()
	defer s.dmgMu.Unlock()
	return s.dmgErr
}

// markDamaged remembers the first damage found: from then on the store
// refuses writes, so that nothing more is acknowledged into a broken file.
func (s *Store) markDamaged(err error) {
	var d *DamagedError
	if !errors.As(err, &d) {
		return
	}
	s.dmgMu.Lock()
	if s.dmgErr == nil {
		s.dmgErr = d
	}
	s.dmgMu.Unlock()
}

// view runs a read transaction, turning bbolt's panics on a damaged file
// into an error that wraps ErrDamaged.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	err := guard(s.path, func() error { return s.db.View(fn) })
	s.markDamaged(err)
	return err
}

// update runs a write transaction like view; once damage was found it
// writes nothing and returns that damage.
func (s *Store) update(fn func(*bolt.Tx) error) error { return s.write(s.db.Update, fn) }

// write runs fn through run (bbolt's Update or Batch), unless damage was
// found: then it writes nothing and returns that damage.
func (s *Store) write(run func(func(*bolt.Tx) error) error, fn func(*bolt.Tx) error) error {
	if err := s.Damaged(); err != nil {
		return err
	}
	err := guard(s.path, func() error { return run(fn) })
	s.markDamaged(err)
	return err
}
