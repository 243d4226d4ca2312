package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"hookscope/export/hartest"
	"hookscope/receiver/receivertest"
	"hookscope/store"
)

// run runs the binary to its end and returns its output and exit code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := command(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// The export and import subcommands move a query's captures between
// databases no instance holds, and name the instance that holds one.
func TestExportAndImportSubcommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "full.db")
	addr := receivertest.FreeAddr(t)
	p := startHeadless(t, addr, db)
	for _, kind := range []string{"review", "annotation", "review"} {
		post(t, "http://"+addr+"/isahit/events", "application/json", []byte(`{"type":"`+kind+`"}`))
		p.nextLine(t)
	}

	// Held: a clear error naming where the instance listens.
	_, stderr, code := run(t, "export", "--db", db, "--format", "jsonl")
	if code != 1 || !strings.Contains(stderr, "http://"+addr) {
		t.Fatalf("export of a held file: exit %d, %q; want 1 naming http://%s", code, stderr, addr)
	}
	_, stderr, code = run(t, "import", "--db", db, os.DevNull)
	if code != 1 || !strings.Contains(stderr, "http://"+addr) {
		t.Fatalf("import into a held file: exit %d, %q", code, stderr)
	}
	p.cmd.Process.Signal(os.Interrupt)
	p.cmd.Wait()

	har := filepath.Join(dir, "reviews.har")
	if _, stderr, code := run(t, "export", "--db", db, "--format", "har", "--q", "body.type:review", "-o", har); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(har)
	if err != nil {
		t.Fatal(err)
	}
	hartest.Validate(t, data)
	var doc struct {
		Log struct {
			Version string
			Entries []struct{ Request struct{ URL string } }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.Log.Version != "1.2" || len(doc.Log.Entries) != 2 {
		t.Fatalf("HAR: %v, version %q, %d entries; want 1.2 with 2", err, doc.Log.Version, len(doc.Log.Entries))
	}
	if u := doc.Log.Entries[0].Request.URL; u != "http://"+addr+"/isahit/events" {
		t.Errorf("entry URL %q, want the capture's own", u)
	}
	jsonl, stderr, code := run(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 || strings.Count(jsonl, "\n") != 3 {
		t.Fatalf("JSON Lines to stdout: exit %d, %d lines: %s", code, strings.Count(jsonl, "\n"), stderr)
	}
	lines := filepath.Join(dir, "all.jsonl")
	os.WriteFile(lines, []byte(jsonl), 0o600)

	empty := filepath.Join(dir, "empty.db")
	out, stderr, code := run(t, "import", "--db", empty, har)
	if code != 0 || !strings.Contains(out, "imported 2 captures") {
		t.Fatalf("HAR import: exit %d: %s %s", code, out, stderr)
	}
	all := storedCaptures(t, db)
	sameCaptures(t, storedCaptures(t, empty), []*store.Capture{all[0], all[2]})
	out, stderr, code = run(t, "import", "--db", empty, lines)
	if code != 0 || !strings.Contains(out, "imported 1 captures") || !strings.Contains(out, "2 already there were skipped") {
		t.Fatalf("JSON Lines import over it: exit %d: %s %s", code, out, stderr)
	}
	again, _, _ := run(t, "export", "--db", empty, "--format", "jsonl", "--q", "body.type:annotation")
	if strings.Count(again, "\n") != 1 {
		t.Errorf("the imported annotation exports as %q", again)
	}

	if _, stderr, code := run(t, "export", "--db", db, "--q", "bdy.type:x"); code != 1 || !strings.Contains(stderr, "unknown field") {
		t.Errorf("a query typo: exit %d, %q", code, stderr)
	}
	if _, _, code := run(t, "import", "--db", empty); code != 2 {
		t.Errorf("import without a file: exit %d, want 2", code)
	}
}

// storedCaptures opens a file the binary left and returns its captures,
// oldest first.
func storedCaptures(t *testing.T, db string) []*store.Capture {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ids, err := st.IDs(store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.Capture
	for _, id := range ids {
		c, err := st.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// sameCaptures reports each capture of got that is not the one of want
// in what the sender sent and was answered; the IDs differ by design.
func sameCaptures(t *testing.T, got, want []*store.Capture) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d captures, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if !g.ReceivedAt.Equal(w.ReceivedAt) || g.Method != w.Method || g.URL() != w.URL() || g.Proto != w.Proto ||
			g.RemoteAddr != w.RemoteAddr || g.Project != w.Project || !reflect.DeepEqual(g.Header, w.Header) || !bytes.Equal(g.Body, w.Body) ||
			g.Response.Status != w.Response.Status || !reflect.DeepEqual(g.Response.Header, w.Response.Header) || !bytes.Equal(g.Response.Body, w.Response.Body) {
			t.Errorf("capture %d imported as\n%+v\nwant\n%+v", i, g, w)
		}
	}
}
