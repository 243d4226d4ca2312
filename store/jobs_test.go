package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// putMany stores n captures at once (they share commits) and returns their
// IDs in no particular order.
func putMany(t *testing.T, s *Store, n int, path func(i int) string) {
	t.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := s.Put(sample("POST", path(i), "", "{}")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func projectCount(t *testing.T, s *Store, slug string) int {
	t.Helper()
	counts, _, err := s.ProjectCounts()
	if err != nil {
		t.Fatal(err)
	}
	return counts[slug]
}

func TestAdoptionIsAJobRecordedWithTheProjectThatResumesAfterReopen(t *testing.T) {
	s, path := openTemp(t, Options{})
	const n = 3*adoptChunk + 17
	putMany(t, s, n, func(i int) string { return fmt.Sprintf("/newproj/orders/%d", i) })
	putMany(t, s, 40, func(i int) string { return fmt.Sprintf("/newproject/%d", i) }) // another path
	p := validProject()
	p.Slug = "newproj"
	mustPutProject(t, s, p)
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Kind != JobAdopt || jobs[0].Slug != "newproj" {
		t.Fatalf("jobs after creating the project: %+v", jobs)
	}
	// One chunk, then the process "dies".
	if _, done, err := s.AdoptStep("newproj"); err != nil || done {
		t.Fatalf("first chunk: done %v, %v", done, err)
	}
	s = reopen(t, s, path)
	if got := projectCount(t, s, "newproj"); got != adoptChunk {
		t.Fatalf("%d captures in the project after one chunk, want %d", got, adoptChunk)
	}
	if got, moved, err := s.AdoptRemaining("newproj"); err != nil || got != n-adoptChunk || moved != adoptChunk {
		t.Fatalf("remaining %d, moved %d (%v), want %d and %d", got, moved, err, n-adoptChunk, adoptChunk)
	}
	// Two runners at once (the receiver's and a second one) move each
	// capture once.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := s.RunAdoption("newproj", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := projectCount(t, s, "newproj"); got != n {
		t.Fatalf("%d captures in the project, want %d", got, n)
	}
	if got := projectCount(t, s, ""); got != 40 {
		t.Fatalf("%d captures in Unsorted, want the 40 of /newproject/", got)
	}
	jobs, _ = s.Jobs()
	if len(jobs) != 1 || jobs[0].Kind != JobReverify || jobs[0].Slug != "newproj" {
		t.Fatalf("after the adoption, jobs %+v, want the re-check of the adopted captures", jobs)
	}
	// Done: running it again finds no job and moves nothing.
	if j, err := s.RunAdoption("newproj", nil); err != nil || j.Moved != 0 {
		t.Fatalf("second run moved %d (%v)", j.Moved, err)
	}
}

func TestRenameAndDeleteMoveCapturesAsJobs(t *testing.T) {
	s, path := openTemp(t, Options{})
	p := validProject()
	mustPutProject(t, s, p)
	if _, err := s.RunAdoption("shop", nil); err != nil {
		t.Fatal(err)
	}
	putMany(t, s, 30, func(i int) string { return fmt.Sprintf("/shop/%d", i) })
	// Projects are normally the receiver's to set; here the store's
	// adoption does it.
	mustPutProject(t, s, Project{Slug: "shop-tmp"})
	if err := s.DeleteProject("shop-tmp"); err != nil {
		t.Fatal(err)
	}
	p.Slug = "shop"
	if err := s.RenameProject("shop", "store"); err != nil {
		t.Fatal(err)
	}
	// The captures sent to /shop/ while it was Unsorted stay Unsorted: they
	// were never the project's.
	if got := projectCount(t, s, ""); got != 30 {
		t.Fatalf("unsorted %d", got)
	}
	if jobs, _ := s.Jobs(); len(jobs) != 0 {
		t.Fatalf("jobs left after a rename and a delete: %+v", jobs)
	}
	s = reopen(t, s, path)
	mustPutProject(t, s, Project{Slug: "shop"})
	if err := s.RenameProject("shop", "boutique"); err != nil {
		t.Fatal(err)
	}
	if got := projectCount(t, s, "boutique"); got != 30 {
		t.Fatalf("the renamed project holds %d captures, want the 30 it adopted", got)
	}
	if err := s.DeleteProject("boutique"); err != nil {
		t.Fatal(err)
	}
	if got := projectCount(t, s, ""); got != 30 {
		t.Fatalf("after the delete, unsorted %d, want 30", got)
	}
}

func TestReverifyJobResumesAndIsSupersededByANewSecret(t *testing.T) {
	s, path := openTemp(t, Options{})
	p := validProject()
	p.Secret, p.Scheme = "one", "github"
	mustPutProject(t, s, p)
	c := sample("POST", "/shop/x", "", "{}")
	c.Project = "shop"
	id := mustPut(t, s, c)
	if jobs, _ := s.Jobs(); len(jobs) != 1 || jobs[0].Kind != JobAdopt {
		t.Fatalf("jobs %+v", jobs)
	}
	p.Secret = "two"
	mustPutProject(t, s, p)
	j, got, ok, err := s.Job("shop", JobReverify)
	if err != nil || !ok || got.Secret != "two" {
		t.Fatalf("re-check job %+v of %q, %v %v", j, got.Secret, ok, err)
	}
	// A batch done, then the process "dies".
	if err := s.ReverifyStep("shop", j.Gen, []SignatureUpdate{{id, Signature{Status: "valid", Scheme: "github"}}}, id, false); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	j, _, ok, _ = s.Job("shop", JobReverify)
	if !ok || j.After != id {
		t.Fatalf("after reopen the job is %+v (%v), want it to resume after %s", j, ok, id)
	}
	// Another secret restarts it: work for the older one is refused.
	p.Secret = "three"
	mustPutProject(t, s, p)
	err = s.ReverifyStep("shop", j.Gen, []SignatureUpdate{{id, Signature{Status: "invalid"}}}, id, true)
	if !errors.Is(err, ErrJobSuperseded) {
		t.Fatalf("stale batch: %v", err)
	}
	if c, _ := s.Get(id); c.Signature.Status != "valid" {
		t.Fatalf("a stale batch was stored: %+v", c.Signature)
	}
	j2, _, _, _ := s.Job("shop", JobReverify)
	if j2.Gen == j.Gen || j2.After != 0 {
		t.Fatalf("restarted job %+v", j2)
	}
	if err := s.ReverifyStep("shop", j2.Gen, nil, id, true); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.Job("shop", JobReverify); ok {
		t.Fatal("a finished re-check left its job")
	}
}
