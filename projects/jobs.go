package projects

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"hookscope/store"
)

// jobRunner runs the store's pending jobs (store.Job): at start, for the jobs
// a previous run left unfinished, and after every project change. Each job
// runs in its own goroutine, at most one per project and kind.
type jobRunner struct {
	kick chan struct{} // buffered: a kick while one is pending is one kick
	mu   sync.Mutex
	busy map[string]bool // by kind and slug
}

func newJobRunner() jobRunner {
	return jobRunner{kick: make(chan struct{}, 1), busy: map[string]bool{}}
}

// kickJobs asks the runner to look for pending jobs.
func (b *Book) kickJobs() {
	select {
	case b.jobs.kick <- struct{}{}:
	default:
	}
}

// runJobs starts pending jobs on each kick until the store closes (the
// book's life ends).
func (b *Book) runJobs() {
	for {
		select {
		case <-b.life.Done():
			return
		case <-b.jobs.kick:
			b.startPendingJobs()
		}
	}
}

func (b *Book) startPendingJobs() {
	jobs, err := b.st.Jobs()
	if err != nil {
		return // the next project change or start retries
	}
	for _, j := range jobs {
		if !b.jobReady(j, jobs) {
			continue
		}
		key := string(j.Kind) + "\x00" + j.Slug
		b.jobs.mu.Lock()
		busy := b.jobs.busy[key]
		b.jobs.busy[key] = true
		b.jobs.mu.Unlock()
		if busy {
			continue
		}
		go func() {
			err := b.runJob(j)
			b.jobs.mu.Lock()
			delete(b.jobs.busy, key)
			b.jobs.mu.Unlock()
			if err == nil {
				// A finished adoption may have recorded a re-check.
				b.kickJobs()
			}
		}()
	}
}

// jobReady reports whether j may start now. An adoption waits until the
// capture path knows the project (and no longer knows those it takes
// captures from): a capture arriving meanwhile would be classified by the
// old projects after the adoption scanned past it. A re-check waits for the
// project's adoption, whose end restarts it anyway.
func (b *Book) jobReady(j store.Job, all []store.Job) bool {
	if j.Kind == store.JobReverify {
		return !slices.ContainsFunc(all, func(o store.Job) bool { return o.Kind == store.JobAdopt && o.Slug == j.Slug })
	}
	if _, ok := b.Get(j.Slug); j.Slug != "" && !ok {
		return false
	}
	for _, f := range j.From {
		if _, ok := b.Get(f); ok {
			return false
		}
	}
	return true
}

func (b *Book) runJob(j store.Job) error {
	switch j.Kind {
	case store.JobAdopt:
		return b.runAdoption(j.Slug)
	case store.JobReverify:
		return b.runReverifyJob(j.Slug)
	}
	return fmt.Errorf("job %q of %q: unknown kind", j.Kind, j.Slug)
}

// Progress is told how a background job on a project's captures advances;
// done == total when it ends.
type Progress func(slug string, done, total int)

// OnAdopt sets who hears of background adoptions (the window shows them): a
// new project taking its earlier Unsorted captures, a renamed one its own,
// Unsorted (slug "") those of a deleted one.
func (b *Book) OnAdopt(fn Progress) { b.adoptProgress.Store(&fn) }

// OnReverify sets who hears of background re-checks of a project's
// signatures after its secret or scheme changed (the window shows them).
func (b *Book) OnReverify(fn Progress) { b.reverifyProgress.Store(&fn) }

func (b *Book) runAdoption(slug string) error {
	remaining, before, err := b.st.AdoptRemaining(slug)
	if err != nil {
		return err
	}
	total := before + remaining
	fn := b.adoptProgress.Load()
	report := func(done, total int) {
		if fn != nil && *fn != nil && total > 0 {
			(*fn)(slug, done, total)
		}
	}
	j, err := b.st.RunAdoption(slug, func(moved int) {
		report(moved, max(moved, total)) // captures arriving meanwhile may join
	})
	if err == nil {
		report(j.Moved, j.Moved)
	}
	return err
}

// reverifyBatch is how many re-checked captures one transaction stores,
// with the job's progress.
const reverifyBatch = 100

// runReverifyJob re-checks a project's captures, newest first, from where
// its job got; a save of other settings meanwhile restarts it.
func (b *Book) runReverifyJob(slug string) error {
	for {
		j, p, ok, err := b.st.Job(slug, store.JobReverify)
		if err != nil || !ok {
			return err
		}
		err = b.reverifyJob(j, p)
		if !errors.Is(err, store.ErrJobSuperseded) {
			return err
		}
	}
}

func (b *Book) reverifyJob(j store.Job, p store.Project) error {
	ids, err := b.st.IDs(store.Filter{Project: j.Slug})
	if err != nil {
		return err
	}
	total := len(ids)
	end := len(ids) // ids[:end] are still to do, newest last
	if j.After != 0 {
		end, _ = slices.BinarySearch(ids, j.After)
	}
	if end == 0 {
		return b.st.ReverifyStep(j.Slug, j.Gen, nil, j.After, true)
	}
	for end > 0 {
		start := max(end-reverifyBatch, 0)
		var updates []store.SignatureUpdate
		for i := end - 1; i >= start; i-- {
			c, err := b.st.Get(ids[i])
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("re-verify %s: %w", j.Slug, err)
			}
			updates = append(updates, store.SignatureUpdate{ID: c.ID, Signature: checkSignature(c, &p, c.ReceivedAt)})
		}
		if err := b.st.ReverifyStep(j.Slug, j.Gen, updates, ids[start], start == 0); err != nil {
			return err
		}
		end = start
		if fn := b.reverifyProgress.Load(); fn != nil && *fn != nil {
			(*fn)(j.Slug, total-end, total)
		}
	}
	return nil
}
