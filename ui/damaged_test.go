package ui

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// A page of the store file damaged while the window is open: reading the
// list shows the error with what to do, and the window keeps running.
func TestADamagedStoreIsShownNotAPanic(t *testing.T) {
	h := newHarness(t)
	for i := range 300 {
		h.post(fmt.Sprintf("/damage-marker/%04d", i), "text/plain", strings.Repeat("x", 300))
	}
	h.q.until(t, "300 rows", func() bool { return h.rows() == 300 })
	file, err := os.ReadFile(h.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	// Junk over every bbolt leaf page (flags 0x02 at byte 8 of its header)
	// of summaries: those in use, and older copies on the freelist.
	f, err := os.OpenFile(h.st.Path(), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for o := 2 * 4096; o+4096 <= len(file); o += 4096 {
		p := file[o : o+4096]
		if binary.LittleEndian.Uint16(p[8:10]) == 0x02 && bytes.Count(p, []byte("/damage-marker/")) > 3 {
			found = true
			if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5, 0x3c, 0xff, 0x01}, 128), int64(o)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !found {
		t.Fatal("no page of captures found")
	}

	test.Type(h.w.top.search, "marker")
	h.q.until(t, "the damage shown", func() bool {
		m := h.w.list.emptyMsg.Text
		return h.w.list.empty.Visible() && strings.Contains(m, "damaged") && strings.Contains(m, "--recover")
	})
}
