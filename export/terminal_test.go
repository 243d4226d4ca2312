package export

import "testing"

func TestTerminalSafeEscapesControlsAndKeepsText(t *testing.T) {
	for in, want := range map[string]string{
		"/orders/ünïcode?a=1": "/orders/ünïcode?a=1",
		"/a\u009b31mb":        `/a\xc2\x9b31mb`,
		"/a\x1b[2Jb":          `/a\x1b[2Jb`,
		"/del\x7f":            `/del\x7f`,
		"/bad\xff":            `/bad\xff`,
		"/two\nlines\ttab":    `/two\x0alines\x09tab`,
	} {
		if got := TerminalSafe(in); got != want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
