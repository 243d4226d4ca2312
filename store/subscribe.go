package store

// EventType says what changed.
type EventType int

// The changes a subscriber hears of.
const (
	Added EventType = iota + 1
	Deleted
	Cleared
	Updated // a capture's summary changed (e.g. its signature was re-checked)
	Pruned  // retention removed every capture with an ID up to Event.ID
	// ProjectsChanged: a project was saved, renamed or deleted, or captures
	// moved between projects; reload projects (and views filtered by
	// project: their captures moved).
	ProjectsChanged
	// DeliveryRecorded: an attempt of Event.Project was recorded and its
	// webhook's log updated; no project record changed.
	DeliveryRecorded
	// Restored: captures deleted by Discard or DiscardAll are back (an
	// undo); reload. They are not new: nothing should announce them.
	Restored
)

// Event is one change to the store, sent after it is committed.
type Event struct {
	Type    EventType
	ID      ID
	Summary Summary // for Added and Updated
	Project string  // for DeliveryRecorded
	// Action and Failure are a DeliveryRecorded attempt's action and why it
	// failed: its error, or its status when it was not 2xx ("" when it was).
	Action, Failure string
}

// Subscription receives events until Close.
type Subscription struct {
	s     *Store
	c     chan Event
	types map[EventType]bool // nil: every type
}

// subscriptionBuffer is how many events a slow subscriber may fall behind
// before it misses some; the writer never waits for a subscriber.
const subscriptionBuffer = 4096

// Subscribe returns a subscription to the changes committed from now on: of
// the given types, or of every type when none is given. A subscriber that
// falls more than a few thousand events behind misses events rather than
// slowing capture down.
func (s *Store) Subscribe(types ...EventType) *Subscription {
	sub := &Subscription{s: s, c: make(chan Event, subscriptionBuffer)}
	if len(types) > 0 {
		// A subscriber that never wants captures must not be woken for each.
		sub.types = map[EventType]bool{}
		for _, t := range types {
			sub.types[t] = true
		}
	}
	s.subMu.Lock()
	s.subs[sub] = struct{}{}
	s.subMu.Unlock()
	return sub
}

// Events is closed when the subscription or the store is closed.
func (sub *Subscription) Events() <-chan Event { return sub.c }

// Close stops the subscription.
func (sub *Subscription) Close() {
	s := sub.s
	s.subMu.Lock()
	defer s.subMu.Unlock()
	if _, ok := s.subs[sub]; ok {
		delete(s.subs, sub)
		close(sub.c)
	}
}

func (s *Store) publish(e Event) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for sub := range s.subs {
		if sub.types != nil && !sub.types[e.Type] {
			continue
		}
		select {
		case sub.c <- e:
		default:
		}
	}
}
