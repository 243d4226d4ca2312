package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func assertReadOnlyError(t *testing.T, err error, path string) {
	t.Helper()
	want := "cannot write " + path + ": read-only file system (or permission denied)"
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "not a readable") {
		t.Fatalf("error %v: want %q", err, want)
	}
}

// The errors a read-only mount and a read-only file give bbolt.Open are
// read as such, not as a file that is no Hookscope database.
func TestAnUnwritableFileIsNamedAsSuch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	for _, errno := range []syscall.Errno{syscall.EROFS, syscall.EACCES, syscall.EPERM} {
		err := classifyWrite(path, &os.PathError{Op: "open", Path: path, Err: errno})
		assertReadOnlyError(t, err, path)
		if !errors.Is(err, errno) {
			t.Fatalf("%v lost the system error %v", err, errno)
		}
	}
	if err := classifyWrite(path, syscall.EINVAL); errors.Is(err, ErrReadOnly) {
		t.Fatalf("EINVAL read as read-only: %v", err)
	}
}

// A file with no write permission, for a user the permission binds (root
// writes through it, so this runs only as another user).
func TestOpenOfAReadOnlyFileSaysCannotWrite(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through file permissions")
	}
	_, path := openTemp(t, Options{})
	// openTemp's store holds the lock; a copy is opened instead.
	ro := copyFile(t, path, "readonly.db")
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ro, Options{})
	assertReadOnlyError(t, err, ro)
}

// A directory the kernel refuses to create files in, even for root: sysfs
// (mounted at /sys on Linux) answers EACCES.
func TestOpenWhereTheSystemRefusesWritesSaysCannotWrite(t *testing.T) {
	if st, err := os.Stat("/sys/kernel"); err != nil || !st.IsDir() {
		t.Skip("no sysfs at /sys")
	}
	path := "/sys/hookscope-test.db"
	s, err := Open(path, Options{})
	if err == nil {
		s.Close()
		os.Remove(path)
		t.Skip("/sys accepted a new file here")
	}
	assertReadOnlyError(t, err, path)
}
