package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
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

// editSelectedProject opens the editor on the project chosen in the sidebar;
// with All or Unsorted chosen, it offers the projects to pick one.
func (w *Window) editSelectedProject() {
	sel, ok := w.side.selectedProject()
	if !ok {
		w.side.offerProjects()
		return
	}
	w.editProject(sel.Slug)
}

// offerProjects opens below the pencil a menu of the projects to edit, the
// rules of Unsorted when it is chosen, and New project: with no project
// chosen there is none to edit, and a message after the click only said so.
func (s *sidebar) offerProjects() {
	w := s.w
	var items []*fyne.MenuItem
	for _, p := range s.projects {
		items = append(items, fyne.NewMenuItem(projectTitle(p), func() { w.editProject(p.Slug) }))
	}
	if s.selected == 1 {
		items = append(items, fyne.NewMenuItem("Rules for Unsorted…", w.showUnsortedRules))
	}
	if len(items) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
	}
	s.choices = fyne.NewMenu("", append(items, fyne.NewMenuItem("New project…", w.newProject))...)
	// Below the pencil, or below the sidebar's title row when a narrow
	// sidebar put the pencil in its More menu.
	var anchor fyne.CanvasObject = s.edit
	if !s.edit.Visible() {
		anchor = s.content
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(anchor).Add(fyne.NewPos(0, s.edit.MinSize().Height))
	widget.ShowPopUpMenuAtPosition(s.choices, w.win.Canvas(), at)
}

// editProject opens the editor on the project slug, read afresh from the
// store.
func (w *Window) editProject(slug string) {
	background(w, func() (store.Project, error) { return w.st.Project(slug) }, func(p store.Project, err error) {
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
