package tunnel

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Permanent marks an error that retrying cannot mend (a missing binary, a
// refused authtoken): the manager reports it as failed and stops retrying.
// Hint is in the window's words, HeadlessHint ("" when Hint fits) in those
// of --headless.
type Permanent struct {
	Err          error
	Hint         string
	HeadlessHint string
}

func (p *Permanent) Error() string { return p.Err.Error() }
func (p *Permanent) Unwrap() error { return p.Err }

// Hinted is an error worth retrying that still has advice for the user.
type Hinted struct {
	Err          error
	Hint         string
	HeadlessHint string
}

func (h *Hinted) Error() string { return h.Err.Error() }
func (h *Hinted) Unwrap() error { return h.Err }

// Options configure a Manager. Zero values take the defaults.
type Options struct {
	// NewProvider builds the provider a Config names; default: the real
	// providers of this package.
	NewProvider func(Config) (Provider, error)
	// Backoff is the wait before each restart after a tunnel stopped on
	// its own; the last one repeats. Default 1, 2, 4, 8, 16, 30 s.
	Backoff []time.Duration
	// MaxFailures is how many starts in a row may fail without ever coming
	// online before the manager gives up and reports failed (default 5).
	MaxFailures int
	// StableAfter is how long a run must stay online before its drop
	// starts the backoff afresh (default 60 s): a tunnel that comes online
	// and crashes seconds later is restarted ever more slowly.
	StableAfter time.Duration
	Now         func() time.Time
}

// Manager owns the one tunnel the app runs: it starts the provider the
// Config names, restarts it when it stops, and tells subscribers every
// change of state. Its methods are safe for concurrent use.
type Manager struct {
	handler func(provider string) http.Handler
	opts    Options

	// switching is held by Set and Close for the whole switch, so that
	// concurrent calls take turns and "off" leaves nothing running.
	switching sync.Mutex

	mu     sync.Mutex
	cfg    Config
	state  State
	url    string // the running tunnel's public URL, "" before it is online
	prev   string // the URL before a restart changed it
	cancel context.CancelFunc
	done   chan struct{}
	subs   map[int]func(State)
	nextID int
}

// NewManager returns a manager whose tunnels serve handler(provider), which
// must serve captures only (never the local API) and may mark them with the
// provider's name. It starts switched off.
func NewManager(handler func(provider string) http.Handler, opts Options) *Manager {
	if opts.NewProvider == nil {
		opts.NewProvider = NewProvider
	}
	if len(opts.Backoff) == 0 {
		opts.Backoff = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second}
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 5
	}
	if opts.StableAfter <= 0 {
		opts.StableAfter = 60 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Manager{handler: handler, opts: opts, subs: map[int]func(State){}}
	m.state = State{Status: StatusOff, Since: opts.Now()}
	return m
}

// Config is the configuration in force.
func (m *Manager) Config() Config {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg
}

// State is the tunnel's state now.
func (m *Manager) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// Subscribe calls fn with every new state, from the manager's goroutine:
// fn must not block. The returned func stops the calls.
func (m *Manager) Subscribe(fn func(State)) (stop func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextID
	m.nextID++
	m.subs[id] = fn
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.subs, id)
	}
}

// Set stops the tunnel running (waiting until it has) and starts the one
// cfg names; Provider Off just stops. Setting the same Config again
// restarts it (the window's Retry). A Config that Validate refuses is
// returned and changes nothing: the tunnel in force keeps running. When Set
// returns, State is the new config's (starting, or off). Calls take turns.
func (m *Manager) Set(cfg Config) error {
	if err := Validate(cfg); err != nil {
		return err
	}
	m.switching.Lock()
	defer m.switching.Unlock()
	var p Provider
	if cfg.Provider != Off {
		var err error
		if p, err = m.opts.NewProvider(cfg); err != nil {
			return err
		}
	}
	stopped := m.stop()
	m.mu.Lock()
	m.cfg = cfg
	m.mu.Unlock()
	if cfg.Provider == Off {
		m.report(State{Status: StatusOff, PreviousURL: stopped})
		return nil
	}
	m.report(State{Provider: cfg.Provider, Status: StatusStarting, PreviousURL: stopped})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	m.mu.Lock()
	m.cancel, m.done = cancel, done
	m.mu.Unlock()
	go func() {
		defer close(done)
		m.run(ctx, cfg.Provider, p)
	}()
	return nil
}

// Close stops the tunnel and waits until its provider has stopped.
func (m *Manager) Close() {
	m.switching.Lock()
	defer m.switching.Unlock()
	stopped := m.stop()
	m.report(State{Status: StatusOff, PreviousURL: stopped})
}

// stop ends the running tunnel, waits for it and returns the public URL
// that stopped working ("" when none was online).
func (m *Manager) stop() string {
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.cancel, m.done = nil, nil
	m.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	url := m.url
	m.url, m.prev = "", ""
	return url
}

// run keeps the provider running until ctx ends, restarting it with backoff
// when it stops on its own.
func (m *Manager) run(ctx context.Context, name string, p Provider) {
	failures := 0    // runs in a row that did not stay online StableAfter: the backoff
	neverOnline := 0 // runs in a row that never came online: MaxFailures of them give up
	var retry *State // the reconnecting state a restart runs under
	for {
		var onlineAt atomic.Int64 // providers may report from their own goroutines
		err := p.Run(ctx, m.handler(name), func(s State) {
			if ctx.Err() != nil {
				return
			}
			s.Provider = name
			if s.Status == StatusStarting && retry != nil {
				// A restart is still reconnecting to the user, and says why.
				s = restarting(*retry, s)
			}
			if s.Status == StatusOnline {
				onlineAt.CompareAndSwap(0, m.opts.Now().UnixNano())
			}
			m.report(s)
		})
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("the tunnel stopped")
		}
		neverOnline++
		if at := onlineAt.Load(); at != 0 {
			neverOnline = 0
			if m.opts.Now().Sub(time.Unix(0, at)) >= m.opts.StableAfter {
				failures = 0
			}
		}
		failures++
		var perm *Permanent
		if errors.As(err, &perm) || neverOnline >= m.opts.MaxFailures {
			m.report(failedState(name, err))
			return
		}
		wait := m.opts.Backoff[min(failures-1, len(m.opts.Backoff)-1)]
		next := failedState(name, err)
		next.Status, next.RetryIn, next.Attempt = StatusReconnecting, wait, failures+1
		if neverOnline > 0 {
			next.Attempt, next.MaxAttempts = neverOnline+1, m.opts.MaxFailures
		}
		retry = &next
		m.report(next)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// restarting is what a restart's provider reporting s (starting) shows:
// still reconnecting, with the provider's own reason if it has one, else
// why the last run stopped.
func restarting(retry, s State) State {
	out := retry
	out.Target = s.Target
	if s.Err != "" {
		out.Err, out.Hint, out.HeadlessHint, out.RetryIn, out.Attempt, out.MaxAttempts = s.Err, s.Hint, s.HeadlessHint, 0, 0, 0
	}
	return out
}

func failedState(name string, err error) State {
	s := State{Provider: name, Status: StatusFailed, Err: err.Error()}
	var perm *Permanent
	var hinted *Hinted
	switch {
	case errors.As(err, &perm):
		s.Hint, s.HeadlessHint = perm.Hint, perm.HeadlessHint
	case errors.As(err, &hinted):
		s.Hint, s.HeadlessHint = hinted.Hint, hinted.HeadlessHint
	}
	return s
}

// report records s (stamping Since when the status or the provider
// changes, and PreviousURL when a restart brought a new URL) and tells the
// subscribers.
func (m *Manager) report(s State) {
	m.mu.Lock()
	if s.Status == m.state.Status && s.Provider == m.state.Provider && !m.state.Since.IsZero() {
		s.Since = m.state.Since
	} else {
		s.Since = m.opts.Now()
	}
	if s.Status == StatusOnline && s.URL != "" {
		if m.url != "" && s.URL != m.url {
			m.prev = m.url
		}
		m.url = s.URL
		s.PreviousURL = m.prev
	}
	if s == m.state {
		m.mu.Unlock()
		return
	}
	m.state = s
	subs := make([]func(State), 0, len(m.subs))
	for _, fn := range m.subs {
		subs = append(subs, fn)
	}
	m.mu.Unlock()
	for _, fn := range subs {
		fn(s)
	}
}
