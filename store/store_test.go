package store

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTemp(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hookscope.db")
	s, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func sample(method, path, query, body string) *Capture {
	return &Capture{
		Method:     method,
		Path:       path,
		RawQuery:   query,
		Proto:      "HTTP/1.1",
		Host:       "127.0.0.1:8787",
		RemoteAddr: "127.0.0.1:5555",
		Header: http.Header{
			"Content-Type": {"application/json; charset=utf-8"},
			"X-Multi":      {"first", "second"},
		},
		Body:     []byte(body),
		Response: Response{Status: 200, Header: http.Header{"X-Hookscope-Capture-Id": {"x"}}, Body: []byte(`{"ok":true}`)},
	}
}

func mustPut(t testing.TB, s *Store, c *Capture) ID {
	t.Helper()
	if err := s.Put(c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestPutGetRoundTripIsExact(t *testing.T) {
	s, _ := openTemp(t, Options{})
	body := []byte{0xff, 0xfe, 0x00, 'a', 0x80, '\n'}
	c := sample("POST", "/shop/orders", "a=1&a=2", "")
	c.Body = body
	c.Truncated = true
	c.Project = "shop"
	c.Signature = Signature{Scheme: "stripe", Detected: true, Status: "invalid", Hint: "hex vs base64", Skew: -3 * time.Second, HasSkew: true, SignedContentLen: 42}
	c.TransferEncoding = []string{"chunked"}
	c.Trailer = http.Header{"X-Checksum": {"abc"}}
	c.Via = "cloudflared"
	c.HeaderOrder = []string{"X-Multi", "Host", "Content-Type"}
	id := mustPut(t, s, c)

	got, err := s.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, body) {
		t.Errorf("body = %q, want %q", got.Body, body)
	}
	if got.Method != "POST" || got.Path != "/shop/orders" || got.RawQuery != "a=1&a=2" || got.Project != "shop" || !got.Truncated {
		t.Errorf("summary fields lost: %+v", got)
	}
	if got.Proto != "HTTP/1.1" || got.Host != "127.0.0.1:8787" || got.RemoteAddr != "127.0.0.1:5555" {
		t.Errorf("detail fields lost: %+v", got)
	}
	if v := got.Header["X-Multi"]; len(v) != 2 || v[0] != "first" || v[1] != "second" {
		t.Errorf("repeated header = %q, want [first second] in order", v)
	}
	if got.Response.Status != 200 || string(got.Response.Body) != `{"ok":true}` || got.Response.Header.Get("X-Hookscope-Capture-Id") != "x" {
		t.Errorf("response = %+v", got.Response)
	}
	if got.Signature != c.Signature {
		t.Errorf("signature = %+v, want %+v", got.Signature, c.Signature)
	}
	if len(got.TransferEncoding) != 1 || got.TransferEncoding[0] != "chunked" || got.Trailer.Get("X-Checksum") != "abc" || got.Via != "cloudflared" {
		t.Errorf("framing/via lost: te=%q trailer=%v via=%q", got.TransferEncoding, got.Trailer, got.Via)
	}
	if !slices.Equal(got.HeaderOrder, c.HeaderOrder) {
		t.Errorf("header order = %q, want %q", got.HeaderOrder, c.HeaderOrder)
	}
	if !got.ReceivedAt.Equal(c.ReceivedAt) {
		t.Errorf("received %v, want %v (ns kept)", got.ReceivedAt, c.ReceivedAt)
	}
}

func TestIDsAreTimeOrderedAndUniqueWithinOneNanosecond(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	s, _ := openTemp(t, Options{Now: func() time.Time { return at }})
	a := mustPut(t, s, sample("POST", "/a", "", ""))
	b := mustPut(t, s, sample("POST", "/b", "", ""))
	if !(a < b) {
		t.Fatalf("ids %s, %s: want increasing", a, b)
	}
	parsed, err := ParseID(b.String())
	if err != nil || parsed != b {
		t.Fatalf("ParseID(%q) = %v, %v", b.String(), parsed, err)
	}
	for _, bad := range []string{"", "zz", "00000000000000000", "000000000000000g", "0000000000000000"} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q): want error", bad)
		}
	}
}

func TestListNewestFirstWithCursorPages(t *testing.T) {
	s, _ := openTemp(t, Options{})
	var ids []ID
	for i := 0; i < 7; i++ {
		ids = append(ids, mustPut(t, s, sample("POST", fmt.Sprintf("/p/%d", i), "", "{}")))
	}
	var got []string
	all, pages := listPaged(t, s, Filter{}, 3)
	for _, sum := range all {
		got = append(got, sum.Path)
	}
	want := "/p/6 /p/5 /p/4 /p/3 /p/2 /p/1 /p/0"
	if strings.Join(got, " ") != want || pages != 3 {
		t.Fatalf("pages=%d paths %q, want %q in 3 pages", pages, strings.Join(got, " "), want)
	}
	// A cursor that no longer exists still pages from where it was.
	if err := s.Delete(ids[3]); err != nil {
		t.Fatal(err)
	}
	page, _, err := s.List(Filter{}, ids[3], 10)
	if err != nil || len(page) != 3 || page[0].Path != "/p/2" {
		t.Fatalf("after deleted cursor: %v %v", page, err)
	}
}

func TestFilters(t *testing.T) {
	s, _ := openTemp(t, Options{})
	base := time.Unix(1_700_000_000, 0)
	add := func(method, path, body string, project string, hdr string, at time.Duration) {
		c := sample(method, path, "", body)
		c.Project = project
		if hdr != "" {
			c.Header.Set("X-Event", hdr)
		}
		c.ReceivedAt = base.Add(at)
		mustPut(t, s, c)
	}
	add("POST", "/shop/orders", `{"id":"ORD-1"}`, "shop", "", 0)
	add("GET", "/health", ``, "", "", time.Second)
	add("PUT", "/shop/refunds", `{"amount":5}`, "shop", "Refund.Created", 2*time.Second)
	add("POST", "/other", `needle in BODY`, "", "", 3*time.Second)
	add("POST", "/%c3%bcn%c3%afcode/form", `name=h%C3%A9llo+world&x=1`, "", "", 4*time.Second)
	add("POST", "/city", `{"city":"Москва","name":"Émilie","road":"São Paulo"}`, "", "", 5*time.Second)

	tests := map[string]struct {
		give Filter
		want string
	}{
		"all":                 {Filter{}, "/city /%c3%bcn%c3%afcode/form /other /shop/refunds /health /shop/orders"},
		"method any case":     {Filter{Method: "post"}, "/city /%c3%bcn%c3%afcode/form /other /shop/orders"},
		"project":             {Filter{Project: "shop"}, "/shop/refunds /shop/orders"},
		"unsorted":            {Filter{Project: Unsorted}, "/city /%c3%bcn%c3%afcode/form /other /health"},
		"text in path":        {Filter{Text: "REFUNDS"}, "/shop/refunds"},
		"text in body":        {Filter{Text: "Needle In body"}, "/other"},
		"text in header":      {Filter{Text: "refund.created"}, "/shop/refunds"},
		"text in header name": {Filter{Text: "x-event:"}, "/shop/refunds"},
		"text nowhere":        {Filter{Text: "absent"}, ""},
		"decoded path":        {Filter{Text: "ünïcode"}, "/%c3%bcn%c3%afcode/form"},
		"decoded form field":  {Filter{Text: "héllo world"}, "/%c3%bcn%c3%afcode/form"},
		"Cyrillic as typed":   {Filter{Text: "Москва"}, "/city"},
		"Cyrillic lower case": {Filter{Text: "москва"}, "/city"},
		"capital É":           {Filter{Text: "ÉMILIE"}, "/city"},
		"ã, two words":        {Filter{Text: "são paulo"}, "/city"},
		"since/until":         {Filter{Since: base.Add(time.Second), Until: base.Add(3 * time.Second)}, "/shop/refunds /health"},
		"combined":            {Filter{Method: "POST", Project: "shop", Text: "ord-1"}, "/shop/orders"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			page, _, err := s.List(tc.give, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, p := range page {
				paths = append(paths, p.Path)
			}
			if got := strings.Join(paths, " "); got != tc.want {
				t.Errorf("List = %q, want %q", got, tc.want)
			}
			ids, err := s.IDs(tc.give)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(page) {
				t.Errorf("IDs gave %d, List %d", len(ids), len(page))
			}
		})
	}
}

func TestDeleteClearCount(t *testing.T) {
	s, _ := openTemp(t, Options{})
	a := mustPut(t, s, sample("POST", "/a", "", "x"))
	mustPut(t, s, sample("POST", "/b", "", "y"))
	if n, _ := s.Count(); n != 2 {
		t.Fatalf("count = %d, want 2", n)
	}
	if err := s.Delete(a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get deleted: %v, want ErrNotFound", err)
	}
	if err := s.Delete(a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete twice: %v, want ErrNotFound", err)
	}
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("count = %d, want 1", n)
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(); n != 0 {
		t.Fatalf("count after clear = %d", n)
	}
	page, _, _ := s.List(Filter{}, 0, 10)
	if len(page) != 0 {
		t.Fatalf("list after clear: %v", page)
	}
	mustPut(t, s, sample("POST", "/c", "", ""))
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("count after clear+put = %d", n)
	}
}

func TestReopenKeepsEverythingAndIDsKeepGrowing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	frozen := time.Unix(1_700_000_000, 0)
	s, err := Open(path, Options{Now: func() time.Time { return frozen }})
	if err != nil {
		t.Fatal(err)
	}
	first := mustPut(t, s, sample("POST", "/before-restart", "", "kept"))
	s.Close()

	// A clock that went backwards must not reuse or reorder IDs.
	s, err = Open(path, Options{Now: func() time.Time { return frozen.Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(first)
	if err != nil || string(got.Body) != "kept" {
		t.Fatalf("after reopen: %v %v", got, err)
	}
	second := mustPut(t, s, sample("POST", "/after", "", ""))
	if second <= first {
		t.Fatalf("id after restart %s <= %s", second, first)
	}
	if n, _ := s.Count(); n != 2 {
		t.Fatalf("count = %d", n)
	}
}

func TestConcurrentPutsAllLand(t *testing.T) {
	s, _ := openTemp(t, Options{})
	const writers, each = 16, 25
	var wg sync.WaitGroup
	seen := sync.Map{}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				c := sample("POST", fmt.Sprintf("/w%d/%d", w, i), "", "b")
				if err := s.Put(c); err != nil {
					t.Error(err)
					return
				}
				if _, dup := seen.LoadOrStore(c.ID, true); dup {
					t.Errorf("duplicate id %s", c.ID)
				}
			}
		}()
	}
	wg.Wait()
	if n, _ := s.Count(); n != writers*each {
		t.Fatalf("count = %d, want %d", n, writers*each)
	}
	ids, _ := s.IDs(Filter{})
	if len(ids) != writers*each {
		t.Fatalf("ids = %d", len(ids))
	}
}

func TestRetentionByCountAndAge(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	s, _ := openTemp(t, Options{MaxCount: 5, Now: clock})
	for i := 0; i < 12; i++ {
		c := sample("POST", fmt.Sprintf("/%d", i), "", "")
		c.ReceivedAt = now.Add(time.Duration(i) * time.Minute)
		mustPut(t, s, c)
	}
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	page, _, _ := s.List(Filter{}, 0, 100)
	if len(page) != 5 || page[0].Path != "/11" || page[4].Path != "/7" {
		t.Fatalf("after count retention: %d captures, newest %v", len(page), page)
	}
	if n, _ := s.Count(); n != 5 {
		t.Fatalf("count = %d", n)
	}
	// Age: now is 1_700_000_000 + 15 min; keep the last 5 minutes.
	now = now.Add(15 * time.Minute)
	s.SetRetention(100, 5*time.Minute)
	if _, err := s.Prune(); err != nil {
		t.Fatal(err)
	}
	page, _, _ = s.List(Filter{}, 0, 100)
	var paths []string
	for _, p := range page {
		paths = append(paths, p.Path)
	}
	if strings.Join(paths, " ") != "/11 /10" {
		t.Fatalf("after age retention: %v", paths)
	}
}

func TestSubscribeHearsAddsDeletesAndClears(t *testing.T) {
	s, _ := openTemp(t, Options{})
	sub := s.Subscribe()
	defer sub.Close()
	id := mustPut(t, s, sample("POST", "/live", "", "{}"))
	next := func() Event {
		select {
		case e := <-sub.Events():
			return e
		case <-time.After(2 * time.Second):
			t.Fatal("no event within 2 s")
			return Event{}
		}
	}
	if e := next(); e.Type != Added || e.ID != id || e.Summary.Path != "/live" || e.Summary.ContentType != "application/json" {
		t.Fatalf("event = %+v", e)
	}
	s.Delete(id)
	if e := next(); e.Type != Deleted || e.ID != id {
		t.Fatalf("event = %+v", e)
	}
	s.Clear()
	if e := next(); e.Type != Cleared {
		t.Fatalf("event = %+v", e)
	}
}

func TestSecondOpenFailsFastNamingTheFile(t *testing.T) {
	_, path := openTemp(t, Options{})
	start := time.Now()
	_, err := Open(path, Options{LockTimeout: 300 * time.Millisecond})
	if err == nil {
		t.Fatal("second open of a held file succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %q: want ErrLocked naming %s", err, path)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v, want < 2 s", d)
	}
}

func TestUnknownSchemaIsRefusedAndLeftUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket(bucketMeta)
		return b.Put(keySchema, []byte("99"))
	})
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), `schema version "99"`) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("file was rewritten")
	}
}

func TestForeignAndCorruptFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.db")
	db, _ := bolt.Open(foreign, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	db.Close()
	if _, err := Open(foreign, Options{}); err == nil || !strings.Contains(err.Error(), "not written by Hookscope") {
		t.Fatalf("foreign: %v", err)
	}
	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bytes.Repeat([]byte("garbage!"), 4096), 0o600)
	if _, err := Open(corrupt, Options{}); err == nil || !strings.Contains(err.Error(), corrupt) {
		t.Fatalf("corrupt: %v", err)
	}
}

func TestPutAfterCloseFails(t *testing.T) {
	s, _ := openTemp(t, Options{})
	s.Close()
	if err := s.Put(sample("POST", "/", "", "")); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
}

func TestContainsFold(t *testing.T) {
	tests := map[string]struct {
		hay, needle string
		want        bool
	}{
		"exact":          {"hello", "hello", true},
		"upper hay":      {"HeLLo world", "llo w", true},
		"first upper":    {"xxHello", "hello", true},
		"absent":         {"hello", "help", false},
		"needle longer":  {"he", "hello", false},
		"empty needle":   {"abc", "", true},
		"late match":     {strings.Repeat("h", 100) + "Hz", "hz", true},
		"non-letter":     {"a=1&b=2", "&b=", true},
		"utf8 same case": {"café au lait", "café", true},
		"both cases":     {"zzZzZzZzzZQ", "zq", true},
		"at the end":     {"xxxxHELLO", "hello", true},
		"cut at the end": {"xxxxHELL", "hello", false},
		"digit first":    {"id 1234X", "34x", true},
		"digit absent":   {"id 1234", "345", false},
	}
	for name, tc := range tests {
		if got := containsFold([]byte(tc.hay), []byte(tc.needle)); got != tc.want {
			t.Errorf("%s: containsFold(%q, %q) = %v", name, tc.hay, tc.needle, got)
		}
	}
}

func TestUpdateSignatureRewritesSummaryAndDetail(t *testing.T) {
	s, _ := openTemp(t, Options{})
	c := sample("POST", "/shop/x", "", `{"a":1}`)
	c.Signature = Signature{Scheme: "stripe", Status: "invalid", Hint: "old"}
	id := mustPut(t, s, c)
	sub := s.Subscribe()
	defer sub.Close()
	if err := s.UpdateSignature(id, Signature{Scheme: "stripe", Status: "valid"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(id)
	if got.Signature.Status != "valid" || got.Signature.Hint != "" || string(got.Body) != `{"a":1}` || got.Header.Get("X-Multi") != "first" {
		t.Fatalf("after update: %+v", got)
	}
	page, _, _ := s.List(Filter{}, 0, 1)
	if page[0].SignatureStatus != "valid" {
		t.Fatalf("summary status %q", page[0].SignatureStatus)
	}
	// The Added event of the Put may still be on its way; skip it.
	e := <-sub.Events()
	if e.Type == Added {
		e = <-sub.Events()
	}
	if e.Type != Updated || e.Summary.SignatureStatus != "valid" {
		t.Fatalf("event %+v", e)
	}
	if err := s.UpdateSignature(1, Signature{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestProjectCounts(t *testing.T) {
	s, _ := openTemp(t, Options{})
	for _, p := range []string{"shop", "shop", "", "kili", "shop"} {
		c := sample("POST", "/x", "", "")
		c.Project = p
		mustPut(t, s, c)
	}
	got, _, err := s.ProjectCounts()
	if err != nil {
		t.Fatal(err)
	}
	if got["shop"] != 3 || got["kili"] != 1 || got[""] != 1 || len(got) != 3 {
		t.Fatalf("counts = %v", got)
	}
}

func TestSearchFindsBodiesAmongCapturesWithoutBodies(t *testing.T) {
	s, _ := openTemp(t, Options{})
	var want []string
	for i := 0; i < 30; i++ {
		body := ""
		if i%3 == 0 {
			body = fmt.Sprintf("needle-%d", i)
			want = append([]string{fmt.Sprintf("/%d", i)}, want...)
		}
		mustPut(t, s, sample("POST", fmt.Sprintf("/%d", i), "", body))
	}
	var got []string
	all, _ := listPaged(t, s, Filter{Text: "NEEDLE"}, 3)
	for _, p := range all {
		got = append(got, p.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("paged search = %v, want %v", got, want)
	}
	ids, _ := s.IDs(Filter{Text: "needle"})
	if len(ids) != len(want) {
		t.Fatalf("IDs found %d, want %d", len(ids), len(want))
	}
}

func TestSubscribeToSomeTypesOnly(t *testing.T) {
	s, _ := openTemp(t, Options{})
	sub := s.Subscribe(Deleted)
	defer sub.Close()
	id := mustPut(t, s, sample("POST", "/x", "", ""))
	s.Delete(id)
	select {
	case e := <-sub.Events():
		if e.Type != Deleted || e.ID != id {
			t.Fatalf("event %+v, want only the deletion", e)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no event")
	}
}

func TestAStoreAtItsCapMakesRoomInTheSameCommit(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: 3})
	sub := s.Subscribe(Pruned)
	defer sub.Close()
	var ids []ID
	for i := 0; i < 5; i++ {
		ids = append(ids, mustPut(t, s, sample("POST", fmt.Sprintf("/%d", i), "", "")))
	}
	// No call to Prune: each Put kept the count at the cap.
	if n, _ := s.Count(); n != 3 {
		t.Fatalf("count %d, want 3", n)
	}
	var last ID
	for last != ids[1] {
		select {
		case e := <-sub.Events():
			if e.ID <= last {
				t.Fatalf("pruned bound went back: %s after %s", e.ID, last)
			}
			last = e.ID
		case <-time.After(2 * time.Second):
			t.Fatalf("pruned up to %s, want %s", last, ids[1])
		}
	}
	for i, id := range ids {
		_, err := s.Get(id)
		if gone := errors.Is(err, ErrNotFound); gone != (i < 2) {
			t.Fatalf("capture %d gone=%v", i, gone)
		}
	}
}

// ImportID places an import at its receive time among stored captures,
// never on a stored or already issued ID, and keeps NewID above it.
func TestImportIDPlacesImportsAtTheirTime(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: -1})
	at := time.Unix(1_700_000_000, 0)
	stored := sample("POST", "/arrived", "", "x")
	stored.ReceivedAt = at
	stored.ID = ID(at.UnixNano())
	mustPut(t, s, stored)

	a, err := s.ImportID(at)
	if err != nil || a != stored.ID+1 {
		t.Fatalf("ImportID at a stored ID: %s, %v; want the next, %s", a, err, stored.ID+1)
	}
	b, _ := s.ImportID(at)
	if b != a+1 {
		t.Fatalf("a second ImportID at the same time: %s, want %s (the first is issued, not yet stored)", b, a+1)
	}
	future := time.Now().Add(time.Hour)
	f, _ := s.ImportID(future)
	if n := s.NewID(time.Now()); n <= f {
		t.Fatalf("NewID %s after an import at %s; want above it", n, f)
	}
	c := sample("POST", "/imported", "", "y")
	c.ReceivedAt, c.ID = at, a
	mustPut(t, s, c)
	ids, _ := s.IDs(Filter{})
	if len(ids) != 2 || ids[0] != stored.ID || ids[1] != a {
		t.Fatalf("ids %v: the import is not next to the capture of its time", ids)
	}
}

func TestSummariesSayWhichTunnelACaptureCameThrough(t *testing.T) {
	s, _ := openTemp(t, Options{})
	c := sample("POST", "/stripe", "", "")
	c.Via = "cloudflared"
	tunnelled := mustPut(t, s, c)
	local := mustPut(t, s, sample("POST", "/stripe", "", ""))
	sums, err := s.Summaries([]ID{tunnelled, local})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 2 || sums[0].Via != "cloudflared" || sums[1].Via != "" {
		t.Fatalf("summaries %+v: want the tunnel of the first only", sums)
	}
}
