package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"hookscope/notify"
	"hookscope/store"
)

// fakeBus stands in for the session bus: a daemon or not, a tray host or
// not; it counts the questions.
type fakeBus struct {
	noDaemon     error
	session      bool // a session bus is there
	tray         bool // a host shows the icon
	notifyAsked  atomic.Int32
	trayAnswered chan struct{}
}

func newFakeBus(noDaemon error, tray bool) *fakeBus {
	return &fakeBus{noDaemon: noDaemon, session: tray, tray: tray, trayAnswered: make(chan struct{})}
}

func (b *fakeBus) notifications() error {
	b.notifyAsked.Add(1)
	return b.noDaemon
}

func (b *fakeBus) traySession() bool { return b.session }

func (b *fakeBus) trayHost() bool {
	defer close(b.trayAnswered)
	return b.tray
}

// sentLog records what the sender handed on (or dropped for want of a
// daemon), so a test waits for it instead of sleeping.
type sentLog struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (l *sentLog) add(n notify.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, n)
}

func (l *sentLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.sent)
}

func notifyHarness(t *testing.T, bus *fakeBus) (*harness, *sentLog) {
	log := &sentLog{}
	h := newHarnessWith(t, func(w *Window) {
		w.bus = bus
		w.notes.sender.sent = log.add
		// Unsorted announces only problems by default; these tests post
		// plain captures there.
		w.app.Preferences().SetString(prefNotifyUnsorted, "all")
	})
	// The window in the background, where notifications are for.
	h.w.unread.setFocused(false)
	return h, log
}

// selectProject chooses slug's row in the sidebar.
func (h *harness) selectProject(slug string) {
	h.t.Helper()
	for row := range h.w.side.list.Length() {
		if _, p, _ := h.w.side.entry(row); p == slug {
			h.w.side.list.Select(row)
			return
		}
	}
	h.t.Fatalf("no %q in the sidebar", slug)
}

// What the user watches arrive is not notified: the window focused on a
// project, or on All. Other projects are, and so is everything once the
// window is in the background.
func TestNoNotificationForWhatTheUserWatches(t *testing.T) {
	h, log := notifyHarness(t, newFakeBus(nil, false))
	for _, p := range []store.Project{{Slug: "isahit", Name: "Isahit"}, {Slug: "kili", Name: "Kili"}} {
		if err := h.st.PutProject(p); err != nil {
			t.Fatal(err)
		}
	}
	h.q.until(t, "the projects in the sidebar", func() bool { return h.w.side.list.Length() == 4 })
	h.selectProject("isahit")
	h.w.unread.setFocused(true)
	// Isahit is watched: only Kili's capture is announced.
	oneNotification(t, h, log, &fyne.Notification{
		Title:   "Hookscope: 1 new capture in Kili",
		Content: "Kili: POST /kili/a\nOpen Kili in Hookscope's sidebar to see it.",
	}, "/isahit/a", "/kili/a")

	h.w.unread.setFocused(false)
	test.AssertNotificationSent(t, &fyne.Notification{
		Title:   "Hookscope: 1 new capture in Isahit",
		Content: "Isahit: POST /isahit/b\nOpen Isahit in Hookscope's sidebar to see it.",
	}, func() {
		h.post("/isahit/b", "text/plain", "in the background")
		// Messages are at least 5 s apart: this one is due that much later.
		h.q.untilFor(t, "the notification", 20*time.Second, func() bool { return log.count() == 2 })
	})

	// Focused on All, every project is on show: nothing is even pending.
	h.selectProject("")
	h.w.unread.setFocused(true)
	h.post("/kili/b", "text/plain", "watched under All")
	h.q.until(t, "the capture listed", func() bool { return h.rows() == 4 })
	if due := h.w.notes.co.Due(); !due.IsZero() {
		t.Fatalf("a notification is due at %v for a capture seen arriving", due)
	}
}

func (h *harness) postSigned(path, body, sig string) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
}

// Three captures of a project with a scheme, one badly signed: one
// notification, naming the bad one and where to look.
func TestThreeCapturesOneCoalescedNotification(t *testing.T) {
	h, log := notifyHarness(t, newFakeBus(nil, false))
	if err := h.st.PutProject(store.Project{Slug: "isahit", Name: "Isahit", Secret: "test_key", Scheme: "hub-sha256-base64"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	body := `{"docs":[{"id":"1","key":"k"}]}`
	mac := hmac.New(sha256.New, []byte("test_key"))
	mac.Write([]byte(body))
	good := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	want := &fyne.Notification{
		Title: "Hookscope: 3 new captures in Isahit (1 with an invalid signature)",
		Content: "Isahit: POST /isahit/annotation: signature invalid\n" +
			"Isahit: POST /isahit/ingested\nIsahit: POST /isahit/review\n" +
			"Open Isahit in Hookscope's sidebar to see them.",
	}
	test.AssertNotificationSent(t, want, func() {
		h.postSigned("/isahit/ingested", body, good)
		h.postSigned("/isahit/annotation", body, "bm90IHRoZSBzaWduYXR1cmU=")
		h.postSigned("/isahit/review", body, good)
		h.q.until(t, "the notification", func() bool { return log.count() == 1 })
	})
}

// oneNotification posts a capture to each path and checks that they raise
// one notification, want.
func oneNotification(t *testing.T, h *harness, log *sentLog, want *fyne.Notification, paths ...string) {
	t.Helper()
	test.AssertNotificationSent(t, want, func() {
		for _, p := range paths {
			h.post(p, "text/plain", "x")
		}
		h.q.until(t, "the notification", func() bool { return log.count() == 1 })
	})
}

// postTwoMessages posts two captures, each a message of its own, and waits
// until both were handled.
func postTwoMessages(t *testing.T, h *harness, log *sentLog) {
	t.Helper()
	h.post("/a", "text/plain", "1")
	h.q.until(t, "the first message", func() bool { return log.count() == 1 })
	h.post("/b", "text/plain", "2")
	// Messages are at least 5 s apart: the second is due that much later.
	h.q.untilFor(t, "the second message", 20*time.Second, func() bool { return log.count() == 2 })
}

// triedOnceThenByTheTestButton checks that the desktop was tried once for
// two messages (tries counts the tries), that Settings say why
// notifications are unavailable, and that the test button tries again.
func triedOnceThenByTheTestButton(t *testing.T, h *harness, log *sentLog, tries func() int32, why string) {
	t.Helper()
	if n := tries(); n != 1 {
		t.Fatalf("the desktop was tried %d times, want once", n)
	}
	f := h.w.newSettingsForm()
	if got := f.notify.status.Text; got != "notifications unavailable: "+why {
		t.Fatalf("Settings say %q", got)
	}
	test.Tap(f.notify.test)
	h.q.until(t, "the test notification tried", func() bool { return log.count() == 3 })
	if n := tries(); n != 2 {
		t.Fatalf("the test button did not try the desktop again (%d tries)", n)
	}
}

// No daemon: nothing is sent, the bus is asked once however many batches
// come, and Settings says why.
func TestNoDaemonIsAskedOnceAndShownInSettings(t *testing.T) {
	bus := newFakeBus(errors.New("no notification daemon on the session bus"), false)
	h, log := notifyHarness(t, bus)
	test.AssertNotificationSent(t, nil, func() {
		postTwoMessages(t, h, log)
	})
	triedOnceThenByTheTestButton(t, h, log, bus.notifyAsked.Load, "no notification daemon on the session bus")
}

// The test button sends a notification when a daemon answers.
func TestSettingsSendsATestNotification(t *testing.T) {
	h, log := notifyHarness(t, newFakeBus(nil, false))
	f := h.w.newSettingsForm()
	test.AssertNotificationSent(t, &fyne.Notification{
		Title:   "Hookscope: test notification",
		Content: "Notifications work. Captures are announced like this, per project, at most one message every few seconds.",
	}, func() {
		test.Tap(f.notify.test)
		h.q.until(t, "the test notification", func() bool { return log.count() == 1 })
	})
	h.q.until(t, "the status", func() bool { return f.notify.status.Text == "the notification went to the desktop" })
}

// A project set to Off raises nothing; Settings' default and Unsorted's
// choice are saved.
func TestProjectOffAndSettingsChoices(t *testing.T) {
	h, log := notifyHarness(t, newFakeBus(nil, false))
	if err := h.st.PutProject(store.Project{Slug: "quiet", Notify: "off"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	h.w.app.Preferences().SetString(prefNotifyUnsorted, "problems")
	f := h.w.newSettingsForm()
	f.notify.unsorted.SetSelected(choiceAllLabel)
	h.w.saveSettings(f)
	if got := h.w.app.Preferences().String(prefNotifyUnsorted); got != "all" {
		t.Fatalf("Unsorted's choice saved as %q", got)
	}
	oneNotification(t, h, log, &fyne.Notification{
		Title:   "Hookscope: 1 new capture in Unsorted",
		Content: "Unsorted: POST /elsewhere\nOpen Unsorted in Hookscope's sidebar to see it.",
	}, "/quiet/a", "/elsewhere")
}

// blockingNotifier is a desktop whose notification call never returns.
type blockingNotifier struct{ entered, block chan struct{} }

func (b blockingNotifier) show(notify.Message) error {
	b.entered <- struct{}{}
	<-b.block
	return nil
}

func (blockingNotifier) close() {}

// A notifier stuck in its D-Bus call for ever holds up neither capture nor
// the window: every capture is answered, stored and listed.
func TestBlockedNotifierDoesNotHoldUpCapture(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	entered := make(chan struct{}, 1)
	h, _ := notifyHarness(t, newFakeBus(nil, false))
	h.w.notes.sender.to = blockingNotifier{entered: entered, block: block}
	h.post("/first", "text/plain", "1")
	h.q.until(t, "the sender stuck", func() bool { return len(entered) == 1 })
	const n = 400
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range n / 8 {
				resp, err := http.Post(h.srv.URL()+"/more", "text/plain", strings.NewReader(strings.Repeat("x", i+j)))
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		t.Fatalf("%d captures failed while the notifier was stuck", f)
	}
	if c, _ := h.st.Count(); c != n+1 {
		t.Fatalf("%d captures stored, want %d", c, n+1)
	}
	// The window in the background also counts each batch as unread: on a
	// loaded machine under -race that takes more than the usual wait.
	h.q.untilFor(t, "the list", 30*time.Second, func() bool { return h.rows() == n+1 })
}

// refusingNotifier is a desktop whose notification service answers with an
// error; it counts the calls.
type refusingNotifier struct{ calls *atomic.Int32 }

func (r refusingNotifier) show(notify.Message) error {
	r.calls.Add(1)
	return errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
}

func (refusingNotifier) close() {}

// A notification the desktop refuses is shown in Settings, and the next
// messages are not tried until the test button asks again.
func TestRefusedNotificationIsShownAndNotRetried(t *testing.T) {
	h, log := notifyHarness(t, newFakeBus(nil, false))
	var calls atomic.Int32
	h.w.notes.sender.to = refusingNotifier{&calls}
	postTwoMessages(t, h, log)
	triedOnceThenByTheTestButton(t, h, log, calls.Load, "org.freedesktop.DBus.Error.ServiceUnknown")
}
