package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"hookscope/store"
)

// sameIcon reports whether two icon resources draw the same thing in the
// same colour.
func sameIcon(a, b fyne.Resource) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name() == b.Name() && iconColor(a) == iconColor(b)
}

func iconColor(r fyne.Resource) fyne.ThemeColorName {
	if t, ok := r.(*theme.ThemedResource); ok {
		return t.ColorName
	}
	return ""
}

var sigStatuses = []string{"valid", "invalid", "missing_header", "unsigned", "no_secret"}

// TestSignatureStatusesLookDifferentInTheList: a row of each status shows
// an icon of its own in a colour of its own, and the detail says it in words.
func TestSignatureStatusesLookDifferentInTheList(t *testing.T) {
	h := newHarness(t)
	icons := map[string]string{}
	colors := map[fyne.ThemeColorName]string{}
	texts := map[string]string{}
	for _, status := range sigStatuses {
		if err := h.st.Put(&store.Capture{Method: "POST", Path: "/sig/" + status, Signature: store.Signature{Status: status}}); err != nil {
			t.Fatal(err)
		}
		r := h.w.list.newRow().(*captureRow)
		r.set(store.Summary{Method: "POST", Path: "/sig/" + status, SignatureStatus: status}, time.Now())
		res := r.sig.Resource
		if res == nil {
			t.Fatalf("%s: no icon", status)
		}
		if other, ok := icons[res.Name()]; ok {
			t.Errorf("%s and %s show the same icon %s", status, other, res.Name())
		}
		icons[res.Name()] = status
		c := iconColor(res)
		if c == "" {
			t.Errorf("%s: icon %s has no theme colour", status, res.Name())
		}
		if other, ok := colors[c]; ok {
			t.Errorf("%s and %s show the same colour %q", status, other, c)
		}
		colors[c] = status
		text := summaryText(&store.Capture{Method: "POST", Signature: store.Signature{Status: status}}, time.Now())
		words := text[strings.LastIndex(text, " · ")+3:]
		if other, ok := texts[words]; ok || words == "" || strings.Contains(text, "project Unsorted"+words) {
			t.Errorf("%s: the detail says %q (as for %q)", status, words, other)
		}
		texts[words] = status
	}
}

// TestSignatureFilterNarrowsTheList: choosing "Signature: invalid" leaves
// the captures whose check failed, and captures arriving live follow it.
func TestSignatureFilterNarrowsTheList(t *testing.T) {
	h := newHarness(t)
	put := func(status string) {
		if err := h.st.Put(&store.Capture{Method: "POST", Path: "/sig/" + status, Signature: store.Signature{Status: status}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, status := range sigStatuses {
		put(status)
	}
	h.q.until(t, "five rows", func() bool { return h.rows() == 5 })
	h.w.top.sig.SetSelected("Signature: invalid")
	h.q.until(t, "the invalid one", func() bool { return h.rows() == 1 && h.rowText(0) == "POST /sig/invalid" })
	put("valid")
	put("invalid")
	h.q.until(t, "the live invalid one", func() bool { return h.rows() == 2 })
	h.q.until(t, "the count", func() bool { return h.w.top.count.Text == "2 of 7 captures" })
	h.w.top.sig.SetSelected("Any signature")
	h.q.until(t, "all rows", func() bool { return h.rows() == 7 })
}
