package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// mappedKB is how much of path this process has resident through mappings.
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	abs, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kb, on := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			// A mapping's first line; anonymous ones name no file.
			on = len(fields) >= 6 && fields[5] == abs
		} else if len(fields) >= 2 && on && fields[0] == "Rss:" {
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// TestReleaseMappedDropsPagesAndKeepsData: after a scan that touched every
// page, releasing the mapping leaves the store's file out of this process's
// memory, and reading it again still gives every capture back.
func TestReleaseMappedDropsPagesAndKeepsData(t *testing.T) {
	s, path := openTemp(t, Options{MaxCount: -1})
	putMany(t, s, 2000, func(i int) string { return fmt.Sprintf("/p/%d", i) })
	if ids, err := s.IDs(Filter{Text: "absent-word"}); err != nil || len(ids) != 0 {
		t.Fatal(ids, err)
	}
	if err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDetails).ForEach(func(k, v []byte) error { return nil })
	}); err != nil {
		t.Fatal(err)
	}
	before := mappedKB(t, path)
	if err := s.view(func(tx *bolt.Tx) error { releaseMapped(tx); return nil }); err != nil {
		t.Fatal(err)
	}
	after := mappedKB(t, path)
	if before < 200 || after > before/4 {
		t.Fatalf("resident through the mapping: %d kB before, %d kB after", before, after)
	}
	ids, err := s.IDs(Filter{Text: "/p/1999"})
	if err != nil || len(ids) != 1 {
		t.Fatalf("after release: %v, %v", ids, err)
	}
	if n := mustCount(t, s); n != 2000 {
		t.Fatalf("%d captures after release, want 2000", n)
	}
}
