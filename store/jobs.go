package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// A job is work on many captures that a project change starts: moving
// captures into a project, or re-checking its captures' signatures. Its
// record is written in the transaction that changes the project, advanced in
// the transaction of each chunk of work and deleted in the one that ends it,
// so a job cut short by a crash or a kill is resumed where its captures are
// (ResumeJobs / the receiver at start), and running it twice changes nothing
// twice.
var bucketJobs = []byte("jobs")

// JobKind says what a job does.
type JobKind string

// The kinds of job.
const (
	// JobAdopt moves captures into Job.Slug: the Unsorted ones received on
	// /slug/… (a new or renamed project) and those of the projects in
	// Job.From (a renamed project's own; for Slug "", Unsorted, those of a
	// deleted project).
	JobAdopt JobKind = "adopt"
	// JobReverify re-checks the signatures of the project's captures,
	// newest first, after its secret or scheme changed.
	JobReverify JobKind = "reverify"
)

// Job is a pending job.
type Job struct {
	Kind JobKind `json:"kind"`
	Slug string  `json:"slug"`
	// Paths: adopt the Unsorted captures received on /p or /p/… for each p
	// (the slug, and the slugs a renamed project had before its own
	// adoption ended).
	Paths []string `json:"paths,omitempty"`
	From  []string `json:"from,omitempty"`
	// After is the last capture done: scanned (adopt, oldest first) or
	// re-checked (reverify, newest first); 0 before the first.
	After ID `json:"after,omitempty"`
	// Adopted counts the Unsorted captures moved so far (they need their
	// signatures checked against the project); Moved counts all.
	Adopted int `json:"adopted,omitempty"`
	Moved   int `json:"moved,omitempty"`
	// Gen tells a re-check for older settings from the current one: a
	// project saved with another secret restarts its re-check.
	Gen uint64 `json:"gen,omitempty"`
}

// ErrJobSuperseded is returned for work done for a job that was replaced or
// finished meanwhile; the work was not stored.
var ErrJobSuperseded = errors.New("job superseded")

func jobKey(slug string, kind JobKind) []byte {
	return append(deliveryPrefix(slug), kind...)
}

func getJob(tx *bolt.Tx, slug string, kind JobKind) (Job, bool, error) {
	v := tx.Bucket(bucketJobs).Get(jobKey(slug, kind))
	if v == nil {
		return Job{}, false, nil
	}
	var j Job
	if err := json.Unmarshal(v, &j); err != nil {
		return Job{}, false, fmt.Errorf("job %s %q: %w", kind, slug, err)
	}
	return j, true, nil
}

func putJob(tx *bolt.Tx, j *Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketJobs).Put(jobKey(j.Slug, j.Kind), v)
}

func deleteJob(tx *bolt.Tx, slug string, kind JobKind) error {
	return tx.Bucket(bucketJobs).Delete(jobKey(slug, kind))
}

// Jobs returns the pending jobs, adoptions first: a project takes its
// captures before they are re-checked.
func (s *Store) Jobs() ([]Job, error) {
	var out []Job
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
			var j Job
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("job %q: %w", k, err)
			}
			out = append(out, j)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Job) int {
		return boolInt(a.Kind != JobAdopt) - boolInt(b.Kind != JobAdopt)
	})
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Job returns the pending job of that kind for the project, and the project
// as of the same transaction (a re-check must use the settings its Gen was
// recorded with).
func (s *Store) Job(slug string, kind JobKind) (Job, Project, bool, error) {
	var j Job
	var p Project
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		if j, ok, err = getJob(tx, slug, kind); err != nil || !ok {
			return err
		}
		p, _, err = getProject(tx, slug)
		return err
	})
	if err != nil {
		return Job{}, Project{}, false, fmt.Errorf("read job %s %q: %w", kind, slug, err)
	}
	return j, p, ok, nil
}

// jobsOnPut records, in PutProject's transaction, the jobs a save starts: a
// new project adopts its earlier Unsorted captures; a changed secret or
// scheme re-checks the project's captures.
func jobsOnPut(tx *bolt.Tx, old, p *Project, exists bool) error {
	if !exists {
		// A deleted project of this slug may still be handing its captures
		// to Unsorted: they are this project's now.
		if err := dropFrom(tx, "", p.Slug); err != nil {
			return err
		}
		return putJob(tx, &Job{Kind: JobAdopt, Slug: p.Slug, Paths: []string{p.Slug}})
	}
	if !signingChanged(old, p) {
		return nil
	}
	return restartReverify(tx, p.Slug)
}

func signingChanged(a, b *Project) bool {
	return a.Secret != b.Secret || a.Scheme != b.Scheme || a.Signature != b.Signature
}

// restartReverify records a re-check of the project from its newest capture,
// superseding one under way.
func restartReverify(tx *bolt.Tx, slug string) error {
	j, _, err := getJob(tx, slug, JobReverify)
	if err != nil {
		return err
	}
	return putJob(tx, &Job{Kind: JobReverify, Slug: slug, Gen: j.Gen + 1})
}

// dropFrom takes from out of the From list of slug's adopt job.
func dropFrom(tx *bolt.Tx, slug, from string) error {
	j, ok, err := getJob(tx, slug, JobAdopt)
	if err != nil || !ok || !slices.Contains(j.From, from) {
		return err
	}
	j.From = slices.DeleteFunc(j.From, func(f string) bool { return f == from })
	if len(j.From) == 0 && len(j.Paths) == 0 {
		return deleteJob(tx, slug, JobAdopt)
	}
	return putJob(tx, &j)
}

// jobsOnRename moves the old slug's jobs to the new one, in RenameProject's
// transaction: the renamed project takes its own captures (and those of the
// slugs it had before) and, as a new project would, the Unsorted ones sent
// to its new path.
func jobsOnRename(tx *bolt.Tx, oldSlug, newSlug string) error {
	old, _, err := getJob(tx, oldSlug, JobAdopt)
	if err != nil {
		return err
	}
	if err := deleteJob(tx, oldSlug, JobAdopt); err != nil {
		return err
	}
	if err := dropFrom(tx, "", newSlug); err != nil {
		return err
	}
	from := append(slices.DeleteFunc(old.From, func(f string) bool { return f == newSlug }), oldSlug)
	paths := append(slices.DeleteFunc(old.Paths, func(p string) bool { return p == newSlug }), newSlug)
	adopt := &Job{Kind: JobAdopt, Slug: newSlug, Paths: paths, From: from, Adopted: old.Adopted}
	if err := putJob(tx, adopt); err != nil {
		return err
	}
	rv, ok, err := getJob(tx, oldSlug, JobReverify)
	if err != nil || !ok {
		return err
	}
	if err := deleteJob(tx, oldSlug, JobReverify); err != nil {
		return err
	}
	return putJob(tx, &Job{Kind: JobReverify, Slug: newSlug, Gen: rv.Gen + 1})
}

// jobsOnDelete drops the deleted project's jobs and has Unsorted take its
// captures, in DeleteProject's transaction.
func jobsOnDelete(tx *bolt.Tx, slug string) error {
	old, _, err := getJob(tx, slug, JobAdopt)
	if err != nil {
		return err
	}
	for _, kind := range []JobKind{JobAdopt, JobReverify} {
		if err := deleteJob(tx, slug, kind); err != nil {
			return err
		}
	}
	j, _, err := getJob(tx, "", JobAdopt)
	if err != nil {
		return err
	}
	j.Kind, j.Slug, j.After = JobAdopt, "", 0
	for _, f := range append(old.From, slug) {
		if !slices.Contains(j.From, f) {
			j.From = append(j.From, f)
		}
	}
	return putJob(tx, &j)
}

// adoptChunk bounds the captures one adoption transaction rewrites, as
// pruneChunk does for deletions; adoptScan bounds the summaries it reads, so
// a project with few captures among millions does not hold the write lock
// for the whole scan.
const (
	adoptChunk = 500
	adoptScan  = 50 * adoptChunk
)

// AdoptStep does one chunk of the adopt job of slug, in one transaction that
// also records how far the job got, or deletes it when it is done (and then
// records a re-check of the project if it took Unsorted captures). It
// returns the job as it stands after the chunk, and done when the job is
// finished or there is none.
func (s *Store) AdoptStep(slug string) (j Job, done bool, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		var ok bool
		if j, ok, err = getJob(tx, slug, JobAdopt); err != nil || !ok {
			done = true
			return err
		}
		var end bool
		if end, err = adoptChunkInTx(tx, &j); err != nil {
			return err
		}
		if !end {
			return putJob(tx, &j)
		}
		done = true
		if err := deleteJob(tx, slug, JobAdopt); err != nil {
			return err
		}
		if j.Adopted > 0 && slug != "" {
			return restartReverify(tx, slug)
		}
		return nil
	})
	if err != nil {
		return j, false, fmt.Errorf("move captures into %q: %w", slug, err)
	}
	if done && j.Moved > 0 {
		// Views filtered by project reload: their captures moved.
		s.publish(Event{Type: ProjectsChanged})
	}
	return j, done, nil
}

// adoptChunkInTx moves the next chunk of j's captures, oldest first, and
// advances j; end says the scan reached the newest capture.
func adoptChunkInTx(tx *bolt.Tx, j *Job) (end bool, err error) {
	b := tx.Bucket(bucketSummaries)
	c := b.Cursor()
	k, v := c.First()
	if j.After != 0 {
		if k, v = c.Seek(j.After.key()); k != nil && idFromKey(k) == j.After {
			k, v = c.Next()
		}
	}
	type change struct{ k, v []byte }
	var changes []change
	moved := map[string]int64{} // project counts' changes
	for scanned := 0; k != nil && len(changes) < adoptChunk && scanned < adoptScan; k, v = c.Next() {
		scanned++
		j.After = idFromKey(k)
		sum, err := decodeSummary(j.After, v)
		if err != nil {
			return false, err
		}
		if !adopts(j, &sum) {
			continue
		}
		if sum.Project == "" {
			j.Adopted++
		}
		moved[sum.Project]--
		moved[j.Slug]++
		sum.Project = j.Slug
		changes = append(changes, change{append([]byte(nil), k...), encodeSummary(&sum)})
	}
	// bbolt invalidates a cursor on writes: change after the scan.
	for _, ch := range changes {
		if err := b.Put(ch.k, ch.v); err != nil {
			return false, err
		}
	}
	if err := addProjectCounts(tx, moved); err != nil {
		return false, err
	}
	j.Moved += len(changes)
	return k == nil, nil
}

// adopts reports whether the job moves the capture.
func adopts(j *Job, sum *Summary) bool {
	if sum.Project == "" {
		return slices.ContainsFunc(j.Paths, func(p string) bool { return onPath(sum.Path, p) })
	}
	return sum.Project != j.Slug && slices.Contains(j.From, sum.Project)
}

// onPath reports whether a capture's path is /slug or under /slug/.
func onPath(path, slug string) bool {
	rest, ok := strings.CutPrefix(path, "/"+slug)
	return ok && (rest == "" || rest[0] == '/')
}

// RunAdoption runs slug's adopt job to its end; progress, if not nil, hears
// of each chunk with the captures moved so far.
func (s *Store) RunAdoption(slug string, progress func(moved int)) (Job, error) {
	for {
		j, done, err := s.AdoptStep(slug)
		if err != nil {
			return j, err
		}
		if progress != nil {
			progress(j.Moved)
		}
		if done {
			return j, nil
		}
		select {
		case <-s.done:
			return j, ErrClosed
		default:
		}
	}
}

// SignatureUpdate is a re-checked capture's new signature outcome.
type SignatureUpdate struct {
	ID        ID
	Signature Signature
}

// ReverifyStep stores a batch of re-checked signatures of slug's re-check
// job of generation gen, with the job's progress (last: the last capture
// done), in one transaction; done deletes the job. If the job was restarted
// or ended meanwhile, nothing is stored and ErrJobSuperseded returned.
// Captures deleted meanwhile are skipped.
func (s *Store) ReverifyStep(slug string, gen uint64, updates []SignatureUpdate, last ID, done bool) error {
	var sums []Summary
	err := s.update(func(tx *bolt.Tx) error {
		j, ok, err := getJob(tx, slug, JobReverify)
		if err != nil {
			return err
		}
		if !ok || j.Gen != gen {
			return ErrJobSuperseded
		}
		for _, u := range updates {
			sum, ok, err := updateSignatureInTx(tx, u.ID, u.Signature)
			if err != nil {
				return err
			}
			if ok {
				sums = append(sums, sum)
			}
		}
		if done {
			return deleteJob(tx, slug, JobReverify)
		}
		j.After = last
		return putJob(tx, &j)
	})
	if err != nil {
		return fmt.Errorf("re-check signatures of %q: %w", slug, err)
	}
	for _, sum := range sums {
		s.publish(Event{Type: Updated, ID: sum.ID, Summary: sum})
	}
	return nil
}

// initSideBuckets creates the buckets a file written by an older Hookscope
// may lack, moving what they now hold out of the older records.
func initSideBuckets(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketJobs); err != nil {
		return err
	}
	if err := initDeliveries(tx); err != nil {
		return err
	}
	return initWebhookLogs(tx)
}

// AdoptRemaining counts the captures slug's adopt job has still to move, and
// those it moved already (0 and 0 when there is no such job), for progress.
func (s *Store) AdoptRemaining(slug string) (remaining, moved int, err error) {
	n := 0
	err = s.view(func(tx *bolt.Tx) error {
		j, ok, err := getJob(tx, slug, JobAdopt)
		if err != nil || !ok {
			return err
		}
		moved = j.Moved
		c := tx.Bucket(bucketSummaries).Cursor()
		k, v := c.First()
		if j.After != 0 {
			k, v = c.Seek((j.After + 1).key())
		}
		for ; k != nil; k, v = c.Next() {
			sum, err := decodeSummary(idFromKey(k), v)
			if err != nil {
				return err
			}
			if adopts(&j, &sum) {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("count the captures to move into %q: %w", slug, err)
	}
	return n, moved, nil
}
