package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hookscope/receiver/receivertest"
	"hookscope/store"
)

// storeCounts opens the file the binary left and counts captures by project.
func storeCounts(t *testing.T, db string) (map[string]int, []store.Job) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	counts, _, err := st.ProjectCounts()
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := st.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	return counts, jobs
}

// A project created through the API takes its earlier Unsorted captures even
// when the process is killed (SIGKILL) right after the API answered: the
// adoption is a job recorded with the project, resumed at the next start.
func TestHeadlessAdoptionSurvivesAKill(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hookscope.db")
	const n = 20_000
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 128) // concurrent Puts share commits
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := &store.Capture{Method: "POST", Path: fmt.Sprintf("/newproj/orders/%d", i), Header: http.Header{}, Body: []byte(`{"n":1}`)}
			if err := st.Put(c); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st.Close()

	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, db)
	req, _ := http.NewRequest("PUT", "http://"+addr+"/_hookscope/api/projects/newproj", strings.NewReader(`{"slug":"newproj","name":"New project"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 && resp.StatusCode != 201 {
		t.Fatalf("PUT project: %d", resp.StatusCode)
	}
	// Kill as soon as the adoption shows, so that the kill lands mid-job
	// (killed before it starts, the job is resumed just the same).
	for start := time.Now(); countCaptures(t, addr, "newproj") == 0 && time.Since(start) < 5*time.Second; {
	}
	p.cmd.Process.Kill() // SIGKILL: no deferred work runs
	p.cmd.Wait()
	counts, jobs := storeCounts(t, db)
	t.Logf("after the kill: %d captures in Unsorted, %d in the project; jobs %+v", counts[""], counts["newproj"], jobs)

	if counts[""] == 0 {
		t.Log("the kill landed after the adoption ended: the restart has nothing to resume")
	}

	p = startHeadless(t, addr, db)
	deadline := time.Now().Add(60 * time.Second)
	for countCaptures(t, addr, store.Unsorted) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("captures still in Unsorted 60 s after the restart")
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
	counts, jobs = storeCounts(t, db)
	if counts[""] != 0 || counts["newproj"] != n {
		t.Fatalf("after the restart: %d in Unsorted, %d in the project (want %d)", counts[""], counts["newproj"], n)
	}
	// The re-check of the adopted captures may still be under way at the
	// SIGTERM; it is a job too and would resume. The adoption is over.
	for _, j := range jobs {
		if j.Kind == store.JobAdopt {
			t.Fatalf("the adoption's job is left: %+v", j)
		}
	}
}

// countCaptures returns 0 or 1: whether the project (or store.Unsorted) has
// a capture, asked through the API.
func countCaptures(t *testing.T, addr, project string) int {
	t.Helper()
	var page struct {
		Captures []json.RawMessage `json:"captures"`
	}
	resp, err := http.Get("http://" + addr + "/_hookscope/api/captures?limit=1&project=" + project)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return len(page.Captures)
}
