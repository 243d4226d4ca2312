package store

import (
	"errors"
	"io/fs"
	"syscall"
)

// ErrReadOnly is wrapped by Open's error when the file or its directory
// cannot be written: bbolt opens the file for reading and writing.
var ErrReadOnly = errors.New("read-only file system (or permission denied)")

// readOnlyError names the file that cannot be written and keeps the
// system's error for errors.Is.
type readOnlyError struct {
	path string
	err  error
}

func (e *readOnlyError) Error() string { return "cannot write " + e.path + ": " + ErrReadOnly.Error() }

func (e *readOnlyError) Unwrap() []error { return []error{ErrReadOnly, e.err} }

// classifyWrite turns a refusal to write (EROFS from a read-only mount,
// EACCES or EPERM from the file's or directory's permissions) into a
// readOnlyError; other errors come back as they are.
func classifyWrite(path string, err error) error {
	if errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
		return &readOnlyError{path: path, err: err}
	}
	return err
}
