package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"hookscope/notify"
	"hookscope/store"
)

// Preference keys of notifications and the tray.
const (
	prefNotifyDefault  = "notify.default"  // a project's choice when it has none
	prefNotifyUnsorted = "notify.unsorted" // Unsorted's choice
	prefCloseToTray    = "ui.closeToTray"  // default true
	prefTrayHintShown  = "ui.trayHintShown"
	// Unsorted takes whatever reaches the receiver (a browser's favicon,
	// a scanner on 0.0.0.0): only its problems by default.
	defaultNotifyChoice   = notify.All
	defaultUnsortedChoice = notify.Problems
)

// desktopNotifier shows a notification on the desktop. Only the sender's
// goroutine calls it: on Linux it waits for the session bus.
type desktopNotifier interface {
	show(notify.Message) error
	close()
}

// appNotifier is Fyne's SendNotification: the system's notifications off
// Linux and the BSDs, and the recorder of Fyne's test app in tests.
type appNotifier struct{ app fyne.App }

func (a appNotifier) show(m notify.Message) error {
	a.app.SendNotification(&fyne.Notification{Title: m.Title, Content: m.Content})
	return nil
}

func (appNotifier) close() {}

// notifications gathers store events into desktop notifications. It lives
// on the UI goroutine; the D-Bus call goes through sender, on its own.
type notifications struct {
	w      *Window
	co     *notify.Coalescer
	sender *notifySender
	timer  *time.Timer // pending flush, nil when none
}

func newNotifications(w *Window) *notifications {
	// The bus is read when the first message goes: tests stand in theirs
	// after the window is built.
	check := func() error { return w.bus.notifications() }
	// Fyne's own notifications until New hands the desktop's in: the
	// window's tests record what Fyne's test app is sent.
	n := &notifications{w: w, sender: newNotifySender(appNotifier{w.app}, check)}
	n.co = notify.NewCoalescer(n.choice, time.Now)
	return n
}

// choice is what project ("" is Unsorted) wants, its own or the default.
func (n *notifications) choice(project string) notify.Choice {
	p := n.w.app.Preferences()
	def := notify.Choice(p.StringWithFallback(prefNotifyDefault, string(defaultNotifyChoice)))
	if project == "" {
		return notify.Choice(p.StringWithFallback(prefNotifyUnsorted, string(defaultUnsortedChoice)))
	}
	for _, pr := range n.w.side.projects {
		if pr.Slug == project {
			return notify.Choice(pr.Notify).Resolve(def)
		}
	}
	return def
}

// name is the project's name as the sidebar shows it ("" when it has none).
func (n *notifications) name(project string) string {
	for _, pr := range n.w.side.projects {
		if pr.Slug == project {
			return pr.Name
		}
	}
	return ""
}

// apply takes a batch of store events in; it only counts, and arms a timer
// when a message becomes due. What the user watches arrive is not told.
func (n *notifications) apply(events []store.Event) {
	var due time.Time
	for _, e := range events {
		ne, ok := notifyEvent(e)
		if !ok || n.w.unread.watching(ne.Project) {
			continue
		}
		ne.Name = n.name(ne.Project)
		due, _ = n.co.Add(ne)
	}
	n.arm(due)
}

// notifyEvent is the notifier's view of a store event: a new capture, or a
// delivery that failed.
func notifyEvent(e store.Event) (notify.Event, bool) {
	switch {
	case e.Type == store.Added:
		s := e.Summary
		return notify.Event{Kind: notify.Capture, Project: s.Project, Method: s.Method, Path: s.URI(),
			SignatureStatus: s.SignatureStatus, Truncated: s.Truncated}, true
	case e.Type == store.DeliveryRecorded && e.Failure != "":
		project := e.Project
		if project == store.Unsorted {
			project = ""
		}
		return notify.Event{Kind: notify.DeliveryFailed, Project: project, Action: e.Action, Error: e.Failure}, true
	}
	return notify.Event{}, false
}

func (n *notifications) arm(due time.Time) {
	if due.IsZero() || n.timer != nil {
		return
	}
	n.timer = time.AfterFunc(time.Until(due), func() { n.w.do(n.flush) })
}

// flush sends what is due, and waits again for what is not yet.
func (n *notifications) flush() {
	n.timer = nil
	if m, ok := n.co.Take(); ok {
		n.sender.post(m)
	}
	n.arm(n.co.Due())
}

func (n *notifications) stop() {
	if n.timer != nil {
		n.timer.Stop()
	}
	n.sender.stop()
}

// notifySender makes the D-Bus call on its own goroutine: on Linux a
// notification waits for the notification daemon's answer, about 25 s when
// none answers. A queue of one keeps the latest message only. Whether a
// daemon answers is asked once, not per message, and a call that fails
// stops the next ones too; Settings shows why and its test button asks
// again.
type notifySender struct {
	to    desktopNotifier
	check func() error
	queue chan notify.Message
	quit  chan struct{}
	once  sync.Once

	mu          sync.Mutex
	checked     bool
	unavailable error
	// sent is called after each notification handed to the desktop (tests);
	// after are one-off calls for the next one (Settings' test button).
	sent  func(notify.Message)
	after []func()
}

func newNotifySender(to desktopNotifier, check func() error) *notifySender {
	return &notifySender{to: to, check: check, queue: make(chan notify.Message, 1), quit: make(chan struct{})}
}

// post queues m without waiting: a message still waiting is replaced.
func (s *notifySender) post(m notify.Message) {
	s.once.Do(func() { go s.run() })
	for {
		select {
		case s.queue <- m:
			return
		default:
		}
		select {
		case <-s.queue:
		default:
		}
	}
}

func (s *notifySender) run() {
	for {
		select {
		case <-s.quit:
			s.to.close()
			return
		case m := <-s.queue:
			if s.available() {
				s.failed(s.to.show(m))
			}
			s.mu.Lock()
			sent, after := s.sent, s.after
			s.after = nil
			s.mu.Unlock()
			if sent != nil {
				sent(m)
			}
			for _, f := range after {
				f()
			}
		}
	}
}

// available asks once whether a daemon answers, and logs once when none
// does.
func (s *notifySender) available() bool {
	s.mu.Lock()
	checked := s.checked
	s.mu.Unlock()
	if !checked {
		err := s.check()
		s.mu.Lock()
		s.checked, s.unavailable = true, err
		s.mu.Unlock()
		if err != nil {
			fyne.LogError("notifications unavailable", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unavailable == nil
}

// failed records a notification the desktop refused: the next ones would
// fail alike, so they wait for the test button to ask again.
func (s *notifySender) failed(err error) {
	if err == nil {
		return
	}
	fyne.LogError("notifications unavailable", err)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unavailable = err
}

// status is "" while notifications work (or were never tried), else
// "notifications unavailable: why".
func (s *notifySender) status() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unavailable == nil {
		return ""
	}
	return "notifications unavailable: " + s.unavailable.Error()
}

// recheck makes the next message ask the bus again (the test button: the
// user may have started a daemon since).
func (s *notifySender) recheck() {
	s.mu.Lock()
	s.checked = false
	s.mu.Unlock()
}

func (s *notifySender) stop() {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
}

// sendTestNotification asks the bus again and sends a sample, for Settings.
func (w *Window) sendTestNotification() {
	w.notes.sender.recheck()
	w.notes.sender.post(notify.Message{
		Title:   "Hookscope: test notification",
		Content: "Notifications work. Captures are announced like this, per project, at most one message every few seconds.",
	})
}

// initDesktop sets up what the desktop side needs: notifications, the
// unread count and the tray (installed by Start once a host answers). It
// runs before the panels are built: they report to all three.
func (w *Window) initDesktop() {
	w.unread = newUnreadState(w)
	w.bus = sessionBus{}
	w.notes = newNotifications(w)
	w.tray = &trayIcon{w: w, rebuilds: throttle{every: trayEvery}}
	w.tray.desktop, _ = w.app.(trayHost)
	a := w.app.Lifecycle()
	a.SetOnEnteredForeground(func() { w.unread.setFocused(true) })
	a.SetOnExitedForeground(func() { w.unread.setFocused(false) })
}

// whenSent calls f once after the next message was handed to the desktop
// (or dropped for want of a daemon).
func (s *notifySender) whenSent(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.after = append(s.after, f)
}
