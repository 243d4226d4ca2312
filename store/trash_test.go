package store

import (
	"bytes"
	"errors"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func mustCount(t *testing.T, s *Store) int {
	t.Helper()
	n, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func listed(t *testing.T, s *Store) []ID {
	t.Helper()
	ids, err := s.IDs(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// A discarded capture is gone from every read at once, and Restore brings
// it back whole, with its replay history.
func TestDiscardHidesAndRestoreBringsBack(t *testing.T) {
	s, _ := openTemp(t, Options{})
	kept := mustPut(t, s, sample("POST", "/keep", "", "k"))
	doomed := mustPut(t, s, sample("POST", "/doomed", "a=1", `{"body":"whole"}`))
	record(t, s, replayOf(doomed, Unsorted))
	before, err := s.Get(doomed)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Discard([]ID{doomed})
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 1 || len(d.IDs) != 1 || d.IDs[0] != doomed {
		t.Fatalf("discard %+v", d)
	}
	if _, err := s.Get(doomed); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a discarded capture: %v", err)
	}
	if ids := listed(t, s); len(ids) != 1 || ids[0] != kept || mustCount(t, s) != 1 {
		t.Fatalf("listed %v, count %d", ids, mustCount(t, s))
	}
	if err := s.Restore(d); err != nil {
		t.Fatal(err)
	}
	after, err := s.Get(doomed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after.Body, before.Body) || after.RawQuery != "a=1" || mustCount(t, s) != 2 {
		t.Fatalf("restored %q ?%s, count %d", after.Body, after.RawQuery, mustCount(t, s))
	}
	if as, _ := s.CaptureDeliveries(doomed); len(as) != 1 {
		t.Fatalf("the restored capture's replays: %d", len(as))
	}
	if err := s.Restore(d); !errors.Is(err, ErrDiscardGone) {
		t.Fatalf("a second Restore: %v", err)
	}
}

func TestDiscardOfNothingStoredIsNotFound(t *testing.T) {
	s, _ := openTemp(t, Options{})
	if _, err := s.Discard([]ID{42}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("discard of an unknown ID: %v", err)
	}
}

// Purge deletes the capture for good with its replays; other captures'
// history stays.
func TestPurgeDeletesTheCaptureAndItsReplays(t *testing.T) {
	s, _ := openTemp(t, Options{})
	kept := mustPut(t, s, sample("POST", "/keep", "", "k"))
	doomed := mustPut(t, s, sample("POST", "/doomed", "", "d"))
	record(t, s, replayOf(doomed, Unsorted))
	record(t, s, replayOf(kept, Unsorted))
	d, err := s.Discard([]ID{doomed})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Trashed(); n != 1 {
		t.Fatalf("the trash holds %d captures, want 1", n)
	}
	if err := s.Purge(d); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Trashed(); n != 0 {
		t.Fatalf("after the purge the trash holds %d captures", n)
	}
	if n, raw := attemptsInFile(t, s); n != 1 || bytes.Contains(raw, captureRef(doomed)) {
		t.Fatalf("after the purge %d attempts are stored, want the kept capture's one", n)
	}
	if err := s.Restore(d); !errors.Is(err, ErrDiscardGone) {
		t.Fatalf("Restore after Purge: %v", err)
	}
	if ids := listed(t, s); len(ids) != 1 || ids[0] != kept {
		t.Fatalf("listed %v", ids)
	}
}

// Clear all, undone: the cleared captures come back beside those that
// arrived meanwhile; purged, their replay history and Unsorted's go while a
// project's test event stays.
func TestDiscardAllRestoresBesideNewArrivalsAndPurgesHistory(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	var old []ID
	for _, p := range []string{"/a", "/b", "/c"} {
		old = append(old, mustPut(t, s, sample("POST", p, "", p)))
	}
	record(t, s, replayOf(old[0], Unsorted))
	d, err := s.DiscardAll()
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 3 || mustCount(t, s) != 0 || len(listed(t, s)) != 0 {
		t.Fatalf("after DiscardAll: %+v, count %d", d, mustCount(t, s))
	}
	arrived := mustPut(t, s, sample("POST", "/new", "", "n"))
	if err := s.Restore(d); err != nil {
		t.Fatal(err)
	}
	if ids := listed(t, s); len(ids) != 4 || mustCount(t, s) != 4 {
		t.Fatalf("after undo: %v, count %d", ids, mustCount(t, s))
	}
	for _, id := range append(old, arrived) {
		if _, err := s.Get(id); err != nil {
			t.Fatal(err)
		}
	}

	d, err = s.DiscardAll()
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200}) // a test event
	if err := s.Purge(d); err != nil {
		t.Fatal(err)
	}
	n, _ := attemptsInFile(t, s)
	if dl, _ := s.Deliveries("shop", "", 10); n != 1 || len(dl) != 1 || dl[0].CaptureID != 0 {
		t.Fatalf("after the purge %d attempts stored, want the test event only", n)
	}
	if mustCount(t, s) != 0 {
		t.Fatalf("count %d", mustCount(t, s))
	}
}

// A quit or crash while the undo is offered: the deletion stays done, and
// every other capture is there.
func TestReopeningEmptiesTheTrash(t *testing.T) {
	s, path := openTemp(t, Options{})
	kept := mustPut(t, s, sample("POST", "/keep", "", "k"))
	doomed := mustPut(t, s, sample("POST", "/doomed", "", "d"))
	record(t, s, replayOf(doomed, Unsorted))
	if _, err := s.Discard([]ID{doomed}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	if ids := listed(t, s); len(ids) != 1 || ids[0] != kept || mustCount(t, s) != 1 {
		t.Fatalf("after reopening: %v, count %d", ids, mustCount(t, s))
	}
	if n, _ := attemptsInFile(t, s); n != 0 {
		t.Fatalf("%d attempts of the deleted capture survived", n)
	}
	if inTrashAny(t, s) {
		t.Fatal("the trash still holds captures")
	}
}

func inTrashAny(t *testing.T, s *Store) bool {
	t.Helper()
	found := false
	mustView(t, s, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketTrash); b != nil {
			k, _ := b.Cursor().First()
			found = k != nil
		}
		return nil
	})
	return found
}

// An import during the undo window does not take a discarded capture's ID.
func TestImportIDSkipsTrashedIDs(t *testing.T) {
	s, _ := openTemp(t, Options{})
	c := sample("POST", "/doomed", "", "d")
	id := mustPut(t, s, c)
	if _, err := s.Discard([]ID{id}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ImportID(id.Time())
	if err != nil {
		t.Fatal(err)
	}
	if got == id {
		t.Fatalf("ImportID issued %s, the discarded capture's ID", got)
	}
}
