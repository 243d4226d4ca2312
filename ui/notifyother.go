//go:build !(linux || freebsd || openbsd || netbsd)

package ui

import "fyne.io/fyne/v2"

// platformNotifier is Fyne's SendNotification where the desktop has no
// D-Bus notification service: the system's own notifications.
func platformNotifier(a fyne.App) desktopNotifier { return appNotifier{a} }
