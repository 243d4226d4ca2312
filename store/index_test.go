package store

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// checkIndexes compares the ID list and the per-project counts the window
// reads with what the summaries themselves hold.
func checkIndexes(t *testing.T, s *Store, when string) {
	t.Helper()
	var wantIDs []ID
	wantCounts := map[string]int{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSummaries).ForEach(func(k, v []byte) error {
			wantIDs = append(wantIDs, idFromKey(k))
			wantCounts[summaryProject(v)]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.IDs(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("%s: IDs() lists %d captures, the summaries %d", when, len(ids), len(wantIDs))
	}
	counts, newest, err := s.ProjectCounts()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(counts, wantCounts) {
		t.Fatalf("%s: ProjectCounts() = %v, the summaries hold %v", when, counts, wantCounts)
	}
	if len(wantIDs) > 0 && newest != wantIDs[len(wantIDs)-1] {
		t.Fatalf("%s: newest %s, want %s", when, newest, wantIDs[len(wantIDs)-1])
	}
}

// TestIndexesFollowEveryChangeOfTheCaptures: the ID list and the project
// counts agree with the captures after each kind of write.
func TestIndexesFollowEveryChangeOfTheCaptures(t *testing.T) {
	s, path := openTemp(t, Options{MaxCount: 100})
	putMany(t, s, 60, func(i int) string { return fmt.Sprintf("/shop/orders/%d", i) })
	putMany(t, s, 30, func(i int) string { return fmt.Sprintf("/other/%d", i) })
	checkIndexes(t, s, "after capture")

	p := validProject()
	mustPutProject(t, s, p)
	if _, err := s.RunAdoption("shop", nil); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after a new project adopted its captures")
	if n := projectCount(t, s, "shop"); n != 60 {
		t.Fatalf("shop holds %d, want 60", n)
	}

	ids, _ := s.IDs(Filter{})
	if err := s.Delete(ids[len(ids)/2]); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after a delete")

	putMany(t, s, 40, func(i int) string { return fmt.Sprintf("/shop/more/%d", i) })
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after retention")

	if err := s.RenameProject("shop", "store"); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after a rename")
	if err := s.DeleteProject("store"); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after deleting the project")

	ids, _ = s.IDs(Filter{})
	d, err := s.Discard(ids[:3])
	if err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after moving 3 to the trash")
	if err := s.Restore(d); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after undoing it")
	all, err := s.DiscardAll()
	if err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after clear all")
	putMany(t, s, 4, func(i int) string { return "/shop/during" })
	if err := s.Restore(all); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after undoing clear all")

	s = reopen(t, s, path)
	checkIndexes(t, s, "after reopening")
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, "after clear")
	putMany(t, s, 5, func(i int) string { return "/shop/x" })
	checkIndexes(t, s, "after capture into a cleared store")
}

// TestIndexesAreBuiltForAFileWrittenWithoutThem: a file from before the
// indexes gets them when it opens.
func TestIndexesAreBuiltForAFileWrittenWithoutThem(t *testing.T) {
	s, path := openTemp(t, Options{})
	putMany(t, s, 50, func(i int) string { return fmt.Sprintf("/a%d/x", i%3) })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIDs, bucketProjectCounts} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(keyIndexes)
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	checkIndexes(t, s2, "after opening a file without indexes")
	if ids, _ := s2.IDs(Filter{}); len(ids) != 50 {
		t.Fatalf("%d IDs, want 50", len(ids))
	}
}
