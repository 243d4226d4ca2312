package ui

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// postAs sends a capture whose Host header is host, as a sender calling
// that name would.
func (h *harness) postAs(host, path, body string) {
	h.t.Helper()
	req, err := http.NewRequest("POST", h.srv.URL()+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
}

// overlayText is the text of the dialogs open over the window.
func (h *harness) overlayText() string {
	var b strings.Builder
	for _, o := range h.w.win.Canvas().Overlays().List() {
		b.WriteString(gridText(o))
	}
	return b.String()
}

// TestExportWritesToATypedPath: a full path typed into the export form is
// where the file goes, HAR entries carry each capture's own Host, and the
// next export starts in that folder.
func TestExportWritesToATypedPath(t *testing.T) {
	h := newHarness(t)
	h.postAs("hooks.example.com", "/acme/ingested?x=1", `{"id":1}`)
	h.postAs("other.example.org:8443", "/b", `{"id":2}`)
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })

	target := filepath.Join(t.TempDir(), "exports", "typed.har")
	if err := os.Mkdir(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	f := h.w.exportFiltered("har")
	f.path.SetText(target)
	f.submit()
	h.q.until(t, "the export", func() bool { return strings.HasPrefix(h.w.top.message.Text, "Exported 2 captures to "+target) })
	data, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []struct {
				Request struct{ URL string }
			}
		}
	}
	if err := json.Unmarshal(data, &har); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	var urls []string
	for _, e := range har.Log.Entries {
		urls = append(urls, e.Request.URL)
	}
	if got, want := strings.Join(urls, " "), "http://hooks.example.com/acme/ingested?x=1 http://other.example.org:8443/b"; got != want {
		t.Errorf("HAR request URLs %q, want %q", got, want)
	}
	if next := h.w.exportFiltered("jsonl"); next.path.Text != filepath.Join(filepath.Dir(target), "captures.jsonl") {
		t.Errorf("the next export starts at %q, not in the last folder", next.path.Text)
	}
}

// exportFailureHarness is a window with one capture, and a file that an
// export path cannot go under.
func exportFailureHarness(t *testing.T) (*harness, string) {
	h := newHarness(t)
	h.post("/a", "application/json", `{}`)
	h.q.until(t, "a row", func() bool { return h.rows() == 1 })
	notADir := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(notADir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return h, notADir
}

// TestExportFailureShowsAnErrorDialog: a path that cannot be written, and an
// export that matches nothing, each end in an error dialog saying why — and
// leave no file behind.
func TestExportFailureShowsAnErrorDialog(t *testing.T) {
	h, notADir := exportFailureHarness(t)
	f := h.w.exportFiltered("jsonl")
	f.path.SetText(filepath.Join(notADir, "out.jsonl")) // under a file: unwritable even for root
	f.dlg.Hide()
	f.submit()
	h.q.until(t, "the error dialog", func() bool {
		return strings.Contains(h.overlayText(), "Export to "+filepath.Join(notADir, "out.jsonl")) && strings.Contains(h.overlayText(), "not a directory")
	})

	for _, o := range h.w.win.Canvas().Overlays().List() {
		h.w.win.Canvas().Overlays().Remove(o)
	}
	none := h.w.list.filter
	none.Text = "matches nothing at all"
	h.w.list.setFilter(none)
	h.q.until(t, "no rows", func() bool { return h.rows() == 0 && h.w.list.ids.Loaded() })
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	f = h.w.exportFiltered("jsonl")
	f.path.SetText(empty)
	f.dlg.Hide()
	f.submit()
	h.q.until(t, "the nothing-to-export dialog", func() bool { return strings.Contains(h.overlayText(), "nothing was written") })
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("an empty export left %s behind (%v)", empty, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(empty))
	if len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestExportErrorKeepsTheFormOpen: a path that cannot be written leaves the
// Export form open with the path as typed and the error under it; the
// corrected path then exports, said in the singular for one capture.
func TestExportErrorKeepsTheFormOpen(t *testing.T) {
	h, notADir := exportFailureHarness(t)
	bad := filepath.Join(notADir, "out.jsonl")
	f := h.w.exportFiltered("jsonl")
	f.path.SetText(bad)
	test.Tap(f.send)
	h.q.until(t, "the error under the path", func() bool {
		return f.problem.Visible() && strings.Contains(f.problem.Text, "not a directory")
	})
	if h.w.dialogOf(dialogExport) == nil || len(h.w.win.Canvas().Overlays().List()) != 1 {
		t.Fatalf("after the error: export form open %v, %d overlays", h.w.dialogOf(dialogExport) != nil, len(h.w.win.Canvas().Overlays().List()))
	}
	if f.path.Text != bad {
		t.Fatalf("the typed path became %q", f.path.Text)
	}
	good := filepath.Join(t.TempDir(), "out.jsonl")
	f.path.SetText(good)
	f.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.q.until(t, "the export", func() bool { return h.w.top.message.Text == "Exported 1 capture to "+good })
	if h.topOverlay() != nil {
		t.Fatal("the export form stayed open after a successful export")
	}
}
