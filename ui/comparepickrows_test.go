package ui

import (
	"strings"
	"testing"
)

// pickerRows are the picker's rows as shown.
func pickerRows(p *comparePicker) []string {
	var out []string
	for i := range p.list.Length() {
		o := p.list.CreateItem()
		p.list.UpdateItem(i, o)
		out = append(out, lineText(o))
	}
	return out
}

// Events posted to one path within a minute differ in the picker by what
// tells them apart: the time to the second, the size, the signature check
// and the body's type; the capture shown is not offered.
func TestCompareWithRowsTellSamePathEventsApart(t *testing.T) {
	h := newHarness(t)
	annotation, review := h.twoIsahitEvents()
	p := h.openPicker(1)
	if p.found[0].ID != annotation || p.found[0].ID == review {
		t.Fatalf("the picker offers %v, want the annotation only", p.found[0].ID)
	}
	h.post("/isahit/results", "application/json", `{"type":"review","taskId":"task-003"}`)
	p.search()
	h.q.until(t, "two rows", func() bool { return len(p.found) == 2 })
	rows := pickerRows(p)
	for i, s := range p.found {
		row := rows[i]
		for _, want := range []string{
			"POST /isahit/results", "Isahit",
			s.ReceivedAt.Local().Format("15:04:05"), humanSize(s.Size), "unsigned", "type: ",
		} {
			if !strings.Contains(row, want) {
				t.Errorf("row %d %q lacks %q", i, row, want)
			}
		}
	}
	if !strings.Contains(rows[0], "type: review") || !strings.Contains(rows[1], "type: annotation") {
		t.Errorf("the rows do not say which event they are: %q", rows)
	}
	for _, o := range []string{rows[0], rows[1]} {
		if strings.Contains(o, "\n") {
			t.Errorf("a row line holds a line break: %q", o)
		}
	}
}
