package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"hookscope/receiver"
	"hookscope/store"
)

// surplusWindow opens a window, with retention 20 saved, over a file that
// holds 30 captures, as main opens it (store.Options.KeepSurplus).
func surplusWindow(t *testing.T) (*Window, *store.Store, uiQueue) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.db")
	st, err := store.Open(path, store.Options{MaxCount: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if err := st.Put(&store.Capture{Method: "POST", Path: fmt.Sprintf("/hook/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme())
	a.Preferences().SetInt(prefRetentionCount, 20)
	opts := StoreOptions(a)
	opts.KeepSurplus = true
	if st, err = store.Open(path, opts); err != nil {
		t.Fatal(err)
	}
	srv := receiver.New(st, receiver.Options{})
	q := make(uiQueue, 1024)
	w := newWindow(a, st, srv, Config{Addr: "127.0.0.1:0", AddrSet: true}, q.do)
	t.Cleanup(func() {
		w.bridge.stop()
		w.notes.stop()
		srv.Stop(context.Background())
		st.Close()
	})
	w.Start()
	q.until(t, "the question about the surplus", func() bool {
		o := w.win.Canvas().Overlays().Top()
		return o != nil && strings.Contains(gridText(o), "This file holds 30 captures; retention keeps 20. Delete the 10 oldest?")
	})
	return w, st, q
}

func storedCount(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := st.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSurplusIsDeletedOnlyWhenTheUserSaysSo: Delete prunes to retention.
func TestSurplusIsDeletedOnlyWhenTheUserSaysSo(t *testing.T) {
	w, st, q := surplusWindow(t)
	if n := storedCount(t, st); n != 30 {
		t.Fatalf("%d captures while the question is open, want 30", n)
	}
	test.Tap(findButton(t, w.win.Canvas().Overlays().Top(), "Delete"))
	q.until(t, "retention to delete the 10 oldest", func() bool { return storedCount(t, st) == 20 })
}

// TestSurplusKeptWhenTheUserSaysKeep: Keep leaves all 30, also after
// retention runs.
func TestSurplusKeptWhenTheUserSaysKeep(t *testing.T) {
	w, st, _ := surplusWindow(t)
	test.Tap(findButton(t, w.win.Canvas().Overlays().Top(), "Keep"))
	if _, err := st.Prune(); err != nil {
		t.Fatal(err)
	}
	if n := storedCount(t, st); n != 30 {
		t.Fatalf("%d captures after Keep, want 30", n)
	}
}
