package store

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops the store file's pages from this process's resident
// memory. bbolt maps the file read-only and shared (MAP_SHARED), so
// MADV_DONTNEED only unmaps the pages: they stay in the kernel's page cache
// and the next read faults them back in (madvise(2)). The full check of a
// large file reads every page once; without this the window would carry the
// whole file (1.9 GB for 1,000,000 captures) as its file-backed memory.
//
// It runs inside a read transaction: bbolt remaps the file only under a
// lock that waits for every read transaction to end, so the mapping found
// in /proc/self/maps (bbolt maps more than the file holds, and the kernel
// maps neighbouring cached pages on a fault, so the whole mapping is
// released, not only the pages in use) stays the mapping's.
func releaseMapped(tx *bolt.Tx) {
	data := tx.DB().Info().Data
	end := mappingEnd(data)
	if data == 0 || end <= data {
		return
	}
	// Best effort: an error leaves the pages resident, as they were.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, data, end-data, syscall.MADV_DONTNEED)
}

// mappingEnd is the end of the mapping that starts at start, or 0.
func mappingEnd(start uintptr) uintptr {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	want := strconv.FormatUint(uint64(start), 16) + "-"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, want) {
			continue
		}
		r, _, _ := strings.Cut(line[len(want):], " ")
		end, err := strconv.ParseUint(r, 16, 64)
		if err != nil {
			return 0
		}
		return uintptr(end)
	}
	return 0
}
