package export

import (
	"bytes"
	"strings"
	"testing"

	"hookscope/store"
)

// A JSON Lines export of a real store imports back into another through
// the same entry as HAR (the format told by content): every capture
// byte-exact, and a second import skips them all as duplicates.
func TestJSONLExportImportsBackThroughReadCaptures(t *testing.T) {
	from, to := openStore(t), openStore(t)
	want := map[string]*store.Capture{}
	for _, c := range fixtures() {
		if err := from.Put(c); err != nil {
			t.Fatal(err)
		}
		want[c.Method+" "+c.URI()] = c
	}
	var file bytes.Buffer
	n, err := ExportJSONL(&file, from, store.Filter{})
	if err != nil || n != len(want) {
		t.Fatalf("export: %d captures, %v", n, err)
	}
	exported := file.Bytes()

	caps, format, err := ReadCaptures(bytes.NewReader(exported))
	if err != nil || format != FormatJSONL {
		t.Fatalf("read the export: format %q, %v", format, err)
	}
	res, err := Import(to, caps)
	if err != nil || res.Stored != len(want) || res.Duplicates != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	page, _, err := to.List(store.Filter{}, 0, 100)
	if err != nil || len(page) != len(want) {
		t.Fatalf("%d captures in the other store, %v", len(page), err)
	}
	for _, sum := range page {
		got, err := to.Get(sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		w := want[got.Method+" "+got.URI()]
		if w == nil {
			t.Fatalf("imported %s %s, not exported", got.Method, got.URI())
		}
		sameCapture(t, got.Method+" "+got.URI(), got, w)
	}

	caps, _, err = ReadCaptures(bytes.NewReader(exported))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := Import(to, caps); err != nil || res.Stored != 0 || res.Duplicates != len(want) {
		t.Fatalf("importing the same file again: %+v, %v; want every capture skipped", res, err)
	}
}

// HAR is still read as HAR, a BOM is skipped, and a file that is neither
// says so.
func TestReadCapturesTellsTheFormatByContent(t *testing.T) {
	st := openStore(t)
	for _, c := range fixtures() {
		if err := st.Put(c); err != nil {
			t.Fatal(err)
		}
	}
	var har bytes.Buffer
	if _, err := ExportHAR(&har, st, store.Filter{}, "http://127.0.0.1:8787"); err != nil {
		t.Fatal(err)
	}
	caps, format, err := ReadCaptures(bytes.NewReader(append([]byte("\xef\xbb\xbf"), har.Bytes()...)))
	if err != nil || format != FormatHAR || len(caps) != len(fixtures()) {
		t.Fatalf("HAR read as %q: %d captures, %v", format, len(caps), err)
	}
	for in, want := range map[string]string{
		"":                     "empty",
		"   \n":                "empty",
		`{"entries": []}`:      "not a HAR file",
		"[1, 2]":               "not a HAR file",
		"method: POST\n":       "not a HAR file",
		`{"method": 1}` + "\n": "jsonl: line 1",
	} {
		if _, _, err := ReadCaptures(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadCaptures(%q) = %v, want an error with %q", in, err, want)
		}
	}
}
