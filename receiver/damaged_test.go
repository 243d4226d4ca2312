package receiver

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// scribbleCapturePage writes 512 bytes of junk over the start of every
// bbolt leaf page (flags 0x02 at byte 8 of its header) of path that holds
// capture summaries, found by the marker in their paths: those in use among
// them, and older copies on the freelist.
func scribbleCapturePage(t *testing.T, path, marker string) {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	var pages []int
	for off := 2 * pageSize; off+pageSize <= len(file); off += pageSize {
		p := file[off : off+pageSize]
		if binary.LittleEndian.Uint16(p[8:10]) == 0x02 && bytes.Count(p, []byte(marker)) > 3 {
			pages = append(pages, off)
		}
	}
	if len(pages) == 0 {
		t.Fatal("no page of captures found")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, off := range pages {
		if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5, 0x3c, 0xff, 0x01}, 128), int64(off)); err != nil {
			t.Fatal(err)
		}
	}
}

// A store file damaged under a running receiver: the API answers a JSON
// 500 instead of a handler panic (an empty reply), and new captures are
// answered 500 rather than acknowledged into the broken file.
func TestADamagedStoreIsAnswered500NotAPanic(t *testing.T) {
	srv, st := start(t, Options{})
	base := "http://" + srv.Addr()
	for i := range 300 {
		resp := send(t, "POST", fmt.Sprintf("%s/damage-marker/%04d", base, i), bytes.Repeat([]byte("x"), 300), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("capture %d: %d", i, resp.StatusCode)
		}
	}
	scribbleCapturePage(t, st.Path(), "/damage-marker/")

	resp := send(t, "GET", base+"/_hookscope/api/captures?limit=1000", nil, nil)
	var e struct{ Error string }
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 500 || !strings.Contains(e.Error, "damaged") {
		t.Fatalf("list over a damaged page: %d %q (%v), want a JSON 500 saying damaged", resp.StatusCode, e.Error, err)
	}
	resp = send(t, "POST", base+"/after-damage", []byte("not acknowledged"), nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || !strings.Contains(string(body), "capture not stored") || !strings.Contains(string(body), "--recover") {
		t.Fatalf("capture into a damaged store: %d %s", resp.StatusCode, body)
	}
}
