package tunnel

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Permanent marks an error that retrying cannot mend (a missing binary, a
// refused authtoken): the manager reports it as failed and stops retrying.
type Permanent struct {
	Err  error
	Hint string
}

func (p *Permanent) Error() string { return p.Err.Error() }
func (p *Permanent) Unwrap() error { return p.Err }

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
	Now         func() time.Time
}

// Manager owns the one tunnel the app runs: it starts the provider the
// Config names, restarts it when it stops, and tells subscribers every
// change of state. Its methods are safe for concurrent use.
type Manager struct {
	handler func(provider string) http.Handler
	opts    Options

	mu     sync.Mutex
	cfg    Config
	state  State
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
// restarts it (the window's Retry). A Config the provider refuses is
// reported as failed and returned.
func (m *Manager) Set(cfg Config) error {
	m.stop()
	m.mu.Lock()
	m.cfg = cfg
	m.mu.Unlock()
	if cfg.Provider == Off {
		m.report(State{Status: StatusOff})
		return nil
	}
	p, err := m.opts.NewProvider(cfg)
	if err != nil {
		m.report(failedState(cfg.Provider, err))
		return err
	}
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
	m.stop()
	m.report(State{Status: StatusOff})
}

func (m *Manager) stop() {
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.cancel, m.done = nil, nil
	m.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// run keeps the provider running until ctx ends, restarting it with backoff
// when it stops on its own.
func (m *Manager) run(ctx context.Context, name string, p Provider) {
	failures := 0
	lastErr := "" // why the last run stopped, shown until the next is online
	for attempt := 0; ; attempt++ {
		status := StatusStarting
		if attempt > 0 {
			status = StatusReconnecting
		}
		m.report(State{Provider: name, Status: status, Err: lastErr})
		var cameOnline atomic.Bool // providers may report from their own goroutines
		err := p.Run(ctx, m.handler(name), func(s State) {
			if ctx.Err() != nil {
				return
			}
			s.Provider = name
			if s.Status == StatusStarting && status == StatusReconnecting {
				// A restart is still reconnecting to the user, and says why.
				s.Status = StatusReconnecting
				s.Err = cmp.Or(s.Err, lastErr)
			}
			if s.Status == StatusOnline {
				cameOnline.Store(true)
			}
			m.report(s)
		})
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("the tunnel stopped")
		}
		if cameOnline.Load() {
			failures = 0
		}
		failures++
		var perm *Permanent
		if errors.As(err, &perm) || failures >= m.opts.MaxFailures {
			m.report(failedState(name, err))
			return
		}
		wait := m.opts.Backoff[min(failures-1, len(m.opts.Backoff)-1)]
		lastErr = err.Error()
		m.report(State{Provider: name, Status: StatusReconnecting, Err: lastErr, Hint: hintOf(err)})
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func failedState(name string, err error) State {
	return State{Provider: name, Status: StatusFailed, Err: err.Error(), Hint: hintOf(err)}
}

func hintOf(err error) string {
	var perm *Permanent
	if errors.As(err, &perm) {
		return perm.Hint
	}
	return ""
}

// report records s (stamping Since when the status changes) and tells the
// subscribers.
func (m *Manager) report(s State) {
	m.mu.Lock()
	if s.Status == m.state.Status && !m.state.Since.IsZero() {
		s.Since = m.state.Since
	} else {
		s.Since = m.opts.Now()
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
