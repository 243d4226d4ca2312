package ui

import (
	"runtime"
	"testing"
	"weak"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.7.1 forgets the canvas of objects not repainted for a minute; a
// dropdown Fyne knows no canvas for must still open, on its window's, and
// choosing an option must select it. (A widget.Select panics here.)
func TestDropdownOpensWhenFyneForgotItsCanvas(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel("window"))
	w.Resize(fyne.NewSize(400, 300))
	var chosen string
	d := newDropdown(w.Canvas, []string{"Any method", "POST", "PUT"}, func(s string) { chosen = s })
	d.Resize(fyne.NewSize(150, 36))
	d.canvasOf = func(fyne.CanvasObject) fyne.Canvas { return nil } // as after the cache dropped it

	d.Tapped(&fyne.PointEvent{Position: fyne.NewPos(5, 5), AbsolutePosition: fyne.NewPos(105, 25)})
	pop := d.menu
	if pop == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatal("no menu on the window's canvas")
	}
	if got := pop.Position(); got != fyne.NewPos(100, 20+36) {
		t.Fatalf("menu at %v, want under the dropdown at (100, 56)", got)
	}
	// The options are the menu's items, in order; tap the second.
	itemHeight := pop.MinSize().Height / 3
	test.TapCanvas(w.Canvas(), fyne.NewPos(110, 56+itemHeight*1.5))
	if chosen != "POST" || d.Selected != "POST" {
		t.Fatalf("chose %q, selected %q; want POST", chosen, d.Selected)
	}
}

// The keeper looks every live suggestion entry up once per keepEvery ticks
// (which renews Fyne's cache entry) and lets collected ones go.
func TestCanvasKeeperRenewsLiveEntries(t *testing.T) {
	looked := map[fyne.CanvasObject]int{}
	k := canvasKeeper{canvasOf: func(o fyne.CanvasObject) fyne.Canvas { looked[o]++; return nil }}
	kept := newEscSelectEntry([]string{"a"}, nil)
	k.entries = append(k.entries, weak.Make(kept), weak.Make(newEscSelectEntry(nil, nil)))
	runtime.GC() // the second entry has no other reference
	for range keepEvery - 1 {
		k.tick()
	}
	if len(looked) != 0 {
		t.Fatal("looked up before keepEvery ticks")
	}
	k.tick()
	if looked[kept] != 1 {
		t.Fatalf("the live entry was looked up %d times", looked[kept])
	}
	if len(k.entries) != 1 {
		t.Fatalf("%d entries kept, want only the live one", len(k.entries))
	}
	runtime.KeepAlive(kept)
}
