package ui

import (
	"net"
	"strconv"
	"time"

	"hookscope/store"
)

// coalesceWindow is how long the bridge gathers store events before it hands
// them to the widgets in one fyne.Do: a burst of captures costs one refresh,
// and a lone capture still shows well within 100 ms.
const coalesceWindow = 30 * time.Millisecond

// bridge is the one place where background events reach widgets: store
// events arrive on a subscription, are batched here, and are delivered on the
// UI goroutine.
type bridge struct {
	st      *store.Store
	do      func(func())
	deliver func([]store.Event)
	sub     *store.Subscription
	quit    chan struct{}
}

func newBridge(st *store.Store, do func(func()), deliver func([]store.Event)) *bridge {
	return &bridge{st: st, do: do, deliver: deliver, quit: make(chan struct{})}
}

func (b *bridge) start() {
	b.sub = b.st.Subscribe()
	go b.run(b.sub)
}

func (b *bridge) stop() {
	select {
	case <-b.quit:
	default:
		close(b.quit)
	}
	if b.sub != nil {
		b.sub.Close()
	}
}

func (b *bridge) run(sub *store.Subscription) {
	events := sub.Events()
	for {
		var batch []store.Event
		select {
		case <-b.quit:
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			batch = append(batch, e)
		}
		timer := time.NewTimer(coalesceWindow)
	gather:
		for {
			select {
			case e, ok := <-events:
				if !ok {
					break gather
				}
				batch = append(batch, e)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		b.do(func() { b.deliver(batch) })
	}
}

// background runs work off the UI goroutine and hands its result to done on
// the UI goroutine. Every disk or network call of the window goes through it.
func background[T any](w *Window, work func() (T, error), done func(T, error)) {
	go func() {
		v, err := work()
		w.do(func() { done(v, err) })
	}()
}

// backgroundDo is background for work that returns only an error.
func backgroundDo(w *Window, work func() error, done func(error)) {
	background(w, func() (struct{}, error) { return struct{}{}, work() }, func(_ struct{}, err error) { done(err) })
}

// onStoreEvents runs on the UI goroutine with a batch of store events.
func (w *Window) onStoreEvents(events []store.Event) {
	w.list.apply(events)
	w.side.apply(events)
	w.top.refreshCount()
	w.notes.apply(events)
	w.unread.apply(events)
	w.tray.apply(events)
	projectsChanged := false
	for _, e := range events {
		if e.Type == store.Updated && e.ID == w.detail.shown {
			w.detail.show(e.ID)
		}
		// A delivery changes its webhook's log, not the project: only the
		// editor's log cares.
		projectsChanged = projectsChanged || e.Type == store.ProjectsChanged || e.Type == store.DeliveryRecorded
	}
	if projectsChanged {
		w.onProjectsChanged()
	}
	w.scheduleClock() // a new capture's age reads "just now", then "1s ago"
}

// suggestAddress proposes the next port on the same host.
func suggestAddress(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "127.0.0.1:8788"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n >= 65535 {
		return net.JoinHostPort(host, "8788")
	}
	return net.JoinHostPort(host, strconv.Itoa(n+1))
}
