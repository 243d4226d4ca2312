package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damageMarker is in the path of every capture damagedFixture stores, so a
// test can find the file's pages that hold captures.
const damageMarker = "/damage-fixture/"

// damagedFixture writes a real store of n captures with varied bodies, a
// project and a delivery, closes it and returns its path and captures by ID.
func damagedFixture(t *testing.T, n int) (string, map[ID]*Capture) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "good.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustPutProject(t, s, Project{Slug: "shop", Name: "Shop"})
	want := map[ID]*Capture{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		body := make([]byte, 200+r.IntN(1500))
		for j := range body {
			body[j] = byte(r.IntN(256))
		}
		c := sample("POST", fmt.Sprintf("%s%04d", damageMarker, i), "n="+fmt.Sprint(i), "")
		c.Body = body
		mustPut(t, s, c)
		want[c.ID] = c
	}
	// A replay of the first capture, so Recover has a delivery to copy and
	// index.
	a := &Attempt{Project: "shop", Action: "ingested", StatusCode: 200, CaptureID: oldest(want)}
	if err := s.RecordDelivery(a); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// oldest is the smallest ID of m: the capture damagedFixture's delivery
// replayed.
func oldest(m map[ID]*Capture) ID {
	first := ID(0)
	for id := range m {
		if first == 0 || id < first {
			first = id
		}
	}
	return first
}

// copyFile copies src to a new file in the same directory and returns it.
func copyFile(t *testing.T, src, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(filepath.Dir(src), name)
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// truncatedCopy keeps the first half of the file at src.
func truncatedCopy(t *testing.T, src string) string {
	t.Helper()
	dst := copyFile(t, src, "truncated.db")
	st, _ := os.Stat(dst)
	if err := os.Truncate(dst, st.Size()/2); err != nil {
		t.Fatal(err)
	}
	return dst
}

// capturePages lists the offsets of the bbolt leaf pages that hold capture
// summaries (which carry damageMarker) and are in use: not on the freelist,
// where older copies of pages wait for reuse. Layouts are bbolt's
// (internal/common: page.go, meta.go, and the freelist page): a page header
// is id uint64, flags uint16 (0x02 leaf, 0x10 freelist), count uint16,
// overflow uint32; a meta (after the header of pages 0 and 1) is magic,
// version, page size, flags (uint32 each), root bucket (16 bytes), freelist
// page id, page count and txid (uint64 each); a freelist page lists page ids
// as uint64s, its count in the header unless that is 0xFFFF, when the first
// uint64 holds it.
func capturePages(t *testing.T, file []byte) []int64 {
	t.Helper()
	const pageSize = 4096
	meta := func(p int) (freelist, txid uint64) {
		m := file[p*pageSize+16:]
		return binary.LittleEndian.Uint64(m[32:40]), binary.LittleEndian.Uint64(m[48:56])
	}
	fl, tx0 := meta(0)
	if fl1, tx1 := meta(1); tx1 > tx0 {
		fl = fl1
	}
	free := map[int64]bool{}
	fp := file[int(fl)*pageSize:]
	n, ids := int(binary.LittleEndian.Uint16(fp[10:12])), fp[16:]
	if n == 0xFFFF {
		n, ids = int(binary.LittleEndian.Uint64(ids[:8])), ids[8:]
	}
	for i := range n {
		free[int64(binary.LittleEndian.Uint64(ids[i*8:]))*pageSize] = true
	}
	var out []int64
	for off := 2 * pageSize; off+pageSize <= len(file); off += pageSize {
		p := file[off : off+pageSize]
		if binary.LittleEndian.Uint16(p[8:10]) == 0x02 && bytes.Count(p, []byte(damageMarker)) > 3 && !free[int64(off)] {
			out = append(out, int64(off))
		}
	}
	if len(out) < 2 {
		t.Fatalf("found %d leaf pages of summaries in use, want several", len(out))
	}
	return out
}

// scribble writes 512 random bytes over the start of a page of path that
// holds captures, in the middle of the file, and returns the page's offset.
func scribble(t *testing.T, path string) int64 {
	t.Helper()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := capturePages(t, file)
	off := pages[len(pages)/2]
	junk := make([]byte, 512)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range junk {
		junk[i] = byte(r.IntN(256))
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(junk, off); err != nil {
		t.Fatal(err)
	}
	return off
}

func TestOpenRefusesATruncatedFileWithoutPanicking(t *testing.T) {
	src, _ := damagedFixture(t, 400)
	path := truncatedCopy(t, src)
	before, _ := os.ReadFile(path)
	_, err := Open(path, Options{})
	assertDamagedError(t, err, path)
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("Open rewrote the damaged file")
	}
}

func TestOpenRefusesAFileWithRandomBytesInAPageOfCaptures(t *testing.T) {
	src, _ := damagedFixture(t, 400)
	path := copyFile(t, src, "scribbled.db")
	scribble(t, path)
	_, err := Open(path, Options{})
	assertDamagedError(t, err, path)
}

func assertDamagedError(t *testing.T, err error, path string) {
	t.Helper()
	if err == nil {
		t.Fatal("Open accepted a damaged file")
	}
	msg := err.Error()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(msg, path) || !strings.Contains(msg, "--recover") || strings.Contains(msg, "\n") {
		t.Fatalf("error %q: want one line wrapping ErrDamaged, naming %s and --recover", msg, path)
	}
}

// Damage that appears after Open (the file written to behind the store's
// back, or a page that goes bad) is an error from the call that meets it,
// and from then on the store writes nothing more into the file.
func TestAStoreThatMeetsDamageRefusesWrites(t *testing.T) {
	src, want := damagedFixture(t, 400)
	s := mustOpen(t, src)
	scribble(t, src)
	if _, _, err := s.List(Filter{}, 0, 1000); !errors.Is(err, ErrDamaged) {
		t.Fatalf("List over a damaged page: %v, want ErrDamaged", err)
	}
	before, _ := os.ReadFile(src)
	err := s.Put(sample("POST", "/after", "", "not acknowledged"))
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "--recover") {
		t.Fatalf("Put after damage: %v, want ErrDamaged naming --recover", err)
	}
	for id := range want {
		if err := s.Delete(id); !errors.Is(err, ErrDamaged) {
			t.Fatalf("Delete after damage: %v", err)
		}
		break
	}
	if after, _ := os.ReadFile(src); !bytes.Equal(before, after) {
		t.Fatal("the store wrote into the damaged file")
	}
	if s.Damaged() == nil {
		t.Fatal("Damaged() is nil after damage was met")
	}
}

// Recover copies every capture whose pages are intact, byte for byte, out
// of a file with a page of random bytes and out of a cut-short file, and
// leaves the damaged file as it was.
func TestRecoverSavesTheIntactCaptures(t *testing.T) {
	src, want := damagedFixture(t, 400)
	scribbled := copyFile(t, src, "scribbled.db")
	scribble(t, scribbled)
	for name, path := range map[string]string{"random bytes": scribbled, "truncated": truncatedCopy(t, src)} {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			dst := path + ".recovered"
			rep, err := Recover(path, dst)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("Recover wrote into the damaged file")
			}
			if rep.Saved == 0 || rep.Saved >= len(want) || (rep.Held != len(want) && rep.Held != -1) {
				t.Fatalf("report %+v: want some but not all of %d captures saved, Held %[2]d or -1", rep, len(want))
			}
			s, err := Open(dst, Options{})
			if err != nil {
				t.Fatalf("the recovered file does not open: %v", err)
			}
			defer s.Close()
			ids, err := s.IDs(Filter{})
			if err != nil || len(ids) != rep.Saved {
				t.Fatalf("recovered file lists %d captures (%v), report says %d", len(ids), err, rep.Saved)
			}
			if n, _ := s.Count(); n != rep.Saved {
				t.Fatalf("recovered file counts %d, want %d", n, rep.Saved)
			}
			for _, id := range ids {
				got, err := s.Get(id)
				if err != nil {
					t.Fatal(err)
				}
				w := want[id]
				if w == nil || !bytes.Equal(got.Body, w.Body) || got.Path != w.Path || got.RawQuery != w.RawQuery ||
					got.Header.Get("X-Multi") != "first" || got.Response.Status != 200 {
					t.Fatalf("capture %s is not the one stored", id)
				}
			}
			// A cut file loses its small buckets with the root page they
			// are inlined in; a page of random bytes does not.
			if _, err := s.Project("shop"); err != nil && name == "random bytes" {
				t.Fatalf("project not recovered: %v", err)
			}
			if name == "random bytes" {
				got, err := s.CaptureDeliveries(oldest(want))
				if err != nil || len(got) != 1 || rep.Deliveries != 1 {
					t.Fatalf("the replay of %s: %v, %d attempts (report %d), want it copied and indexed", oldest(want), err, len(got), rep.Deliveries)
				}
			}
			if err := s.Put(sample("POST", "/new", "", "x")); err != nil {
				t.Fatalf("the recovered file takes no new capture: %v", err)
			}
			t.Logf("%s: saved %d of %d, unreadable %d", name, rep.Saved, len(want), rep.Unreadable)
		})
	}
}

// The full check Open leaves to the background for a large file finds a
// damaged page that the quick check at Open does not look at, and the store
// refuses writes from then on.
func TestTheBackgroundCheckFindsDamageAndStopsWrites(t *testing.T) {
	src, _ := damagedFixture(t, 400)
	s := mustOpen(t, src)
	scribble(t, src)
	s.wg.Add(1)
	s.checkInBackground()
	if !errors.Is(s.Damaged(), ErrDamaged) {
		t.Fatalf("Damaged() = %v after the full check of a damaged file", s.Damaged())
	}
	if err := s.Put(sample("POST", "/after", "", "x")); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Put after the check found damage: %v", err)
	}
}
