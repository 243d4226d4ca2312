package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Every answered request's body is in the journal when the answer arrives:
// the floor measures a durable receiver only if it really waits for the disk.
func TestFloorJournalAnswersAfterWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "floor.journal")
	j, err := newFloorJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(j)
	defer srv.Close()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf("<body %02d>", i)
			resp, err := http.Post(srv.URL, "text/plain", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
				return
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(got, []byte(body)) {
				t.Errorf("%s answered 200 but is not in the journal (%v)", body, err)
			}
		}()
	}
	wg.Wait()
}
