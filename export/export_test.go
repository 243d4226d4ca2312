package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"hookscope/store"
)

// seed stores captures alternating between two projects and two methods, one
// second apart, and returns them oldest first.
func seed(t *testing.T, st *store.Store, n int) []*store.Capture {
	t.Helper()
	var out []*store.Capture
	for i := range n {
		c := &store.Capture{
			ReceivedAt: base.Add(time.Duration(i) * time.Second),
			Method:     []string{"POST", "GET"}[i%2],
			Path:       fmt.Sprintf("/%s/%d", []string{"shop", "ci"}[i%3%2], i),
			Proto:      "HTTP/1.1",
			Host:       "127.0.0.1:8787",
			Project:    []string{"shop", "ci"}[i%3%2],
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       []byte(fmt.Sprintf(`{"n":%d,"needle":%v}`, i, i%4 == 0)),
			Response:   store.Response{Status: 200},
		}
		if err := st.Put(c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestExportSelectsWhatTheFilterMatchesOldestFirst(t *testing.T) {
	st := openStore(t)
	all := seed(t, st, 12)
	tests := map[string]store.Filter{
		"everything":     {},
		"project":        {Project: "shop"},
		"method":         {Method: "get"},
		"text in body":   {Text: `"needle":true`},
		"time window":    {Since: base.Add(3 * time.Second), Until: base.Add(8 * time.Second)},
		"project+method": {Project: "ci", Method: "POST"},
		"nothing":        {Project: "nope"},
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			var want []string
			for _, c := range all {
				if f.MatchesCapture(c) {
					want = append(want, c.Path)
				}
			}
			// A filter that keeps all or none would not show it filters.
			if narrow := len(want) > 0 && len(want) < len(all); narrow != (name != "everything" && name != "nothing") {
				t.Fatalf("fixture does not exercise the filter: %d of %d match", len(want), len(all))
			}

			var har bytes.Buffer
			n, err := ExportHAR(&har, st, f, testBase)
			if err != nil || n != len(want) {
				t.Fatalf("ExportHAR = %d, %v; want %d", n, err, len(want))
			}
			entries := validateHAR(t, har.Bytes())
			var gotHAR []string
			var last time.Time
			for _, e := range entries {
				u := e["request"].(map[string]any)["url"].(string)
				gotHAR = append(gotHAR, strings.TrimPrefix(u, testBase))
				ts, _ := time.Parse(time.RFC3339Nano, e["startedDateTime"].(string))
				if ts.Before(last) {
					t.Errorf("HAR entries not oldest first: %v after %v", ts, last)
				}
				last = ts
			}
			if strings.Join(gotHAR, " ") != strings.Join(want, " ") {
				t.Errorf("HAR has %v, want %v", gotHAR, want)
			}

			var jl bytes.Buffer
			n, err = ExportJSONL(&jl, st, f)
			if err != nil || n != len(want) {
				t.Fatalf("ExportJSONL = %d, %v; want %d", n, err, len(want))
			}
			var gotJL []string
			for line := range strings.SplitSeq(strings.TrimSuffix(jl.String(), "\n"), "\n") {
				if line == "" {
					continue
				}
				var m struct{ Path string }
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatal(err)
				}
				gotJL = append(gotJL, m.Path)
			}
			if strings.Join(gotJL, " ") != strings.Join(want, " ") {
				t.Errorf("JSONL has %v, want %v", gotJL, want)
			}
		})
	}
}

func TestImportKeepsTimeOrderAndIssuesFreshIDs(t *testing.T) {
	src := openStore(t)
	orig := seed(t, src, 40)
	// Reversed, and carrying IDs from the other store.
	var in []*store.Capture
	for i := len(orig) - 1; i >= 0; i-- {
		c := *orig[i]
		in = append(in, &c)
	}
	dst := openStore(t)
	// A capture already in the destination must survive the import.
	keep := &store.Capture{Method: "GET", Path: "/keep", ReceivedAt: base.Add(-time.Hour)}
	if err := dst.Put(keep); err != nil {
		t.Fatal(err)
	}
	r, err := Import(dst, in)
	if err != nil || r.Stored != len(in) {
		t.Fatalf("Import = %+v, %v", r, err)
	}
	if c, err := dst.Get(keep.ID); err != nil || c.Path != "/keep" {
		t.Fatalf("existing capture lost: %v %v", c, err)
	}
	ids, err := dst.IDs(store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(orig)+1 {
		t.Fatalf("%d captures stored, want %d", len(ids), len(orig)+1)
	}
	var prev time.Time
	for i, id := range ids[1:] {
		c, err := dst.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.ReceivedAt.Equal(orig[i].ReceivedAt) || c.Path != orig[i].Path {
			t.Errorf("capture %d: %s at %v, want %s at %v", i, c.Path, c.ReceivedAt, orig[i].Path, orig[i].ReceivedAt)
		}
		if c.ReceivedAt.Before(prev) {
			t.Errorf("capture %d out of time order", i)
		}
		prev = c.ReceivedAt
	}
}

// Import refuses a nil capture before storing anything, naming it.
func TestImportRejectsNilBeforeStoring(t *testing.T) {
	st := openStore(t)
	r, err := Import(st, []*store.Capture{{Method: "GET", Path: "/"}, nil})
	if err == nil || r.Stored != 0 || !strings.Contains(err.Error(), "capture 1") {
		t.Fatalf("Import = %+v, %v; want an error naming capture 1", r, err)
	}
	if ids, _ := st.IDs(store.Filter{}); len(ids) != 0 {
		t.Errorf("%d captures stored before the error", len(ids))
	}
}

// Reading the same HAR twice, or an export of the store back into it, skips
// what is already stored; a capture that differs only in its body is new.
func TestImportSkipsCapturesAlreadyStored(t *testing.T) {
	src := openStore(t)
	orig := seed(t, src, 12)
	var har bytes.Buffer
	if err := WriteHAR(&har, orig, "http://127.0.0.1:8787"); err != nil {
		t.Fatal(err)
	}
	read := func() []*store.Capture {
		t.Helper()
		caps, err := ReadHAR(bytes.NewReader(har.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		return caps
	}

	// Back into the store it came from: every capture is there already.
	if r, err := Import(src, read()); err != nil || r.Stored != 0 || r.Duplicates != len(orig) {
		t.Fatalf("export read back into its store: %+v, %v; want 0 stored, %d duplicates", r, err, len(orig))
	}

	dst := openStore(t)
	if r, err := Import(dst, read()); err != nil || r.Stored != len(orig) || r.Duplicates != 0 {
		t.Fatalf("first import: %+v, %v", r, err)
	}
	again := read()
	changed := again[3]
	changed.Body = append(append([]byte(nil), changed.Body...), '!')
	if r, err := Import(dst, again); err != nil || r.Stored != 1 || r.Duplicates != len(orig)-1 {
		t.Fatalf("second import with one body changed: %+v, %v; want 1 stored, %d duplicates", r, err, len(orig)-1)
	}
	if n, _ := dst.Count(); n != len(orig)+1 {
		t.Fatalf("%d captures after importing twice, want %d", n, len(orig)+1)
	}
}
