package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
)

// desktopBus answers what the desktop offers: a notification service and a
// tray host. Widget tests stand in both answers.
type desktopBus interface {
	// notifications is nil when a notification service answers, else why
	// none does.
	notifications() error
	// trayHost reports whether a tray host shows status icons.
	trayHost() bool
}

// Well-known D-Bus names. A notification daemon owns (or is activated for)
// org.freedesktop.Notifications
// (https://specifications.freedesktop.org/notification-spec/latest/protocol.html);
// a tray host runs org.kde.StatusNotifierWatcher
// (https://www.freedesktop.org/wiki/Specifications/StatusNotifierItem/StatusNotifierWatcher/),
// which is what Fyne's tray icon registers with on Linux.
const (
	notificationsName = "org.freedesktop.Notifications"
	trayWatcherName   = "org.kde.StatusNotifierWatcher"
)

// busTimeout bounds every question to the session bus: a bus that does not
// answer must not hold up the window.
const busTimeout = 2 * time.Second

// sessionBus asks the real session bus. Off Linux and the BSDs there is no
// D-Bus desktop: notifications and the tray are the system's own.
type sessionBus struct{}

func usesDBus() bool {
	return runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd"
}

func (sessionBus) notifications() error {
	if !usesDBus() {
		return nil
	}
	ok, err := askBus(func(ctx context.Context, c *dbus.Conn) (bool, error) {
		if owned, err := nameHasOwner(ctx, c, notificationsName); err != nil || owned {
			return owned, err
		}
		// A daemon such as dunst is often started by the bus on the
		// first notification.
		var names []string
		err := c.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&names)
		return slices.Contains(names, notificationsName), err
	})
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("no notification daemon on the session bus (" + notificationsName + " has no owner)")
	}
	return nil
}

func (sessionBus) trayHost() bool {
	if !usesDBus() {
		return true
	}
	ok, err := askBus(func(ctx context.Context, c *dbus.Conn) (bool, error) {
		return nameHasOwner(ctx, c, trayWatcherName)
	})
	return err == nil && ok
}

func nameHasOwner(ctx context.Context, c *dbus.Conn, name string) (bool, error) {
	var owned bool
	err := c.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned)
	return owned, err
}

// askBus connects to the session bus, without launching one, and asks q,
// within busTimeout whatever the bus does.
func askBus(q func(context.Context, *dbus.Conn) (bool, error)) (bool, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err != nil {
			return false, errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), busTimeout)
	defer cancel()
	type answer struct {
		ok  bool
		err error
	}
	done := make(chan answer, 1)
	go func() {
		c, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer c.Close()
		if err := c.Auth(nil); err != nil {
			done <- answer{err: err}
			return
		}
		if err := c.Hello(); err != nil {
			done <- answer{err: err}
			return
		}
		ok, err := q(ctx, c)
		done <- answer{ok, err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			return false, fmt.Errorf("session bus: %w", a.err)
		}
		return a.ok, nil
	case <-ctx.Done():
		return false, fmt.Errorf("session bus did not answer within %v", busTimeout)
	}
}
