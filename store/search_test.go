package store

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestTextSearchIDsAgreeWithTheList: the IDs a text search returns (read by
// several workers at once) are exactly those List pages through, in order,
// with the other filters too.
func TestTextSearchIDsAgreeWithTheList(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: -1})
	base := time.Now().Add(-time.Hour)
	for i := range 700 {
		body := "{}"
		if i%7 == 0 {
			body = fmt.Sprintf(`{"note":"Needle %d"}`, i)
		}
		c := sample([]string{"POST", "PUT"}[i%2], fmt.Sprintf("/p/%d", i), "", body)
		c.ReceivedAt = base.Add(time.Duration(i) * time.Second)
		if i%50 == 3 {
			c.Header.Set("X-Tag", "needle-in-header")
		}
		if err := s.Put(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []Filter{
		{Text: "needle"},
		{Text: "NEEDLE", Method: "PUT"},
		{Text: "needle", Since: base.Add(300 * time.Second)},
		{Text: "absent-word"},
	} {
		var want []ID
		all, _ := listPaged(t, s, f, 37)
		for _, sum := range all {
			want = append(want, sum.ID)
		}
		slices.Reverse(want)
		got, err := s.IDs(f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%+v: IDs found %d, List %d", f, len(got), len(want))
		}
		if f.Text == "needle" && f.Since.IsZero() && len(got) != 100+12 {
			t.Fatalf("%d hits, want 112 (100 bodies, 12 more headers)", len(got))
		}
	}
}

// TestListSplitAcrossCoresPagesAsOneScan: List's parallel scan gives every
// page and cursor the single backward scan gives, for texts in every other
// capture, in few, in none, with other filters, on IDs bunched in time (most
// chunks of the key range empty, one holding nearly all).
func TestListSplitAcrossCoresPagesAsOneScan(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: -1})
	base := time.Now().Add(-48 * time.Hour)
	for i := range 600 {
		body := fmt.Sprintf(`{"n":%d}`, i)
		switch {
		case i%97 == 5:
			body += " Rare-Word"
		case i%2 == 0:
			body += " common"
		}
		c := sample([]string{"POST", "PUT"}[i%3/2], fmt.Sprintf("/p/%d", i), "", body)
		c.ReceivedAt = base.Add(time.Duration(i) * time.Millisecond) // a burst
		if i%10 == 0 {
			c.ReceivedAt = base.Add(time.Duration(i) * time.Minute) // and a trickle
		}
		c.ID = s.NewID(c.ReceivedAt)
		mustPut(t, s, c)
	}
	for _, f := range []Filter{
		{Text: "common"},
		{Text: "rare-word"},
		{Text: "absent"},
		{Text: "common", Method: "PUT"},
		{Text: "p/", Since: base.Add(3 * time.Hour)},
	} {
		for _, limit := range []int{1, 7, 50} {
			for before := ID(0); ; {
				page, next, err := s.listParallel(f, before, limit)
				if err != nil {
					t.Fatal(err)
				}
				want, wantNext, err := s.listSerial(f, before, limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(page, want, func(a, b Summary) bool { return a.ID == b.ID }) || next != wantNext {
					t.Fatalf("%+v, limit %d, before %d: %d captures and next %d, one scan %d and %d",
						f, limit, before, len(page), next, len(want), wantNext)
				}
				if next == 0 {
					break
				}
				before = next
			}
		}
	}
}
