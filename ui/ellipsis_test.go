package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestEllipsisTextCutsToItsWidth(t *testing.T) {
	test.NewTempApp(t)
	widths := newRuneWidths(fyne.TextStyle{})
	long := "/shop/orders/1234567890/items/abcdefghij?expand=customer&expand=lines&page=42"
	pad := theme.InnerPadding()
	full := fyne.MeasureText(long, theme.TextSize(), fyne.TextStyle{}).Width

	tests := []struct {
		name  string
		text  string
		width float32
		cut   bool
	}{
		{"short text in a wide cell", "/health", 400, false},
		{"long text with room to spare", long, full + 2*pad + 20, false},
		{"long text in a narrow cell", long, 160, true},
		{"long text in a very narrow cell", long, 40, true},
		{"non-ASCII text cut", strings.Repeat("é€ü", 30), 120, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEllipsisText(widths)
			e.SetText(tc.text)
			e.Resize(fyne.NewSize(tc.width, e.MinSize().Height))
			test.WidgetRenderer(e).Layout(e.Size())
			shown := e.Shown()
			if !tc.cut {
				if shown != tc.text {
					t.Fatalf("shown %q, want the whole text", shown)
				}
				return
			}
			if !strings.HasSuffix(shown, ellipsis) {
				t.Fatalf("shown %q: a cut text must end with an ellipsis", shown)
			}
			if !strings.HasPrefix(tc.text, strings.TrimSuffix(shown, ellipsis)) {
				t.Fatalf("shown %q is not a prefix of %q", shown, tc.text)
			}
			if w := fyne.MeasureText(shown, theme.TextSize(), fyne.TextStyle{}).Width; w > tc.width-2*pad {
				t.Fatalf("shown %q is %.1f wide, over the %.1f available", shown, w, tc.width-2*pad)
			}
		})
	}

	// Changing the text of a laid-out cell cuts the new one.
	e := newEllipsisText(widths)
	e.Resize(fyne.NewSize(120, 30))
	e.SetText(long)
	if e.Shown() == long || !strings.HasSuffix(e.Shown(), ellipsis) {
		t.Fatalf("after SetText on a 120-wide cell: %q", e.Shown())
	}
	e.SetText("/a")
	if e.Shown() != "/a" {
		t.Fatalf("after SetText(/a): %q", e.Shown())
	}
}
