package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// desktopBus answers what the desktop offers: a notification service and a
// tray host. Widget tests stand in both answers.
type desktopBus interface {
	// notifications is nil when a notification service answers, else why
	// none does.
	notifications() error
	// traySession reports, without asking anything, whether a tray icon
	// could show at all (a session bus is there): Fyne starts its tray only
	// if the menu is set before the window runs.
	traySession() bool
	// trayHost reports whether a tray host shows this process's icon; it
	// may wait a few seconds for the icon to register.
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
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return true
	}
	return false
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

func (sessionBus) traySession() bool {
	return !usesDBus() || sessionBusAddressed()
}

// trayRegisterWait is how long the tray icon may take to register with the
// host after the window starts running.
const trayRegisterWait = 5 * time.Second

// trayHost waits until the host lists this process's item: a watcher that
// is there but never shows the icon must not make closing hide the window
// for good.
func (sessionBus) trayHost() bool {
	if !usesDBus() {
		return true
	}
	deadline := time.Now().Add(trayRegisterWait)
	for {
		registered, err := askBus(itemRegistered)
		if err != nil {
			return false
		}
		if registered || time.Now().After(deadline) {
			return registered
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// itemRegistered asks whether the watcher is there and lists the item Fyne's
// tray (fyne.io/systray) exports: it owns
// org.kde.StatusNotifierItem-PID-1 and registers under that connection.
func itemRegistered(ctx context.Context, c *dbus.Conn) (bool, error) {
	if owned, err := nameHasOwner(ctx, c, trayWatcherName); err != nil || !owned {
		return false, err
	}
	var owner string
	item := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	if err := c.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, item).Store(&owner); err != nil {
		return false, nil // not exported (yet)
	}
	v, err := c.Object(trayWatcherName, "/StatusNotifierWatcher").GetProperty(trayWatcherName + ".RegisteredStatusNotifierItems")
	if err != nil {
		return false, err
	}
	items, _ := v.Value().([]string)
	for _, it := range items {
		if strings.HasPrefix(it, owner) || strings.HasPrefix(it, item) {
			return true, nil
		}
	}
	return false, nil
}

func nameHasOwner(ctx context.Context, c *dbus.Conn, name string) (bool, error) {
	var owned bool
	err := c.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned)
	return owned, err
}

// askBus connects to the session bus, without launching one, and asks q,
// within busTimeout whatever the bus does.
func askBus(q func(context.Context, *dbus.Conn) (bool, error)) (bool, error) {
	if !sessionBusAddressed() {
		return false, errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
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

// sessionBusAddressed reports whether a session bus can be found: its
// address is set, or it sits at the systemd user bus's usual place.
func sessionBusAddressed() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	_, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid()))
	return err == nil
}
