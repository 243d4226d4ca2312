// Package offline exports and imports the captures of a database file no
// Hookscope instance holds, for scripts and CI: the command line's export
// and import subcommands. While an instance runs, its API does the same
// (captures/export, captures/import).
package offline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"hookscope/export"
	"hookscope/projects"
	"hookscope/query"
	"hookscope/store"
)

// lockWait is how long to wait for a held file: an instance holds it for as
// long as it runs, so waiting longer helps nobody.
const lockWait = 300 * time.Millisecond

// open opens the database for a short job. Retention is off: a subcommand
// never deletes captures; the next instance prunes by its own settings.
func open(dbPath string) (*store.Store, error) {
	st, err := store.Open(dbPath, store.Options{MaxCount: -1, LockTimeout: lockWait})
	if store.IsLocked(err) {
		return nil, store.LockedError(dbPath)
	}
	return st, err
}

// Formats are the names --format takes.
const (
	HAR   = "har"
	JSONL = "jsonl"
)

// ExportOptions is what to export and where.
type ExportOptions struct {
	DB     string
	Format string // HAR or JSONL
	Query  string // the search box's syntax; "" for every capture
	// Out is the file to write, "" or "-" for w: a file is written whole
	// or not at all (a temporary file renamed into place).
	Out string
}

// Export writes the captures opts.Query selects, oldest first, and returns
// how many it wrote. HAR entries carry each capture's own URL.
func Export(opts ExportOptions, w io.Writer) (int, error) {
	if opts.Format != HAR && opts.Format != JSONL {
		return 0, fmt.Errorf("--format must be %s or %s, not %q", HAR, JSONL, opts.Format)
	}
	q, err := query.Parse(opts.Query, time.Local)
	if err != nil {
		return 0, fmt.Errorf("--q %q: %w", opts.Query, err)
	}
	if _, err := os.Stat(opts.DB); errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("no database at %s", opts.DB)
	}
	st, err := open(opts.DB)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var f store.Filter
	if !q.Empty() {
		f.Query = q
	}
	if opts.Out == "" || opts.Out == "-" {
		return write(w, st, f, opts.Format)
	}
	return writeFile(opts.Out, st, f, opts.Format)
}

func write(w io.Writer, st *store.Store, f store.Filter, format string) (int, error) {
	if format == HAR {
		return export.ExportHAR(w, st, f, "")
	}
	return export.ExportJSONL(w, st, f)
}

// writeFile writes next to path and renames into place, so a failed export
// leaves no half file where a complete one was expected.
func writeFile(path string, st *store.Store, f store.Filter, format string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	n, err := write(tmp, st, f, format)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("export to %s: %w", path, err)
	}
	return n, nil
}

// Import stores the captures of a HAR file or a JSON Lines export read from
// r, each classified into its project and checked as on arrival, skipping
// those the database holds already. It returns what it did and the format
// it read. The database is opened first, so a held one is said before a
// large file is read; one this call created and left empty is removed.
func Import(dbPath string, r io.Reader) (res export.ImportResult, format string, err error) {
	_, statErr := os.Stat(dbPath)
	created := errors.Is(statErr, fs.ErrNotExist)
	st, err := open(dbPath)
	if err != nil {
		return res, "", err
	}
	defer func() {
		empty, eerr := st.Empty()
		if cerr := st.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if created && eerr == nil && empty {
			os.Remove(dbPath)
		}
	}()
	caps, format, err := export.ReadCaptures(r)
	if err != nil {
		return res, "", err
	}
	book := projects.New(st)
	for _, c := range caps {
		book.Classify(c)
	}
	res, err = export.Import(st, caps)
	return res, format, err
}
