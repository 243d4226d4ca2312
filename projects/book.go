// Package projects owns Hookscope's projects: the rules a project must follow
// (Validate: slug, scheme, webhooks and their target, answer, templates),
// saving and deleting one (Book.Save renames and writes in one store
// transaction, Book.Delete), the cache of projects the capture path reads,
// the classification and signature check of each capture by its project, and
// the durable jobs a change starts (adopting captures, re-checking
// signatures), whose progress it tells whoever listens. The receiver's API
// and the window both go through it; the store keeps the records only.
package projects

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"hookscope/projects/rules"
	"hookscope/store"
)

// Book is the projects of one store. Its background work (keeping the cache
// current, running jobs) ends when the store closes.
type Book struct {
	st    *store.Store
	cache atomic.Pointer[snapshot]
	jobs  jobRunner
	// life ends when the store closes.
	life    context.Context
	endLife context.CancelFunc

	reverifyProgress atomic.Pointer[Progress]
	adoptProgress    atomic.Pointer[Progress]
}

// snapshot is the projects as last loaded, which the capture path reads
// without a store read.
type snapshot struct {
	projects map[string]store.Project
	// rules are each project's response rules, decoded once, and under ""
	// those of captures of no project.
	rules map[string][]rules.Rule
}

// New loads st's projects and starts keeping them current, and resumes the
// jobs a previous run left unfinished.
func New(st *store.Store) *Book {
	b := &Book{st: st, jobs: newJobRunner()}
	b.life, b.endLife = context.WithCancel(context.Background())
	// Subscribe before the first load so no change falls between them.
	go b.watch(st.Subscribe(store.ProjectsChanged))
	if err := b.load(); err != nil {
		// Captures still work; they go to Unsorted until projects load.
		b.cache.Store(&snapshot{projects: map[string]store.Project{}, rules: map[string][]rules.Rule{}})
	}
	go b.runJobs()
	b.kickJobs()
	return b
}

// Life ends when the store has closed and the book's work ended; work that
// lives as long as the store's (the receiver's forwards) derives from it.
func (b *Book) Life() context.Context { return b.life }

// Get returns the project of slug from the cache, without a store read.
func (b *Book) Get(slug string) (store.Project, bool) {
	snap := b.cache.Load()
	if snap == nil || slug == "" {
		return store.Project{}, false
	}
	p, ok := snap.projects[slug]
	return p, ok
}

func (b *Book) load() error {
	ps, err := b.st.Projects()
	if err != nil {
		return fmt.Errorf("load projects: %w", err)
	}
	snap := &snapshot{projects: make(map[string]store.Project, len(ps)), rules: make(map[string][]rules.Rule, len(ps)+1)}
	for _, p := range ps {
		snap.projects[p.Slug] = p
		// Save stored rules that decode; a record damaged since answers
		// with the fallback rather than stopping the capture path.
		snap.rules[p.Slug], _ = RulesOf(p)
	}
	rs, err := b.UnsortedRules()
	if old := b.cache.Load(); err != nil && old != nil {
		rs = old.rules[""]
	}
	snap.rules[""] = rs
	b.cache.Store(snap)
	if err != nil {
		return fmt.Errorf("load projects: %w", err)
	}
	return nil
}

// watch keeps the cache current until the store closes. After each change it
// has the job runner look for the jobs the change recorded (store.Job): a new
// project takes the Unsorted captures its path already received, a changed
// secret or scheme re-checks the project's captures, whoever changed it (the
// window or the API).
func (b *Book) watch(sub *store.Subscription) {
	defer b.endLife()
	for e := range sub.Events() {
		if e.Type != store.ProjectsChanged {
			continue
		}
		if err := b.load(); err != nil {
			continue
		}
		b.kickJobs()
	}
}

// Save validates p and writes it, first renaming the project at origSlug
// when p has another slug, in one store transaction: a refused save changes
// nothing. origSlug "" creates p. listenAddr is where the receiver listens
// (see Validate). The jobs the change starts (adopting captures, re-checking
// signatures) are recorded with it and run in the background. It returns the
// project as stored, or FieldErrors when p breaks a rule.
func (b *Book) Save(origSlug string, p store.Project, listenAddr string) (store.Project, error) {
	all, err := b.st.Projects()
	if err != nil {
		return store.Project{}, err
	}
	others := all[:0:0]
	for _, o := range all {
		if o.Slug != origSlug {
			others = append(others, o)
		}
	}
	if err := Validate(p, others, listenAddr).orNil(); err != nil {
		return store.Project{}, err
	}
	// The rules decode (Validate checked them); the store keeps them as
	// this package writes them.
	rs, _ := RulesOf(p)
	SetRules(&p, rs)
	if err := b.st.SaveProject(origSlug, p); err != nil {
		if errors.Is(err, store.ErrProjectExists) {
			// Another writer took the slug since the check above.
			return store.Project{}, FieldErrors{"slug": duplicateSlug(p.Slug)}
		}
		return store.Project{}, err
	}
	return b.st.Project(p.Slug)
}

// Delete removes the project; its captures move to Unsorted (see
// store.DeleteProject).
func (b *Book) Delete(slug string) error { return b.st.DeleteProject(slug) }
