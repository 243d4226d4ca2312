// Package idlist keeps the IDs of the captures a live list shows in step
// with the store: captures arrive, are deleted and pruned while the list
// reads its IDs, and the list must end up with exactly the captures that
// match, in order. It knows nothing of widgets; the window's list keeps its
// rows, selection and summaries around it.
package idlist

import (
	"slices"
	"sort"

	"hookscope/store"
)

// List is the IDs a list shows, oldest first (so a new capture is an
// append); row 0 is the newest. The zero List is empty and not loaded.
type List struct {
	ids []store.ID
	// loaded says ids hold all of the current filter's captures.
	loaded bool
	// deleted are captures deleted while a reload reads IDs, and
	// addedDuring those that matched meanwhile: the reload's snapshot may
	// still hold the former and miss the latter.
	deleted     map[store.ID]bool
	addedDuring []store.ID
	// prunedTo is the ID up to which retention has removed every capture.
	prunedTo store.ID
}

// Len is how many captures are listed.
func (l *List) Len() int { return len(l.ids) }

// At is the capture on row (0 = newest).
func (l *List) At(row int) store.ID { return l.ids[len(l.ids)-1-row] }

// Row is the row of id, -1 when it is not listed. Recent captures are
// found first.
func (l *List) Row(id store.ID) int {
	for i := len(l.ids) - 1; i >= 0; i-- {
		if l.ids[i] == id {
			return len(l.ids) - 1 - i
		}
	}
	return -1
}

// Loaded says the list holds every capture of its filter, not only the
// first page of a reload.
func (l *List) Loaded() bool { return l.loaded }

// IDs is a copy of the listed IDs, oldest first.
func (l *List) IDs() []store.ID { return slices.Clone(l.ids) }

// Pruned says retention has removed id.
func (l *List) Pruned(id store.ID) bool { return id <= l.prunedTo }

// Reload starts a read of the store: until Snapshot(…, true), deletions and
// arrivals are remembered to correct what the read returns.
func (l *List) Reload() {
	l.loaded = false
	l.deleted = map[store.ID]bool{}
	l.addedDuring = nil
}

// Snapshot replaces the IDs with ids (oldest first), as a read begun at
// Reload returned them: captures added since the reload began join them,
// those deleted or pruned since go. complete says ids are all the filter's
// captures, not a first page; the reload is then over.
func (l *List) Snapshot(ids []store.ID, complete bool) {
	last := store.ID(0)
	if len(ids) > 0 {
		last = ids[len(ids)-1]
	}
	var older []store.ID
	for _, id := range l.addedDuring {
		if id > last {
			ids = append(ids, id)
		} else if i, found := slices.BinarySearch(ids, id); !found && i < len(ids) {
			older = append(older, id) // an import committed after the read
		}
	}
	if len(older) > 0 {
		ids = merge(ids, older)
	}
	kept := ids[:0]
	for _, id := range ids {
		if id > l.prunedTo && !l.deleted[id] {
			kept = append(kept, id)
		}
	}
	l.ids = kept
	if complete {
		l.loaded = true
		l.deleted, l.addedDuring = nil, nil
	}
}

// Insert lists new captures: those newer than every listed one on top (it
// returns how many), imported ones at their place, pruned ones not at all.
func (l *List) Insert(ids []store.ID) (onTop int) {
	last := store.ID(0)
	if len(l.ids) > 0 {
		last = l.ids[len(l.ids)-1]
	}
	var older []store.ID // imported captures, listed at their receive time
	for _, id := range ids {
		if id <= l.prunedTo {
			continue // retention took it before it was shown
		}
		if !l.loaded {
			l.addedDuring = append(l.addedDuring, id)
		}
		if id > last {
			l.ids = append(l.ids, id)
			last = id
			onTop++
		} else {
			older = append(older, id)
		}
	}
	if len(older) > 0 {
		l.ids = merge(l.ids, older)
	}
	return onTop
}

// Delete unlists a deleted capture and returns the row it had, -1 when it
// was not listed.
func (l *List) Delete(id store.ID) (row int) {
	if l.deleted != nil {
		l.deleted[id] = true
	}
	row = l.Row(id)
	if row >= 0 {
		i := len(l.ids) - 1 - row
		l.ids = slices.Delete(l.ids, i, i+1)
	}
	return row
}

// Prune unlists every capture up to upTo, which retention removed, and
// returns them.
func (l *List) Prune(upTo store.ID) (gone []store.ID) {
	l.prunedTo = max(l.prunedTo, upTo)
	return l.cut(sort.Search(len(l.ids), func(i int) bool { return l.ids[i] > upTo }))
}

// DropBefore unlists the captures whose ID is below since, and returns
// them: a relative time filter ("last 5 minutes") moved its start, and a
// capture whose ID is below it was received before it (IDs are never below
// their receive time).
func (l *List) DropBefore(since store.ID) (gone []store.ID) {
	return l.cut(sort.Search(len(l.ids), func(i int) bool { return l.ids[i] >= since }))
}

// cut removes the n oldest IDs and returns them.
func (l *List) cut(n int) []store.ID {
	if n == 0 {
		return nil
	}
	gone := l.ids[:n:n]
	l.ids = l.ids[n:]
	return gone
}

// merge merges unsorted into sorted (both oldest first) in one pass, each ID
// once: a sort of a million IDs would hold the UI goroutine.
func merge(sorted, unsorted []store.ID) []store.ID {
	slices.Sort(unsorted)
	out := make([]store.ID, 0, len(sorted)+len(unsorted))
	i, j := 0, 0
	for i < len(sorted) || j < len(unsorted) {
		switch {
		case j == len(unsorted) || (i < len(sorted) && sorted[i] < unsorted[j]):
			out = append(out, sorted[i])
			i++
		case i < len(sorted) && sorted[i] == unsorted[j]:
			j++ // already listed
		default:
			if len(out) == 0 || out[len(out)-1] != unsorted[j] {
				out = append(out, unsorted[j])
			}
			j++
		}
	}
	return out
}
