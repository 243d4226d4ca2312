package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// viewsPanel lists, under the projects, the views saved for the project
// chosen: a click puts a view's query in the search field.
type viewsPanel struct {
	w       *Window
	project string
	views   []store.View
	box     *fyne.Container
	content fyne.CanvasObject
}

func newViewsPanel(w *Window) *viewsPanel {
	v := &viewsPanel{w: w, box: container.NewVBox()}
	v.content = v.box
	return v
}

func (v *viewsPanel) object() fyne.CanvasObject { return v.content }

// show reads the views of project and lists them.
func (v *viewsPanel) show(project string) {
	v.project = project
	background(v.w, func() ([]store.View, error) { return v.w.st.Views(project) }, func(views []store.View, err error) {
		if err != nil || project != v.project {
			return
		}
		v.views = views
		v.rebuild()
	})
}

func (v *viewsPanel) rebuild() {
	v.box.RemoveAll()
	if len(v.views) == 0 {
		v.box.Refresh()
		return
	}
	v.box.Add(widget.NewLabelWithStyle("Views", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, view := range v.views {
		open := widget.NewButton(view.Name, func() { v.w.top.search.SetText(view.Query) })
		open.Alignment = widget.ButtonAlignLeading
		open.Importance = widget.LowImportance
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.delete(view) })
		del.Importance = widget.LowImportance
		v.box.Add(container.NewBorder(nil, nil, nil, del, open))
	}
	v.box.Refresh()
}

func (v *viewsPanel) delete(view store.View) {
	backgroundDo(v.w, func() error { return v.w.st.DeleteView(view.Project, view.Name) }, func(err error) {
		if err != nil {
			v.w.flash("Could not delete the view: " + err.Error())
			return
		}
		v.w.flash("Deleted the view “" + view.Name + "”")
		v.show(v.project)
	})
}
