package offline

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hookscope/export/hartest"
	"hookscope/store"
)

// filledDB writes a database holding two review events and an annotation,
// closed again.
func filledDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "full.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, kind := range []string{"review", "annotation", "review"} {
		at := time.Date(2026, 12, 1, 10, i, 0, 0, time.UTC)
		id, err := st.ImportID(at)
		if err != nil {
			t.Fatal(err)
		}
		c := &store.Capture{ID: id, ReceivedAt: at, Method: "POST", Path: "/isahit/events", Host: "127.0.0.1:8787", Proto: "HTTP/1.1",
			Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"type":"` + kind + `"}`), Response: store.Response{Status: 200}}
		if err := st.Put(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func count(t *testing.T, path string) int {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExportThenImportIntoAnEmptyDatabase(t *testing.T) {
	db := filledDB(t)
	for _, format := range []string{HAR, JSONL} {
		out := filepath.Join(t.TempDir(), "out."+format)
		n, err := Export(ExportOptions{DB: db, Format: format, Query: "body.type:review", Out: out}, nil)
		if err != nil || n != 2 {
			t.Fatalf("%s export: %d, %v", format, n, err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if format == HAR {
			hartest.Validate(t, data)
		}
		empty := filepath.Join(t.TempDir(), "empty.db")
		res, got, err := Import(empty, bytes.NewReader(data))
		if err != nil || res.Stored != 2 || res.Duplicates != 0 {
			t.Fatalf("%s import: %+v %s %v", format, res, got, err)
		}
		res, _, err = Import(empty, bytes.NewReader(data))
		if err != nil || res.Stored != 0 || res.Duplicates != 2 {
			t.Fatalf("%s import again: %+v %v, want 2 duplicates", format, res, err)
		}
		if n := count(t, empty); n != 2 {
			t.Errorf("%s: %d captures after import, want 2", format, n)
		}
	}
}

func TestHeldDatabaseNamesTheInstance(t *testing.T) {
	db := filledDB(t)
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Announce("127.0.0.1:9999"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	_, err = Export(ExportOptions{DB: db, Format: JSONL}, &buf)
	if !store.IsLocked(err) || !strings.Contains(err.Error(), "http://127.0.0.1:9999") {
		t.Errorf("export of a held file: %v", err)
	}
	_, _, err = Import(db, strings.NewReader(`{"method":"GET","path":"/x"}`+"\n"))
	if !store.IsLocked(err) || !strings.Contains(err.Error(), "127.0.0.1:9999") {
		t.Errorf("import into a held file: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

func TestBadArgumentsAreSaid(t *testing.T) {
	db := filledDB(t)
	for _, tt := range []struct {
		opts ExportOptions
		want string
	}{
		{ExportOptions{DB: db, Format: "csv"}, "--format must be har or jsonl"},
		{ExportOptions{DB: db, Format: HAR, Query: "bdy.type:x"}, "column 1: unknown field"},
		{ExportOptions{DB: filepath.Join(t.TempDir(), "none.db"), Format: HAR}, "no database at"},
	} {
		_, err := Export(tt.opts, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.opts, err, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "none.db")); err == nil {
		t.Error("export created a database")
	}
}

// A file that is no export stores nothing and leaves no new database.
func TestBadImportLeavesNoNewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	if _, _, err := Import(path, strings.NewReader("hello")); err == nil {
		t.Fatal("a text file imported")
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a failed import left a new empty database")
	}
}
