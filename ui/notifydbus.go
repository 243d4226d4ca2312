//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/godbus/dbus/v5"

	"hookscope/assets"
	"hookscope/notify"
)

// platformNotifier calls the desktop's notification service on the session
// bus itself. Fyne 2.7.1's SendNotification asks for notifications that
// never expire (expire_timeout 0), never replaces the previous one and names
// the app by its ID, so a long session piles dozens of them on screen.
func platformNotifier(fyne.App) desktopNotifier {
	return &dbusNotifier{dial: dialSessionBus, iconDir: iconCacheDir()}
}

// The call, as the notification spec has it
// (https://specifications.freedesktop.org/notification-spec/latest/protocol.html#command-notify).
const (
	notificationsPath = "/org/freedesktop/Notifications"
	notifyAppName     = "Hookscope"
	// expireDefault lets the server choose how long a notification shows.
	expireDefault = int32(-1)
	// Urgency levels (the "urgency" hint, a byte): critical notifications
	// are not expired by the server, so only problems use it.
	urgencyNormal   = byte(1)
	urgencyCritical = byte(2)
)

// dbusNotifier sends org.freedesktop.Notifications.Notify. A message
// replaces the previous one (replaces_id is the id the last call returned),
// so that one Hookscope notification is on screen, except that a harmless
// message never replaces a problem: the problem is shown beside it until
// dismissed. Only the sender's goroutine calls it.
type dbusNotifier struct {
	dial    func(context.Context) (*dbus.Conn, error)
	iconDir string // where the app icon is written for app_icon; "" for none

	conn   *dbus.Conn // kept between messages; nil after an error
	markup bool       // the server reads markup in the body: escape it
	last   uint32     // the id of the last notification shown
	urgent bool       // the last notification told of a problem
	icon   string     // app_icon, once written
}

func dialSessionBus(ctx context.Context) (*dbus.Conn, error) {
	if !sessionBusAddressed() {
		return nil, errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
	}
	c, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if err := c.Auth(nil); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.Hello(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (d *dbusNotifier) show(m notify.Message) error {
	// The server may be activated by this very call (dunst is, on many
	// desktops): give it more than the bus questions' 2 s.
	ctx, cancel := context.WithTimeout(context.Background(), 4*busTimeout)
	defer cancel()
	if err := d.connect(ctx); err != nil {
		return fmt.Errorf("notification over the session bus: %w", err)
	}
	body := m.Content
	if d.markup {
		// Paths and errors are text: a query's & must not start an entity
		// (the spec's markup is a small XML subset).
		body = escapeMarkup(body)
	}
	urgency := urgencyNormal
	if m.Urgent {
		urgency = urgencyCritical
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	var id uint32
	err := d.conn.Object(notificationsName, notificationsPath).CallWithContext(ctx, notificationsName+".Notify", 0,
		notifyAppName, d.replaces(m), d.appIcon(), summary(m.Title), body, []string{}, hints, expireDefault).Store(&id)
	if err != nil {
		d.close()
		return fmt.Errorf("notification over the session bus: %w", err)
	}
	d.last, d.urgent = id, m.Urgent
	return nil
}

// replaces is the replaces_id for m: the last notification, unless that one
// told of a problem and m does not (0 asks for a new notification), so a
// problem is not silently swapped for news that all is well.
func (d *dbusNotifier) replaces(m notify.Message) uint32 {
	if d.urgent && !m.Urgent {
		return 0
	}
	return d.last
}

// summary is title without its "Hookscope: ": the server shows app_name
// beside it already.
func summary(title string) string {
	return strings.TrimPrefix(title, notifyAppName+": ")
}

// connect opens the connection once, and asks whether the server reads
// markup in the body (a "body-markup" capability). The connection lives
// until close, past ctx: godbus closes a connection when the context it was
// dialled with ends, so that context is cancelled only if ctx ends first.
func (d *dbusNotifier) connect(ctx context.Context) error {
	if d.conn != nil {
		return nil
	}
	life, end := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, end)
	c, err := d.dial(life)
	if err == nil && !stop() {
		err = ctx.Err()
	}
	if err != nil {
		end()
		return err
	}
	var caps []string
	if err := c.Object(notificationsName, notificationsPath).CallWithContext(ctx, notificationsName+".GetCapabilities", 0).Store(&caps); err != nil {
		c.Close()
		return err
	}
	d.conn, d.markup = c, slices.Contains(caps, "body-markup")
	return nil
}

func (d *dbusNotifier) close() {
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
}

// appIcon is the app icon as a file:// URI, the form app_icon takes besides
// a theme's icon name; it is written to the cache once. "" (no icon) when
// it cannot be written.
func (d *dbusNotifier) appIcon() string {
	if d.icon != "" || d.iconDir == "" {
		return d.icon
	}
	path := filepath.Join(d.iconDir, "hookscope.png")
	if err := os.MkdirAll(d.iconDir, 0o755); err != nil {
		return ""
	}
	if err := os.WriteFile(path, assets.Icon, 0o644); err != nil {
		return ""
	}
	d.icon = (&url.URL{Scheme: "file", Path: path}).String()
	return d.icon
}

// escapeMarkup escapes the characters the body markup reserves.
func escapeMarkup(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// iconCacheDir is Hookscope's folder in the user's cache ("" without one).
func iconCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "hookscope")
}
