package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// A running instance names itself in a small file next to its database,
// "<db>.instance": bbolt's lock tells a second process only that the file
// is held, and the database cannot be read while it is. The file is read
// only after the lock was found held, so one a crash left behind misleads
// nobody.

// Holder is what the instance file says.
type Holder struct {
	Addr string `json:"addr"` // where its receiver listens
	PID  int    `json:"pid"`
}

func holderPath(dbPath string) string { return dbPath + ".instance" }

// Announce records that this process holds the store and where its receiver
// listens.
func (s *Store) Announce(addr string) error {
	b, err := json.Marshal(Holder{Addr: addr, PID: os.Getpid()})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(s.path)+".instance-*")
	if err != nil {
		return fmt.Errorf("announce instance: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("announce instance: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("announce instance: %w", err)
	}
	if err := os.Rename(tmp.Name(), holderPath(s.path)); err != nil {
		return fmt.Errorf("announce instance: %w", err)
	}
	return nil
}

// Unannounce removes the instance file: the receiver stopped.
func (s *Store) Unannounce() { os.Remove(holderPath(s.path)) }

// HolderOf reads the instance file of the database at dbPath; ok is false
// when there is none or it cannot be read.
func HolderOf(dbPath string) (h Holder, ok bool) {
	b, err := os.ReadFile(holderPath(dbPath))
	if err != nil {
		return Holder{}, false
	}
	return h, json.Unmarshal(b, &h) == nil
}

// LockedError names the instance that holds a database, as far as its
// instance file tells.
func LockedError(dbPath string) error {
	h, ok := HolderOf(dbPath)
	switch {
	case !ok || h.Addr == "":
		return fmt.Errorf("%s: %w (its receiver is stopped); quit it first", dbPath, ErrLocked)
	}
	return fmt.Errorf("%s: %w listening on http://%s (process %d); quit it first, or use its API: http://%s/_hookscope/api/captures/export", dbPath, ErrLocked, h.Addr, h.PID, h.Addr)
}

// IsLocked reports whether err is Open's for a database another process
// holds.
func IsLocked(err error) bool { return errors.Is(err, ErrLocked) }
