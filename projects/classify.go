package projects

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hookscope/delivery"
	"hookscope/signature"
	"hookscope/store"
)

// firstSegment is the slug candidate of a path: "/shop/orders" → "shop".
func firstSegment(path string) string {
	path = strings.TrimPrefix(path, "/")
	seg, _, _ := strings.Cut(path, "/")
	return seg
}

// Classify gives a capture what its path decides: the project it names
// (c.Project, "" for Unsorted) and its signature check, judged as of its
// receive time. It returns the project, so the receiver can answer as the
// project asks. A capture that did not arrive here (an imported one) gets
// what arrival would have given it; its recorded answer stays.
func (b *Book) Classify(c *store.Capture) (store.Project, bool) {
	p, ok := b.Get(firstSegment(c.Path))
	var proj *store.Project
	c.Project = ""
	if ok {
		proj = &p
		c.Project = p.Slug
	}
	c.Signature = checkSignature(c, proj, c.ReceivedAt)
	return p, ok
}

// AnswerDelay is how long the receiver holds the answer to a capture of p,
// bounded as Validate bounds it.
func AnswerDelay(p store.Project) time.Duration {
	return min(time.Duration(p.Response.DelaySeconds*float64(time.Second)), store.MaxResponseDelay)
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
func (b *Book) Verify(id store.ID) (*store.Capture, error) {
	c, err := b.st.Get(id)
	if err != nil {
		return nil, err
	}
	var proj *store.Project
	if p, ok := b.Get(c.Project); ok {
		proj = &p
	}
	c.Signature = checkSignature(c, proj, c.ReceivedAt)
	if err := b.st.UpdateSignature(id, c.Signature); err != nil {
		return nil, err
	}
	return c, nil
}

// Reverify re-checks every capture of a project, newest first, with the
// project as stored now; progress is told after each capture.
func (b *Book) Reverify(ctx context.Context, slug string, progress func(done, total int)) (int, error) {
	if err := b.load(); err != nil {
		return 0, err
	}
	ids, err := b.st.IDs(store.Filter{Project: slug})
	if err != nil {
		return 0, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return len(ids) - 1 - i, err
		}
		if _, err := b.Verify(ids[i]); err != nil && !errors.Is(err, store.ErrNotFound) {
			return len(ids) - 1 - i, fmt.Errorf("re-verify %s: %w", slug, err)
		}
		if progress != nil {
			progress(len(ids)-i, len(ids))
		}
	}
	return len(ids), nil
}
