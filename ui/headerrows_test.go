package ui

import (
	"net/http"
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"

	"hookscope/store"
)

// The header editor gives the rows back as typed, in order: as fields for a
// project, and as an http.Header (a name on two rows sent twice, nameless
// rows left out) for a request; setValues shows what was really sent on the
// row of that name, or on a new row.
func TestHeaderRowsGiveBackTheRowsInOrder(t *testing.T) {
	test.NewTempApp(t)
	changes := 0
	h := (&Window{}).newHeaderRows(headerRowsOptions{onChanged: func() { changes++ }})
	h.set([]store.HeaderField{{Name: "X-Trace", Value: "a"}, {Name: "Content-Type", Value: "application/json"}})
	if changes != 0 {
		t.Fatalf("filling the editor counted as %d edits", changes)
	}
	addHeader(h, "x-trace", "b")
	test.Tap(h.addButton) // a blank row: not a header
	r := addHeader(h, "", "orphan value")

	fields, rowOf := h.fields()
	want := []store.HeaderField{{Name: "X-Trace", Value: "a"}, {Name: "Content-Type", Value: "application/json"}, {Name: "x-trace", Value: "b"}, {Name: "", Value: "orphan value"}}
	if !reflect.DeepEqual(fields, want) || !reflect.DeepEqual(rowOf, []int{0, 1, 2, 4}) {
		t.Fatalf("fields %+v rows %v", fields, rowOf)
	}
	if got := h.header(); !reflect.DeepEqual(got, http.Header{"X-Trace": {"a", "b"}, "Content-Type": {"application/json"}}) {
		t.Fatalf("header %v", got)
	}

	h.setValues("content-type", []string{"text/plain"})
	h.setValues("X-Hub-Signature-256", []string{"sha256=abc"})
	if h.rows[1].value.Text != "text/plain" || len(h.rows) != 6 || h.rows[5].name.Text != "X-Hub-Signature-256" {
		t.Fatalf("after setValue: %+v", h.header())
	}
	test.Tap(r.remove)
	if len(h.rows) != 5 || changes == 0 {
		t.Fatalf("%d rows, %d edits after removing one", len(h.rows), changes)
	}
}
