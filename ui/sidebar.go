package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/store"
)

// recountEvery throttles full per-project recounts; new captures are counted
// as they arrive in between.
const recountEvery = time.Second

// sidebar lists All, Unsorted and each project with its capture count;
// choosing one filters the capture list.
type sidebar struct {
	w        *Window
	projects []store.Project
	counts   map[string]int
	total    int
	list     *widget.List
	selected int
	recounts throttle
	counted  bool // counts hold a full count (until then rows show none)
	// countedTo is the newest capture the last full count read: an Added
	// event at or below it is in the counts already. addedSince are the
	// captures counted from events while a count is read (nil otherwise).
	countedTo  store.ID
	addedSince []store.Summary
	content    fyne.CanvasObject
	views      *viewsPanel // the chosen project's saved queries
	// edit is the pencil; choices the projects it offered last, with All
	// or Unsorted chosen.
	edit    *widget.Button
	choices *fyne.Menu
}

func newSidebar(w *Window) *sidebar {
	s := &sidebar{w: w, counts: map[string]int{}, views: newViewsPanel(w), recounts: throttle{every: recountEvery}}
	s.list = widget.NewList(
		func() int { return 2 + len(s.projects) },
		func() fyne.CanvasObject {
			// A long project name is cut, not the sidebar widened: its
			// minimum width is the split's, and the list's paths paid.
			name := widget.NewLabel("project name")
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewLabel("0000000"), name)
		},
		s.updateRow,
	)
	s.list.OnSelected = s.onSelected
	s.list.Select(0)
	title := widget.NewLabelWithStyle("Projects", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	// When the sidebar is narrow the buttons go into a More menu before
	// the title is cut.
	s.edit = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), w.editSelectedProject)
	bar := newOverflowRowAligned(w.win.Canvas, true,
		widget.NewButtonWithIcon("", theme.ContentAddIcon(), w.newProject),
		s.edit,
		widget.NewButtonWithIcon("", theme.DeleteIcon(), w.deleteSelectedProject),
	)
	s.content = container.NewBorder(container.NewBorder(nil, nil, title, nil, bar), s.views.object(), nil, nil, s.list)
	return s
}

func (s *sidebar) object() fyne.CanvasObject { return s.content }

// entry gives the row's label and the filter value it selects.
func (s *sidebar) entry(row int) (label, project string, count int) {
	switch row {
	case 0:
		return "All", "", s.total
	case 1:
		return "Unsorted", store.Unsorted, s.counts[""]
	default:
		p := s.projects[row-2]
		name := p.Name
		if name == "" {
			name = p.Slug
		}
		return name, p.Slug, s.counts[p.Slug]
	}
}

func (s *sidebar) updateRow(row int, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	label, project, count := s.entry(row)
	c.Objects[0].(*widget.Label).SetText(s.w.unread.mark(project, label))
	if !s.counted {
		// Counting reads every capture: on a large store that takes a
		// moment, and a 0 meanwhile would be wrong.
		c.Objects[1].(*widget.Label).SetText("")
		return
	}
	c.Objects[1].(*widget.Label).SetText(groupDigits(count))
}

func (s *sidebar) onSelected(row int) {
	s.selected = row
	s.w.unread.viewed()
	_, project, _ := s.entry(row)
	f := s.w.list.filter
	f.Project = project
	s.w.list.setFilter(f)
	s.views.show(project)
}

// selectedProject is the project chosen in the sidebar, if a real one is.
func (s *sidebar) selectedProject() (store.Project, bool) {
	if s.selected < 2 || s.selected-2 >= len(s.projects) {
		return store.Project{}, false
	}
	return s.projects[s.selected-2], true
}

// reload reads projects and counts in the background.
func (s *sidebar) reload() {
	type result struct {
		projects []store.Project
		counts   map[string]int
		newest   store.ID
	}
	s.recounts.ran()
	s.addedSince = []store.Summary{}
	background(s.w, func() (result, error) {
		ps, err := s.w.st.Projects()
		if err != nil {
			return result{}, err
		}
		counts, newest, err := s.w.st.ProjectCounts()
		return result{ps, counts, newest}, err
	}, func(r result, err error) {
		if err != nil {
			return
		}
		_, current, _ := s.entry(s.selected)
		s.projects, s.counts, s.countedTo = r.projects, r.counts, r.newest
		s.counted = true
		s.total = 0
		for _, n := range r.counts {
			s.total += n
		}
		// Captures counted from events while the store was read, and
		// newer than what it read, are not in its counts.
		for _, a := range s.addedSince {
			if a.ID > r.newest {
				s.counts[a.Project]++
				s.total++
			}
		}
		s.addedSince = nil
		// Keep the same project selected when the list around it changed.
		row := 0
		for i := 0; i < 2+len(s.projects); i++ {
			if _, p, _ := s.entry(i); p == current {
				row = i
			}
		}
		if row != s.selected {
			s.list.Select(row)
		}
		s.list.Refresh()
	})
}

// apply keeps counts current as store events arrive.
func (s *sidebar) apply(events []store.Event) {
	for _, e := range events {
		switch e.Type {
		case store.Added:
			if e.ID <= s.countedTo {
				continue // the last count read it already
			}
			s.counts[e.Summary.Project]++
			s.total++
			if s.addedSince != nil {
				s.addedSince = append(s.addedSince, e.Summary)
			}
		case store.Deleted, store.Cleared, store.Pruned, store.ProjectsChanged, store.Restored:
			s.scheduleRecount()
		}
	}
	s.list.Refresh()
}

func (s *sidebar) scheduleRecount() { s.recounts.ask(s.w, s.reload) }
