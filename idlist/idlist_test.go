package idlist

import (
	"fmt"
	"slices"
	"testing"

	"hookscope/store"
)

type ids = []store.ID

// step is one thing that happens to a list.
type step struct {
	reload   bool
	snapshot ids // a reload's read lands
	complete bool
	insert   ids
	del      store.ID
	prune    store.ID
	before   store.ID // a time filter's start moves
}

func (s step) apply(l *List) string {
	switch {
	case s.reload:
		l.Reload()
	case s.snapshot != nil:
		l.Snapshot(slices.Clone(s.snapshot), s.complete)
	case s.insert != nil:
		return fmt.Sprint("on top ", l.Insert(s.insert))
	case s.del != 0:
		return fmt.Sprint("row ", l.Delete(s.del))
	case s.prune != 0:
		return fmt.Sprint("gone ", uints(l.Prune(s.prune)))
	case s.before != 0:
		return fmt.Sprint("gone ", uints(l.DropBefore(s.before)))
	}
	return ""
}

// uints prints IDs as numbers (an ID prints as hex).
func uints(l ids) []uint64 {
	out := []uint64{}
	for _, id := range l {
		out = append(out, uint64(id))
	}
	return out
}

func TestList(t *testing.T) {
	tests := map[string]struct {
		steps  []step
		says   []string // what the steps returned, those that return something
		want   ids      // oldest first
		loaded bool
	}{
		"a reload lands": {
			steps: []step{{reload: true}, {snapshot: ids{1, 2, 3}, complete: true}},
			want:  ids{1, 2, 3}, loaded: true,
		},
		// While a reload reads IDs, captures keep arriving and going: the
		// snapshot it lands with gains the newer ones and loses the
		// deleted and pruned.
		"what happened during the read": {
			steps: []step{
				{reload: true},
				{insert: ids{4, 7, 9}},
				{del: 3},
				{prune: 1},
				{snapshot: ids{1, 2, 3, 4, 5}, complete: true},
			},
			says: []string{"on top 3", "row -1", "gone []"},
			want: ids{2, 4, 5, 7, 9}, loaded: true,
		},
		"a first page, then all": {
			steps: []step{
				{reload: true},
				{snapshot: ids{8, 9}},
				{insert: ids{10}},
				{snapshot: ids{1, 2, 8, 9}, complete: true},
			},
			says: []string{"on top 1"},
			want: ids{1, 2, 8, 9, 10}, loaded: true,
		},
		"the first page alone is not loaded": {
			steps: []step{{reload: true}, {snapshot: ids{8, 9}}},
			want:  ids{8, 9},
		},
		"an import committed after the read is listed at its time": {
			steps: []step{
				{reload: true},
				{insert: ids{3}},
				{snapshot: ids{1, 5}, complete: true},
			},
			says: []string{"on top 1"},
			want: ids{1, 3, 5}, loaded: true,
		},
		"new captures on top, imported ones among them, each once": {
			steps: []step{
				{reload: true}, {snapshot: ids{2, 4, 6}, complete: true},
				{insert: ids{7, 3, 8, 4, 1}},
			},
			says: []string{"on top 2"},
			want: ids{1, 2, 3, 4, 6, 7, 8}, loaded: true,
		},
		"a deleted capture gives its row": {
			steps: []step{
				{reload: true}, {snapshot: ids{1, 2, 3}, complete: true},
				{del: 3}, {del: 1}, {del: 9},
			},
			says: []string{"row 0", "row 1", "row -1"},
			want: ids{2}, loaded: true,
		},
		"retention prunes the oldest, and what arrives pruned is never listed": {
			steps: []step{
				{reload: true}, {snapshot: ids{1, 2, 3, 4}, complete: true},
				{prune: 2},
				{insert: ids{2, 5}},
				{prune: 1},
			},
			says: []string{"gone [1 2]", "on top 1", "gone []"},
			want: ids{3, 4, 5}, loaded: true,
		},
		"a time filter's start moves past the oldest": {
			steps: []step{
				{reload: true}, {snapshot: ids{10, 20, 30}, complete: true},
				{before: 20}, {before: 5},
			},
			says: []string{"gone [10]", "gone []"},
			want: ids{20, 30}, loaded: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var l List
			var says []string
			for _, s := range tc.steps {
				if said := s.apply(&l); said != "" {
					says = append(says, said)
				}
			}
			if !slices.Equal(says, tc.says) {
				t.Errorf("steps said %q, want %q", says, tc.says)
			}
			if !slices.Equal(l.IDs(), tc.want) || l.Loaded() != tc.loaded {
				t.Fatalf("ids %v loaded %v, want %v loaded %v", l.IDs(), l.Loaded(), tc.want, tc.loaded)
			}
			for row := range l.Len() {
				if id := l.At(row); id != tc.want[len(tc.want)-1-row] || l.Row(id) != row {
					t.Fatalf("row %d holds %d (Row gives %d); want the newest first", row, id, l.Row(id))
				}
			}
		})
	}
}

func TestMerge(t *testing.T) {
	for _, tc := range []struct{ sorted, unsorted, want ids }{
		{ids{1, 5, 9}, ids{7, 3}, ids{1, 3, 5, 7, 9}},
		{ids{2, 4}, ids{4, 1, 1}, ids{1, 2, 4}},
		{nil, ids{3, 2}, ids{2, 3}},
		{ids{1}, nil, ids{1}},
	} {
		if got := merge(slices.Clone(tc.sorted), slices.Clone(tc.unsorted)); !slices.Equal(got, tc.want) {
			t.Errorf("merge(%v, %v) = %v, want %v", tc.sorted, tc.unsorted, got, tc.want)
		}
	}
}
