//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"hookscope/notify"
	"hookscope/store"
)

// privateBus starts a D-Bus daemon of its own for the test and returns its
// address; the test is skipped, saying why, when dbus-daemon is missing.
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus, in scripts/deps.sh test): the D-Bus notifier is not tested")
	}
	conf := filepath.Join(t.TempDir(), "bus.conf")
	// A session bus that starts no service: only the test's own server
	// answers.
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// notifyCall is one Notify call as the server received it.
type notifyCall struct {
	app, icon, summary, body string
	replaces                 uint32
	urgency                  byte
	expire                   int32
}

// fakeNotificationServer owns org.freedesktop.Notifications on the bus,
// records each Notify and answers a new id every time (as a server does
// when the notification to replace was closed), so that the test sees
// which id the client chains.
type fakeNotificationServer struct {
	mu    sync.Mutex
	calls []notifyCall
	next  uint32
	caps  []string
}

func (s *fakeNotificationServer) Notify(app string, replaces uint32, icon, summary, body string,
	_ []string, hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := notifyCall{app: app, replaces: replaces, icon: icon, summary: summary, body: body, expire: expire}
	if u, ok := hints["urgency"]; ok {
		c.urgency, _ = u.Value().(byte)
	}
	s.calls = append(s.calls, c)
	s.next++
	return 100 + s.next, nil
}

func (s *fakeNotificationServer) GetCapabilities() ([]string, *dbus.Error) { return s.caps, nil }

func (s *fakeNotificationServer) received() []notifyCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notifyCall(nil), s.calls...)
}

// serveNotifications puts a fake notification server on the bus at addr.
func serveNotifications(t *testing.T, addr string, caps ...string) *fakeNotificationServer {
	t.Helper()
	c, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s := &fakeNotificationServer{caps: caps}
	if err := c.Export(s, notificationsPath, notificationsName); err != nil {
		t.Fatal(err)
	}
	reply, err := c.RequestName(notificationsName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v (reply %d)", notificationsName, err, reply)
	}
	return s
}

func busNotifier(t *testing.T, addr string) *dbusNotifier {
	d := &dbusNotifier{
		dial:    func(ctx context.Context) (*dbus.Conn, error) { return dbus.Connect(addr, dbus.WithContext(ctx)) },
		iconDir: t.TempDir(),
	}
	t.Cleanup(d.close)
	return d
}

// showOverABus shows msgs one after the other through a notifier on a
// private bus whose notification server has caps, and returns the Notify
// calls it received, one a message.
func showOverABus(t *testing.T, msgs []notify.Message, caps ...string) []notifyCall {
	t.Helper()
	addr := privateBus(t)
	srv := serveNotifications(t, addr, caps...)
	d := busNotifier(t, addr)
	for _, m := range msgs {
		if err := d.show(m); err != nil {
			t.Fatal(err)
		}
	}
	calls := srv.received()
	if len(calls) != len(msgs) {
		t.Fatalf("%d Notify calls, want %d", len(calls), len(msgs))
	}
	return calls
}

// Over a real bus: the app is named Hookscope (the summary does not repeat
// it), each notification replaces the last one shown, the server chooses when they expire, problems are
// critical, the icon is a file that exists, and a body is escaped for a
// server that reads markup.
func TestDBusNotifierReplacesAndExpires(t *testing.T) {
	msgs := []notify.Message{
		{Title: "Hookscope: 1 new capture in Isahit", Content: "Isahit: POST /isahit/results?a=1&b=<2>"},
		{Title: "Hookscope: 2 new captures in Isahit (1 with an invalid signature)", Content: "…", Urgent: true},
		{Title: "Hookscope: 1 new capture in Kili", Content: "…"},
	}
	calls := showOverABus(t, msgs, "body", "body-markup")
	for i, c := range calls {
		if c.app != "Hookscope" {
			t.Errorf("call %d: app_name %q", i, c.app)
		}
		if c.expire != -1 {
			t.Errorf("call %d: expire_timeout %d, want -1 (the server's default)", i, c.expire)
		}
		if want := strings.TrimPrefix(msgs[i].Title, "Hookscope: "); c.summary != want {
			t.Errorf("call %d: summary %q", i, c.summary)
		}
		want := urgencyNormal
		if msgs[i].Urgent {
			want = urgencyCritical
		}
		if c.urgency != want {
			t.Errorf("call %d: urgency %d, want %d", i, c.urgency, want)
		}
	}
	if calls[0].replaces != 0 || calls[1].replaces != 101 {
		t.Errorf("replaces_id %d, %d: want 0, then the id the previous call returned (101)",
			calls[0].replaces, calls[1].replaces)
	}
	if got := calls[0].body; got != "Isahit: POST /isahit/results?a=1&amp;b=&lt;2&gt;" {
		t.Errorf("body %q, not escaped for a server reading markup", got)
	}
	u, err := url.Parse(calls[0].icon)
	if err != nil || u.Scheme != "file" {
		t.Fatalf("app_icon %q is not a file URI", calls[0].icon)
	}
	if _, err := os.Stat(u.Path); err != nil {
		t.Errorf("app_icon names no file: %v", err)
	}
}

// A problem stays on screen: the harmless message after it is a new
// notification, not its replacement; a problem replaces a problem, and news
// after the harmless message replaces that one.
func TestDBusNotifierKeepsAProblemOnScreen(t *testing.T) {
	msgs := []notify.Message{
		{Title: "Hookscope: 1 new capture in Isahit (1 with an invalid signature)", Urgent: true},
		{Title: "Hookscope: 1 failed delivery in Isahit", Urgent: true},
		{Title: "Hookscope: 1 new capture in Kili"},
		{Title: "Hookscope: 2 new captures in Kili"},
	}
	calls := showOverABus(t, msgs, "body")
	got := []uint32{calls[0].replaces, calls[1].replaces, calls[2].replaces, calls[3].replaces}
	if want := []uint32{0, 101, 0, 103}; !slices.Equal(got, want) {
		t.Fatalf("replaces_id %v, want %v: the harmless message must not replace the problem (102)", got, want)
	}
}

// A server without markup gets the text as it is.
func TestDBusNotifierPlainBody(t *testing.T) {
	addr := privateBus(t)
	srv := serveNotifications(t, addr, "body")
	d := busNotifier(t, addr)
	if err := d.show(notify.Message{Title: "t", Content: "GET /x?a=1&b=2"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.received()[0].body; got != "GET /x?a=1&b=2" {
		t.Errorf("body %q", got)
	}
}

// No server on the bus: an error that says so, and the next message does
// not wait on a broken connection.
func TestDBusNotifierWithoutAServer(t *testing.T) {
	addr := privateBus(t)
	d := busNotifier(t, addr)
	err := d.show(notify.Message{Title: "t"})
	if err == nil || !strings.Contains(err.Error(), "notification over the session bus") {
		t.Fatalf("error %v", err)
	}
	srv := serveNotifications(t, addr)
	if err := d.show(notify.Message{Title: "t"}); err != nil {
		t.Fatalf("once a server is there: %v", err)
	}
	if n := len(srv.received()); n != 1 {
		t.Fatalf("%d calls", n)
	}
}

// The window on a session bus with a notification server: three captures,
// one badly signed, make one Notify call, critical, that names the bad one.
func TestWindowNotifiesOverTheSessionBus(t *testing.T) {
	addr := privateBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	srv := serveNotifications(t, addr, "body")
	log := &sentLog{}
	h := newHarnessWith(t, func(w *Window) {
		w.notes.sender.to = busNotifier(t, addr)
		w.notes.sender.sent = log.add
	})
	h.w.unread.setFocused(false)
	if err := h.st.PutProject(store.Project{Slug: "isahit", Name: "Isahit", Secret: "test_key", Scheme: "hub-sha256-base64"}); err != nil {
		t.Fatal(err)
	}
	h.q.until(t, "the project in the sidebar", func() bool { return h.w.side.list.Length() == 3 })
	body := `{"docs":[{"id":"1"}]}`
	mac := hmac.New(sha256.New, []byte("test_key"))
	mac.Write([]byte(body))
	good := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	h.postSigned("/isahit/ingested", body, good)
	h.postSigned("/isahit/annotation", body, "bm90IHRoZSBzaWduYXR1cmU=")
	h.postSigned("/isahit/review", body, good)
	h.q.until(t, "the notification", func() bool { return log.count() == 1 })
	calls := srv.received()
	if len(calls) != 1 {
		t.Fatalf("%d Notify calls for three captures, want 1", len(calls))
	}
	c := calls[0]
	if c.summary != "3 new captures in Isahit (1 with an invalid signature)" ||
		!strings.HasPrefix(c.body, "Isahit: POST /isahit/annotation: signature invalid\n") || c.urgency != urgencyCritical {
		t.Fatalf("Notify %+v", c)
	}
	if s := h.w.notes.sender.status(); s != "" {
		t.Fatalf("Settings would say %q", s)
	}
}
