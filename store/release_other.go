//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op where madvise's MADV_DONTNEED is not known to
// leave a shared file mapping intact; see release_linux.go.
func releaseMapped(*bolt.Tx) {}
