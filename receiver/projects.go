package receiver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"hookscope/delivery"
	"hookscope/signature"
	"hookscope/store"
)

// maxDelay caps a project's answer delay, as the project form does.
const maxDelay = 30 * time.Second

// projectCache holds the projects the capture path needs, so a capture never
// waits for a store read; it is reloaded when the store says projects changed.
type projectCache struct {
	m atomic.Pointer[map[string]store.Project]
}

func (pc *projectCache) get(slug string) (store.Project, bool) {
	m := pc.m.Load()
	if m == nil || slug == "" {
		return store.Project{}, false
	}
	p, ok := (*m)[slug]
	return p, ok
}

func (pc *projectCache) load(st *store.Store) error {
	ps, err := st.Projects()
	if err != nil {
		return fmt.Errorf("load projects: %w", err)
	}
	m := make(map[string]store.Project, len(ps))
	for _, p := range ps {
		m[p.Slug] = p
	}
	pc.m.Store(&m)
	return nil
}

// watchProjects keeps the cache current until the store closes, and then
// ends the server's life: queued forwards are dropped, jobs stop. After each
// change it has the job runner look for the jobs the change recorded
// (store.Job): a new project takes the Unsorted captures its path already
// received, a changed secret or scheme re-checks the project's captures,
// whoever changed it (the window or the API).
func (s *Server) watchProjects(sub *store.Subscription) {
	defer s.endLife()
	for e := range sub.Events() {
		if e.Type != store.ProjectsChanged {
			continue
		}
		if err := s.projects.load(s.store); err != nil {
			continue
		}
		s.kickJobs()
	}
}

// ReverifyProgress is told how a background re-check of a project's
// captures advances; done == total when it ends.
type ReverifyProgress func(slug string, done, total int)

// OnReverify sets who hears of background re-checks (the window shows them).
func (s *Server) OnReverify(fn ReverifyProgress) { s.reverifyProgress.Store(&fn) }

// firstSegment is the slug candidate of a path: "/shop/orders" → "shop".
func firstSegment(path string) string {
	path = strings.TrimPrefix(path, "/")
	seg, _, _ := strings.Cut(path, "/")
	return seg
}

// prepare fills in what the capture's project decides: the project itself,
// the answer and the signature check.
func (s *Server) prepare(c *store.Capture) (delay time.Duration) {
	p, ok := s.projects.get(firstSegment(c.Path))
	var proj *store.Project
	if ok {
		proj = &p
		c.Project = p.Slug
		// A truncated capture keeps its 413: the sender must learn its
		// body was cut, whatever answer the project asks for.
		if r := p.Response; r.Status != 0 && !c.Truncated {
			c.Response = projectResponse(c.Response, r)
		}
		delay = min(time.Duration(p.Response.DelaySeconds*float64(time.Second)), maxDelay)
	}
	c.Signature = checkSignature(c, proj, c.ReceivedAt)
	return delay
}

// Classify gives a capture that did not arrive here (an imported one) what
// arrival would have: the project its path names in this store and its
// signature check, judged as of its receive time. Its recorded answer stays.
func (s *Server) Classify(c *store.Capture) {
	var proj *store.Project
	c.Project = ""
	if p, ok := s.projects.get(firstSegment(c.Path)); ok {
		proj = &p
		c.Project = p.Slug
	}
	c.Signature = checkSignature(c, proj, c.ReceivedAt)
}

// projectResponse is the answer a project asks for, over the receiver's
// default one: without a body of its own it keeps the default body and its
// Content-Type, and headers net/http owns are not the project's to set (a
// Content-Length of its own emptied the answer).
func projectResponse(def store.Response, r store.ProjectResponse) store.Response {
	out := store.Response{Status: r.Status, Header: def.Header.Clone(), Body: def.Body}
	if r.Body != "" {
		out.Body = []byte(r.Body)
		out.Header.Del("Content-Type")
	}
	if !bodyAllowed(r.Status) {
		out.Body = nil
		out.Header.Del("Content-Type")
	}
	for name, v := range r.Headers {
		switch http.CanonicalHeaderKey(name) {
		case "Content-Length", "Transfer-Encoding", "Connection", CaptureIDHeader:
			continue
		}
		out.Header.Set(name, v)
	}
	return out
}

// bodyAllowed reports whether an answer with this status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// checkSignature verifies c against its project's secret and scheme, or
// against the scheme its headers reveal. now is the receive time, so a
// capture re-checked later is judged as of when it arrived.
func checkSignature(c *store.Capture, p *store.Project, now time.Time) store.Signature {
	var cfg signature.Config
	if p != nil {
		cfg = delivery.SignatureConfig(*p)
	}
	r := signature.Verify(signature.Request{Method: c.Method, URL: c.URL(), Header: c.Header, Body: c.Body}, cfg, now)
	reason := r.Reason
	if c.Truncated && r.Status == signature.Invalid {
		reason += " The body was truncated at the receiver's limit, so the signed bytes are incomplete; raise --max-body."
	}
	return store.Signature{
		Scheme:             r.Scheme,
		Detected:           r.Detected,
		Status:             string(r.Status),
		Reason:             reason,
		Received:           r.Received,
		Computed:           r.Computed,
		Hint:               r.Hint,
		SignedContentLen:   r.SignedContentLen,
		SignedContentStart: r.SignedContentStart,
		Skew:               r.Skew,
		HasSkew:            r.HasSkew,
	}
}

// Verify re-checks one capture's signature with its project's current
// settings and stores the outcome.
func (s *Server) Verify(id store.ID) (*store.Capture, error) {
	c, err := s.store.Get(id)
	if err != nil {
		return nil, err
	}
	var proj *store.Project
	if p, ok := s.projects.get(c.Project); ok {
		proj = &p
	}
	c.Signature = checkSignature(c, proj, c.ReceivedAt)
	if err := s.store.UpdateSignature(id, c.Signature); err != nil {
		return nil, err
	}
	return c, nil
}

// Reverify re-checks every capture of a project, newest first, after its
// secret or scheme changed; progress is told after each capture.
func (s *Server) Reverify(ctx context.Context, slug string, progress func(done, total int)) (int, error) {
	if err := s.projects.load(s.store); err != nil {
		return 0, err
	}
	return s.reverify(ctx, slug, progress)
}

func (s *Server) reverify(ctx context.Context, slug string, progress func(done, total int)) (int, error) {
	ids, err := s.store.IDs(store.Filter{Project: slug})
	if err != nil {
		return 0, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return len(ids) - 1 - i, err
		}
		if _, err := s.Verify(ids[i]); err != nil && !isNotFound(err) {
			return len(ids) - 1 - i, fmt.Errorf("re-verify %s: %w", slug, err)
		}
		if progress != nil {
			progress(len(ids)-i, len(ids))
		}
	}
	return len(ids), nil
}
