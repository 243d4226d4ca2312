package receiver

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"hookscope/delivery"
	"hookscope/store"
)

// The forward queue's default bounds: a target that accepts connections and
// never answers must not make every capture waiting for it a copy in memory.
const (
	DefaultForwardQueue      = 1000     // captures waiting or being sent
	DefaultForwardQueueBytes = 64 << 20 // their bodies and headers
)

// forwardWorkers is how many forwards are sent at once.
const forwardWorkers = 32

// stoppedReason is recorded for the forwards a stopped receiver drops.
const stoppedReason = "not forwarded: the receiver was stopped before its turn came"

// forwardJob is one capture to forward, copied out of its request.
type forwardJob struct {
	project store.Project
	capture store.Capture
	size    int64
}

// forwardQueue holds the captures waiting to be forwarded, bounded by count
// and bytes, and sends them from at most forwardWorkers goroutines, started
// when there is work and gone when there is none, so an idle or closed
// receiver holds none. A capture that does not fit is not kept: one
// recorder goroutine writes its failed attempt (from a copy without headers
// and body), so the capture's own answer never waits for the store.
type forwardQueue struct {
	maxCount int
	maxBytes int64
	full     string // the overflow's error
	send     func(context.Context, *forwardJob)
	record   func(*forwardJob, string)
	parent   context.Context // ends when the store closes

	mu      sync.Mutex
	ctx     context.Context // ends when Stop gives up waiting, or with parent
	cancel  context.CancelFunc
	waiting []*forwardJob
	held    int // waiting and being sent
	bytes   int64
	workers int
	// overflow are captures that did not fit, to record; at most maxCount,
	// beyond which only unrecorded counts them.
	overflow   []*forwardJob
	unrecorded int
	recording  bool
	idle       chan struct{} // closed when the queue next has nothing to do
}

func newForwardQueue(parent context.Context, maxCount int, maxBytes int64, send func(context.Context, *forwardJob), record func(*forwardJob, string)) *forwardQueue {
	if maxCount <= 0 {
		maxCount = DefaultForwardQueue
	}
	if maxBytes <= 0 {
		maxBytes = DefaultForwardQueueBytes
	}
	q := &forwardQueue{maxCount: maxCount, maxBytes: maxBytes, send: send, record: record, parent: parent}
	q.full = fmt.Sprintf("forward queue full (%s captures / %s waiting)", thousands(maxCount), byteSize(maxBytes))
	q.ctx, q.cancel = context.WithCancel(parent)
	return q
}

// push queues the job, or records that it did not fit; it never blocks on
// the network or the store. A job larger than the byte bound is taken when
// nothing else is held.
func (q *forwardQueue) push(j *forwardJob) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.held >= q.maxCount || (q.held > 0 && q.bytes+j.size > q.maxBytes) {
		q.noteOverflow(j)
		return
	}
	q.waiting = append(q.waiting, j)
	q.held++
	q.bytes += j.size
	if q.workers < forwardWorkers {
		q.workers++
		go q.work()
	}
}

// noteOverflow keeps what recording j's failure needs; q.mu is held.
func (q *forwardQueue) noteOverflow(j *forwardJob) {
	if len(q.overflow) >= q.maxCount {
		q.unrecorded++
		return
	}
	c := j.capture
	note := &forwardJob{project: j.project, capture: store.Capture{
		ID: c.ID, ReceivedAt: c.ReceivedAt, Method: c.Method, Path: c.Path, RawQuery: c.RawQuery, Project: c.Project,
	}}
	q.overflow = append(q.overflow, note)
	if !q.recording {
		q.recording = true
		go q.recordOverflow()
	}
}

// work sends waiting jobs until there are none; once the queue's context
// has ended it records them as dropped instead.
func (q *forwardQueue) work() {
	for {
		q.mu.Lock()
		if len(q.waiting) == 0 {
			q.workers--
			q.signalIdle()
			q.mu.Unlock()
			return
		}
		j := popFront(&q.waiting)
		ctx := q.ctx
		q.mu.Unlock()

		if ctx.Err() != nil {
			q.record(j, stoppedReason)
		} else {
			q.send(ctx, j)
		}

		q.mu.Lock()
		q.held--
		q.bytes -= j.size
		q.mu.Unlock()
	}
}

// popFront takes the first job of the list, clearing its slot so that the
// list's array does not hold the capture after it is done.
func popFront(list *[]*forwardJob) *forwardJob {
	j := (*list)[0]
	(*list)[0] = nil
	*list = (*list)[1:]
	return j
}

func (q *forwardQueue) recordOverflow() {
	for {
		q.mu.Lock()
		if len(q.overflow) == 0 {
			q.recording = false
			q.signalIdle()
			q.mu.Unlock()
			return
		}
		j := popFront(&q.overflow)
		reason := q.full
		if q.unrecorded > 0 && len(q.overflow) == 0 {
			reason += fmt.Sprintf("; %s more captures overflowed while these failures were recorded and have no record of their own", thousands(q.unrecorded))
			q.unrecorded = 0
		}
		q.mu.Unlock()
		q.record(j, reason)
	}
}

// signalIdle closes idle when nothing is left to do; q.mu is held.
func (q *forwardQueue) signalIdle() {
	if q.workers == 0 && !q.recording && q.idle != nil {
		close(q.idle)
		q.idle = nil
	}
}

// idleChan is closed once the queue has nothing to do.
func (q *forwardQueue) idleChan() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.workers == 0 && !q.recording {
		done := make(chan struct{})
		close(done)
		return done
	}
	if q.idle == nil {
		q.idle = make(chan struct{})
	}
	return q.idle
}

// drain waits until every queued forward is sent and every failure
// recorded, or ctx ends; then the forwards in flight are canceled and those
// still waiting recorded as dropped (stoppedReason), which takes no network
// time, and it waits for that. Forwards queued after it returns are sent.
func (q *forwardQueue) drain(ctx context.Context) {
	select {
	case <-q.idleChan():
		return
	case <-ctx.Done():
	}
	q.mu.Lock()
	q.cancel()
	q.mu.Unlock()
	<-q.idleChan()
	q.mu.Lock()
	q.ctx, q.cancel = context.WithCancel(q.parent)
	q.mu.Unlock()
}

// jobSize is what a job holds in memory, roughly: the body and headers.
func jobSize(c *store.Capture) int64 {
	n := int64(len(c.Body))
	for name, vals := range c.Header {
		n += int64(len(name))
		for _, v := range vals {
			n += int64(len(v))
		}
	}
	return n
}

// sendForward forwards a queued capture; a failure is in its record.
func (s *Server) sendForward(ctx context.Context, j *forwardJob) {
	s.opts.Delivery.Forward(ctx, j.project, &j.capture, s.Addr())
}

// recordNotForwarded records why a capture was not forwarded; a store that
// is closing cannot record it, and nothing else can.
func (s *Server) recordNotForwarded(j *forwardJob, reason string) {
	s.opts.Delivery.NotForwarded(j.project, &j.capture, reason)
}

// thousands writes n with comma separators: 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// byteSize writes n in the largest binary unit that divides it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// forwardable reports whether the capture is one to forward: its project
// forwards, it has a target, and Hookscope did not send it (delivery.HopHeader).
func forwardable(p store.Project, ok bool, c *store.Capture) bool {
	if !ok || !p.Forward || delivery.Hops(c.Header) > 0 {
		return false
	}
	_, has := delivery.ForwardTarget(p, c.Path)
	return has
}
