package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefExportDir is the folder the last export went to; the next one starts
// there.
const prefExportDir = "ui.exportDir"

// errNothingToExport is an export that matched no capture: no file is left
// behind and the user is told, rather than handed an empty file.
var errNothingToExport = errors.New("no capture matches the current filter; nothing was written")

// exportToFile writes an export to the file at path, which is taken as typed:
// "~/" is the home folder, and a relative name is in dir. It writes a
// temporary file beside the target and renames it, so a failed export never
// leaves a partial file or damages one that was there. It returns the path
// written and how many captures went in.
func exportToFile(path, dir string, write func(io.Writer) (int, error)) (string, int, error) {
	path, err := resolveExportPath(path, dir)
	if err != nil {
		return "", 0, err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return path, 0, fmt.Errorf("%s is a folder: type a file name after it", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return path, 0, fmt.Errorf("cannot write in %s: %w", filepath.Dir(path), unwrapPath(err))
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	n, err := write(tmp)
	if err == nil && n == 0 {
		err = errNothingToExport
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600; an export is an ordinary file
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return path, n, err
	}
	return path, n, nil
}

func resolveExportPath(path, dir string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", errors.New("type the file to export to")
	}
	if path == "~" || strings.HasPrefix(path, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the home folder for %s: %w", path, err)
		}
		path = filepath.Join(home, path[1:])
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	return filepath.Clean(path), nil
}

// unwrapPath drops the temporary file's name from an error about it: the
// user typed the target, not our temporary name.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// exportDir is where the export form starts: the last export's folder, or
// home.
func (w *Window) exportDir() string {
	if d := w.app.Preferences().String(prefExportDir); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}

// exportForm asks where an export goes: a path field that takes a full path
// as typed, and Browse… to pick the folder. A failed export leaves the form
// open, the path as typed and the error under it, to be corrected.
type exportForm struct {
	path *escEntry
	// problem is the last export's error, under the path; hidden until one.
	problem *widget.Label
	send    *widget.Button
	dlg     *dialog.CustomDialog
	open    *openDialog
	// submit runs the export, as the Export button does.
	submit func()
}

// saveWith asks for a file and streams an export into it in the
// background; a failure or an export of nothing is said under the path (in
// an error dialog if the form was closed meanwhile).
func (w *Window) saveWith(name string, write func(io.Writer) (int, error)) *exportForm {
	f := &exportForm{path: newEscEntry(w.escape), problem: widget.NewLabel("")}
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	dir := w.exportDir()
	f.path.SetText(filepath.Join(dir, name))
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() { w.browseExportDir(f.path) })
	content := container.NewVBox(
		widget.NewLabel("Export to (a full path, ~/…, or a name in "+dir+"):"),
		container.NewBorder(nil, nil, nil, browse, f.path),
		f.problem,
	)
	f.submit = func() { w.runExport(f, dir, write) }
	f.send = widget.NewButton("Export", f.submit)
	f.send.Importance = widget.HighImportance
	f.dlg = dialog.NewCustomWithoutButtons("Export", content, w.win)
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", f.dlg.Hide), f.send})
	f.path.OnSubmitted = func(string) {
		if !f.send.Disabled() {
			f.submit()
		}
	}
	f.dlg.Resize(fyne.NewSize(640, 0))
	f.open = w.showDialog(dialogExport, f.dlg, nil)
	w.win.Canvas().Focus(f.path) // the path can be typed right away
	return f
}

// runExport writes the export to the path typed in f. Success closes the
// form; an error stays under the path while the form is open.
func (w *Window) runExport(f *exportForm, dir string, write func(io.Writer) (int, error)) {
	typed := f.path.Text
	f.send.Disable()
	background(w, func() (exported, error) {
		p, n, err := exportToFile(typed, dir, write)
		return exported{p, n}, err
	}, func(e exported, err error) {
		f.send.Enable()
		shown := slices.Contains(w.win.Canvas().Overlays().List(), f.open.overlay)
		if err != nil {
			where := e.path
			if where == "" {
				where = typed
			}
			if !shown {
				dialog.ShowError(fmt.Errorf("export to %s: %w", where, err), w.win)
				return
			}
			f.problem.SetText(fmt.Sprintf("Could not export to %s: %v", where, err))
			f.problem.Show()
			return
		}
		if shown {
			f.dlg.Hide()
		}
		w.app.Preferences().SetString(prefExportDir, filepath.Dir(e.path))
		w.flash(fmt.Sprintf("Exported %s to %s", captureCount(e.n), e.path))
	})
}

type exported struct {
	path string
	n    int
}

// browseExportDir picks the folder with Fyne's folder dialog, starting at
// the folder the path names, and keeps the file name.
func (w *Window) browseExportDir(path *escEntry) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("choose a folder: %w", err), w.win)
			return
		}
		if u != nil {
			path.SetText(filepath.Join(u.Path(), filepath.Base(path.Text)))
		}
	}, w.win)
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(path.Text))); err == nil {
		d.SetLocation(l)
	}
	w.showDialog("", d, nil)
}
