package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
)

// BaseAppID is the application ID; it must match FyneApp.toml.
const BaseAppID = "io.hookscope.app"

// AppID is the Fyne application ID for an instance on the database at
// dbPath: BaseAppID for the default database, and BaseAppID with a short
// hash of the database's absolute path for any other.
//
// Fyne keeps an app's preferences in one file per application ID
// (<config dir>/fyne/<ID>/preferences.json) and watches it: every change
// rewrites the whole file, truncating it first (os.Create), and an instance
// that sees the file change reloads it. Two instances with one ID therefore
// overwrite each other's settings (the listen address, the body limit, the
// re-sign toggles), and one reading the file just after the other truncated
// it logs "Preferences load error: EOF". Keying the ID by the database keeps
// each database's window settings with it: instances on different --db
// files never share a file, and two instances cannot open one database (its
// file lock refuses the second). The default database keeps the plain ID,
// so the settings saved before this stay where they were.
func AppID(dbPath, defaultDBPath string) string {
	if samePath(dbPath, defaultDBPath) {
		return BaseAppID
	}
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		abs = filepath.Clean(dbPath)
	}
	sum := sha256.Sum256([]byte(abs))
	return BaseAppID + ".db" + hex.EncodeToString(sum[:6])
}

func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return absA == absB
}
