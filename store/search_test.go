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
