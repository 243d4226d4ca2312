package ui

import (
	"fmt"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// newProject opens the editor on a new project. It has no webhooks: the
// Webhooks page offers the default actions to add, as a project needs only
// the ones its platform calls.
func (w *Window) newProject() {
	w.showProjectEditor(store.Project{}, true)
}

// editSelectedProject opens the editor on the project chosen in the sidebar,
// read afresh from the store.
func (w *Window) editSelectedProject() {
	sel, ok := w.side.selectedProject()
	if !ok {
		dialog.ShowInformation("No project selected", "Choose a project in the sidebar to edit it, or create one.", w.win)
		return
	}
	background(w, func() (store.Project, error) { return w.st.Project(sel.Slug) }, func(p store.Project, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		w.showProjectEditor(p, false)
	})
}

// deleteSelectedProject deletes the project chosen in the sidebar after the
// user confirms.
func (w *Window) deleteSelectedProject() {
	p, ok := w.side.selectedProject()
	if !ok {
		dialog.ShowInformation("No project selected", "Choose a project in the sidebar to delete it.", w.win)
		return
	}
	w.confirmDeleteProject(p, nil)
}

// confirmDeleteProject asks, then deletes the project in the background; its
// captures stay, moved to Unsorted. deleted runs after a successful delete.
func (w *Window) confirmDeleteProject(p store.Project, deleted func()) {
	name := projectTitle(p)
	msg := fmt.Sprintf("%s (/%s/…), its webhooks and their delivery history are deleted.\n"+
		"Its captures stay, moved to Unsorted.", name, p.Slug)
	d := dialog.NewConfirm("Delete project "+name+"?", msg, func(ok bool) {
		if !ok {
			return
		}
		background(w, func() (struct{}, error) { return struct{}{}, w.srv.Projects().Delete(p.Slug) }, func(_ struct{}, err error) {
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.flash("Deleted project " + name + "; its captures moved to Unsorted")
			w.side.reload()
			if deleted != nil {
				deleted()
			}
		})
	}, w.win)
	d.SetConfirmText("Delete")
	d.SetDismissText("Keep")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// onProjectsChanged refreshes the log of the open editor; the window calls
// it when a batch of store events holds store.ProjectsChanged or
// store.DeliveryRecorded (a delivery updated a lastCall, say).
func (w *Window) onProjectsChanged() {
	if e := w.editor; e != nil {
		e.reloadLog()
	}
}

func projectTitle(p store.Project) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Slug
}
