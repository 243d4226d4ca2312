package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hookscope/receiver/receivertest"
	"hookscope/store"
)

// fillBeyondRetention writes store.DefaultMaxCount+extra small captures into
// a new file and returns their IDs, oldest first.
func fillBeyondRetention(t *testing.T, path string, extra int) []store.ID {
	t.Helper()
	st, err := store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		t.Fatal(err)
	}
	n := store.DefaultMaxCount + extra
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 64 {
				if err := st.Put(&store.Capture{Method: "POST", Path: "/fill"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ids, err := st.IDs(store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func captureStatus(t *testing.T, addr string, id store.ID) int {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/_hookscope/api/captures/" + id.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestHeadlessKeepsAFileBiggerThanRetentionUnlessPrune: a file holding 5
// captures more than headless retention keeps them all and says so in one
// line; --prune deletes the surplus (the 5, and the one a new capture pushed out).
func TestHeadlessKeepsAFileBiggerThanRetentionUnlessPrune(t *testing.T) {
	db := filepath.Join(t.TempDir(), "big.db")
	ids := fillBeyondRetention(t, db, 5)

	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, db)
	want := fmt.Sprintf("holds %d captures; retention keeps %d: all kept, run with --prune to delete the 5 oldest", len(ids), store.DefaultMaxCount)
	if line := p.nextLine(t); !strings.Contains(line, want) {
		t.Fatalf("line %q, want it to say %q", line, want)
	}
	// A new capture's commit prunes in the same transaction: it pushes out
	// the oldest and nothing more.
	post(t, "http://"+addr+"/new", "application/json", []byte("{}"))
	if code := captureStatus(t, addr, ids[1]); code != http.StatusOK {
		t.Fatalf("the second oldest capture answers %d without --prune", code)
	}
	p.terminate(t, 10*time.Second)

	addr = receivertest.FreeAddr(t)
	startHeadless(t, addr, db, "--prune")
	deadline := time.Now().Add(10 * time.Second)
	for captureStatus(t, addr, ids[5]) != http.StatusNotFound {
		if time.Now().After(deadline) {
			t.Fatal("--prune left the 6th oldest capture")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := captureStatus(t, addr, ids[6]); code != http.StatusOK {
		t.Fatalf("--prune deleted more than the surplus: the 7th oldest answers %d", code)
	}
}
