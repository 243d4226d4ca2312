package ui

import (
	"path/filepath"
	"regexp"
	"testing"
)

// Two instances on different databases get different application IDs, so
// Fyne gives them different preference files and neither reads the other's
// half-written one; the default database keeps the ID it always had, and
// one database named two ways is one instance's.
func TestAppIDKeepsEachDatabasesPreferencesApart(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "hookscope.db")
	other := filepath.Join(dir, "other.db")
	if got := AppID(def, def); got != BaseAppID {
		t.Errorf("the default database's ID is %q, want %q: its saved settings would be lost", got, BaseAppID)
	}
	a, b := AppID(other, def), AppID(filepath.Join(dir, "third.db"), def)
	if a == BaseAppID || b == BaseAppID || a == b {
		t.Fatalf("IDs %q and %q for two other databases: instances on them would share a preferences file", a, b)
	}
	if !regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)+$`).MatchString(a) {
		t.Errorf("ID %q is not a reverse-DNS application ID", a)
	}
	t.Chdir(dir)
	if got := AppID("other.db", def); got != a {
		t.Errorf("other.db from its directory is %q, by its full path %q: one database, two preference files", got, a)
	}
	if got := AppID("./hookscope.db", def); got != BaseAppID {
		t.Errorf("the default database by a relative path gets %q", got)
	}
}
