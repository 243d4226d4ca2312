package projects

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hookscope/signature"
	"hookscope/store"
	"hookscope/store/storetest"
)

// A job a previous run left unfinished (it was killed mid-adoption) is
// resumed by the next book on the file: every capture ends in the
// project, and those adopted get their signature checked against it.
func TestAnUnfinishedAdoptionResumesWhenTheReceiverStarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookscope.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 1500
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := &store.Capture{Method: "POST", Path: fmt.Sprintf("/demo/%d", i), Header: http.Header{}, Body: []byte(`{}`)}
			if err := st.Put(c); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	body := []byte(`{"id":"evt_1"}`)
	sr := signature.Request{Method: "POST", URL: "http://localhost/demo/stripe", Header: http.Header{}, Body: body}
	if err := signature.Sign(&sr, signature.Config{Scheme: "stripe", Secret: "whsec_test_secret"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	signedCapture := &store.Capture{Method: "POST", Path: "/demo/stripe", Header: sr.Header, Body: body}
	if err := st.Put(signedCapture); err != nil {
		t.Fatal(err)
	}
	if err := st.PutProject(store.Project{Slug: "demo", Secret: "whsec_test_secret", Scheme: "stripe"}); err != nil {
		t.Fatal(err)
	}
	// One chunk, as a run killed mid-adoption would have done.
	if _, done, err := st.AdoptStep("demo"); err != nil || done {
		t.Fatalf("first chunk: done %v, %v", done, err)
	}
	st.Close()

	st, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	counts, _, _ := st.ProjectCounts()
	t.Logf("at the restart: %d captures in Unsorted, %d in the project", counts[""], counts["demo"])
	New(st)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := st.Get(signedCapture.ID)
		if err != nil {
			t.Fatal(err)
		}
		counts, _, _ = st.ProjectCounts()
		jobs, _ := st.Jobs()
		if counts[""] == 0 && counts["demo"] == n+1 && c.Signature.Status == "valid" && len(jobs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("unsorted %d, demo %d, signature %+v, jobs %+v", counts[""], counts["demo"], c.Signature, jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Adoption reports its progress, as re-checks do, ending at done == total.
func TestAdoptionReportsProgress(t *testing.T) {
	st := openStore(t)
	b := New(st)
	type step struct{ done, total int }
	progress := make(chan step, 100)
	b.OnAdopt(func(slug string, done, total int) {
		if slug == "acme" {
			progress <- step{done, total}
		}
	})
	for i := range 3 {
		if err := st.Put(&store.Capture{Method: "POST", Path: fmt.Sprintf("/acme/%d", i), Header: http.Header{}, Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Save("", store.Project{Slug: "acme"}, ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for last := (step{}); last.done != 3 || last.total != 3; {
		select {
		case last = <-progress:
		case <-deadline:
			t.Fatal("no adoption finished")
		}
	}
}

// openStore opens a store on a real bbolt file in a temporary directory.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	return storetest.Open(t, store.Options{})
}
