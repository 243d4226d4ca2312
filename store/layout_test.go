package store

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The schema version 1 fixture (testdata/v1.db.gz) was written by the
// Hookscope of before bodies moved into the detail records, and
// testdata/v1.json is what that Hookscope's Get read back from it (see
// testdata/genv1). Reading the file now must give the same captures.

// v1Fixture copies the fixture into a temp dir and returns its path and
// the captures the old code read from it, oldest first.
func v1Fixture(t *testing.T) (string, []*Capture) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "v1.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join("testdata", "v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []*Capture
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// sameCapture fails the test when got and want differ in any field, as
// their JSON forms show them.
func sameCapture(t *testing.T, got, want *Capture) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("capture %s reads\n %s\nwant\n %s", want.ID, g, w)
	}
}

func mustGet(t *testing.T, s *Store, id ID) *Capture {
	t.Helper()
	c, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// searchIDs is what the window's search finds, in both of its code paths:
// the API's List and the window's IDs.
func searchBoth(t *testing.T, s *Store, text string) []ID {
	t.Helper()
	ids, err := s.IDs(Filter{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := listPaged(t, s, Filter{Text: text}, 3)
	var listedIDs []ID
	for _, sum := range page {
		listedIDs = append(listedIDs, sum.ID)
	}
	slices.Reverse(listedIDs)
	if !slices.Equal(ids, listedIDs) {
		t.Fatalf("search %q: IDs gives %v, List %v", text, ids, listedIDs)
	}
	return ids
}

func TestV1FileReadsAsTheOldCodeReadIt(t *testing.T) {
	path, want := v1Fixture(t)
	s := mustOpen(t, path)
	for _, w := range want {
		sameCapture(t, mustGet(t, s, w.ID), w)
	}
	if n := mustCount(t, s); n != len(want) {
		t.Fatalf("Count = %d, want %d", n, len(want))
	}
	var ids []ID
	for _, w := range want {
		ids = append(ids, w.ID)
	}
	if got := listed(t, s); !slices.Equal(got, ids) {
		t.Fatalf("IDs = %v, want %v", got, ids)
	}
	sums, err := s.Summaries(ids)
	if err != nil || len(sums) != len(want) {
		t.Fatalf("Summaries: %v, %d of %d", err, len(sums), len(want))
	}
	for i, sum := range sums {
		w := want[i].Summary()
		if !sum.ReceivedAt.Equal(w.ReceivedAt) {
			t.Errorf("summary %s received %v, want %v", sum.ID, sum.ReceivedAt, w.ReceivedAt)
		}
		sum.ReceivedAt, w.ReceivedAt = time.Time{}, time.Time{}
		if sum != w {
			t.Errorf("summary %+v, want %+v", sum, w)
		}
	}
	counts, _, err := s.ProjectCounts()
	if err != nil || counts["shop"] != 2 || counts[""] != len(want)-2 {
		t.Fatalf("ProjectCounts = %v, %v", counts, err)
	}
	for text, wantIdx := range map[string][]int{
		"pelican":                {1}, // in the gzip body only
		"walrus":                 {4},
		"Stripe-Signature: t=1,": {0},
		"abc123":                 {}, // a trailer is not searched
		"heron":                  {5, 6, 7, 8, 9},
	} {
		var wantIDs []ID
		for _, i := range wantIdx {
			wantIDs = append(wantIDs, want[i].ID)
		}
		if got := searchBoth(t, s, text); !slices.Equal(got, wantIDs) {
			t.Errorf("search %q = %v, want %v", text, got, wantIDs)
		}
	}
	mustView(t, s, func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(bucketMeta).Get(keySchema)); v != "2" {
			t.Errorf("schema %q after opening, want 2: an older Hookscope must refuse the file", v)
		}
		return nil
	})
}

// New captures are stored in the version 2 layout beside the old ones, and
// every read and write that touches captures handles both.
func TestV1FileTakesNewCapturesAndKeepsOldOnesWhole(t *testing.T) {
	path, want := v1Fixture(t)
	s := mustOpen(t, path)
	fresh := sample("POST", "/new", "", `{"word":"heron","new":true}`)
	id := mustPut(t, s, fresh)
	if got := mustGet(t, s, id); string(got.Body) != `{"word":"heron","new":true}` {
		t.Fatalf("new capture's body = %q", got.Body)
	}
	if got := searchBoth(t, s, "heron"); len(got) != 6 || got[5] != id {
		t.Fatalf("search heron = %v, want the 5 old captures and %s", got, id)
	}
	// Rewrites of an old capture's details keep its body.
	old := want[0]
	sig := old.Signature
	sig.Status, sig.Reason = "valid", ""
	if err := s.UpdateSignature(old.ID, sig); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateAnsweredBy(old.ID, AnsweredBy{Rule: "fail-orders", Action: "drop", Detail: "dropped the connection"}); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, old.ID)
	if !bytes.Equal(got.Body, old.Body) || got.Signature.Status != "valid" || got.AnsweredBy.Action != "drop" {
		t.Fatalf("after updates: body %q, signature %q, answer %+v", got.Body, got.Signature.Status, got.AnsweredBy)
	}
	// The trash moves an old capture's body record with it, and back.
	d, err := s.Discard([]ID{old.ID, id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(old.ID); err == nil {
		t.Fatal("a discarded capture still reads")
	}
	if err := s.Restore(d); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, old.ID); !bytes.Equal(got.Body, old.Body) {
		t.Fatalf("restored old capture's body = %q", got.Body)
	}
	if got := mustGet(t, s, id); !bytes.Equal(got.Body, fresh.Body) {
		t.Fatalf("restored new capture's body = %q", got.Body)
	}
	// Retention deletes old captures' body records with them.
	s.SetRetention(3, 0)
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	if got := listed(t, s); !slices.Equal(got, []ID{want[8].ID, want[9].ID, id}) {
		t.Fatalf("after pruning to 3: %v", got)
	}
	sameCapture(t, mustGet(t, s, want[9].ID), want[9])
	mustView(t, s, func(tx *bolt.Tx) error {
		n := 0
		_ = tx.Bucket(bucketBodies).ForEach(func(k, _ []byte) error {
			n++
			if idFromKey(k) != want[8].ID && idFromKey(k) != want[9].ID {
				t.Errorf("a body record of pruned capture %s is left", idFromKey(k))
			}
			return nil
		})
		if n != 2 {
			t.Errorf("%d body records left, want the 2 of the old captures kept", n)
		}
		return nil
	})
}

// Every field of a capture survives the version 2 layout, and a capture's
// body is a field of its detail record: storing it writes no body record.
func TestNewLayoutRoundTripsEveryField(t *testing.T) {
	_, want := v1Fixture(t)
	s, _ := openTemp(t, Options{MaxCount: -1})
	for _, w := range want {
		c := *w
		mustPut(t, s, &c)
	}
	for _, w := range want {
		sameCapture(t, mustGet(t, s, w.ID), w)
	}
	got := mustGet(t, s, want[0].ID)
	if !slices.Equal(got.HeaderOrder, want[0].HeaderOrder) || got.Origin() != "https://abc.ngrok.app" || got.AnsweredBy.Detail != "status 500" {
		t.Fatalf("header order %q, origin %q, answer %+v", got.HeaderOrder, got.Origin(), got.AnsweredBy)
	}
	if ids := searchBoth(t, s, "pelican"); !slices.Equal(ids, []ID{want[1].ID}) {
		t.Fatalf("search in the decoded gzip body = %v", ids)
	}
	mustView(t, s, func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketBodies).Cursor().First(); k != nil {
			t.Errorf("capture %s has a body record: bodies belong in the detail record", idFromKey(k))
		}
		body, ok := detailBody(tx.Bucket(bucketDetails).Get(want[4].ID.key()))
		if !ok || !bytes.Equal(body, want[4].Body) {
			t.Errorf("detail record's body: %d bytes, %v", len(body), ok)
		}
		return nil
	})
}

// A body over 8 KiB keeps a record of its own (copying it into the detail
// record costs more than the insert saves), and reads, searches and
// updates as a small one does.
func TestLargeBodyKeepsItsOwnRecord(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: -1})
	small := mustPut(t, s, sample("POST", "/small", "", strings.Repeat("a", inlineBodyMax-len(" narwhal"))+" narwhal"))
	bigBody := strings.Repeat("b", inlineBodyMax) + " narwhal"
	big := mustPut(t, s, sample("POST", "/big", "", bigBody))
	if err := s.UpdateSignature(big, Signature{Scheme: "github", Status: "valid"}); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, big); string(got.Body) != bigBody || got.Signature.Status != "valid" {
		t.Fatalf("large body: %d bytes, signature %q", len(got.Body), got.Signature.Status)
	}
	if got := searchBoth(t, s, "narwhal"); !slices.Equal(got, []ID{small, big}) {
		t.Fatalf("search = %v, want %v", got, []ID{small, big})
	}
	mustView(t, s, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketBodies).Get(small.key()) != nil {
			t.Error("a body of 8 KiB has a record of its own")
		}
		if v := tx.Bucket(bucketBodies).Get(big.key()); string(v) != bigBody {
			t.Errorf("the large body's record holds %d bytes", len(v))
		}
		if _, ok := detailBody(tx.Bucket(bucketDetails).Get(big.key())); ok {
			t.Error("the large body was copied into its detail record")
		}
		return nil
	})
}

// Recover copies both layouts whole.
func TestRecoverCopiesBothLayouts(t *testing.T) {
	path, want := v1Fixture(t)
	s := mustOpen(t, path)
	fresh := sample("POST", "/new", "", "a body in the detail record")
	mustPut(t, s, fresh)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "recovered.db")
	rep, err := Recover(path, dst)
	if err != nil || rep.Saved != len(want)+1 || rep.Unreadable != 0 {
		t.Fatalf("Recover = %+v, %v", rep, err)
	}
	r := mustOpen(t, dst)
	for _, w := range want {
		sameCapture(t, mustGet(t, r, w.ID), w)
	}
	if got := mustGet(t, r, fresh.ID); !bytes.Equal(got.Body, fresh.Body) {
		t.Fatalf("recovered new capture's body = %q", got.Body)
	}
}

// The summary's media type is what mime.ParseMediaType gave, for valid and
// invalid values alike, without parsing the parameters.
func TestMediaTypeAsParseMediaTypeGaveIt(t *testing.T) {
	for _, ct := range []string{
		"", "application/json", "Application/JSON; charset=UTF-8", " text/plain ;format=flowed",
		"multipart/form-data; boundary=----x", "not a type", "text/html; charset", "application/x-www-form-urlencoded;",
		";", "image/png; a=1; a=2", "TEXT/XML ; q=\"a;b\"",
	} {
		want := ""
		if ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err == nil {
				want = mt
			} else {
				base, _, _ := strings.Cut(ct, ";")
				want = strings.ToLower(strings.TrimSpace(base))
			}
		}
		if got := mediaType(ct); got != want {
			t.Errorf("mediaType(%q) = %q, want %q", ct, got, want)
		}
	}
}

func TestIDStringIsSixteenHexDigits(t *testing.T) {
	for _, id := range []ID{1, 0xf, 0x1234abcd, 0x187d2c3b4a5e6f70, 1<<64 - 1} {
		if got, want := id.String(), fmt.Sprintf("%016x", uint64(id)); got != want {
			t.Errorf("ID(%d).String() = %q, want %q", uint64(id), got, want)
		}
	}
}
