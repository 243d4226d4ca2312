package export

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// textual reports whether b can be shown and carried as text: valid UTF-8
// with no control characters but tab and newline (and carriage return when
// allowCR). Anything else is treated as binary so no output form ever
// replaces, drops or reinterprets a byte.
func textual(b []byte, allowCR bool) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if !plainRune(r, size, allowCR) {
			return false
		}
		i += size
	}
	return true
}

// plainRune reports whether the rune decoded with size is printable text.
func plainRune(r rune, size int, allowCR bool) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return false // invalid UTF-8
	case r == '\t' || r == '\n':
		return true
	case r == '\r':
		return allowCR
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r <= 0x9f:
		return false // C1 controls: terminals act on them
	}
	return true
}

// pair is one name and value of a query string or form, decoded.
type pair struct{ name, value string }

// splitQuery decodes a query string or urlencoded form keeping the order and
// every repetition of a key, which url.ParseQuery (a map) loses. A part that
// does not decode is kept as it was sent rather than dropped.
func splitQuery(raw string) []pair {
	var out []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		out = append(out, pair{unescapeOrRaw(name), unescapeOrRaw(value)})
	}
	return out
}

func unescapeOrRaw(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// TerminalSafe returns s for a line printed on a terminal: every byte that
// is not plain text (C0 and C1 controls, DEL, invalid UTF-8; and tab and
// newline, so the line stays one line) is written as \xHH, as the curl
// lines write them. U+009B acts as CSI in terminals that take 8-bit
// controls (ECMA-48 §5.3), and ESC starts an escape sequence in all.
func TerminalSafe(s string) string {
	if textual([]byte(s), false) && !strings.ContainsAny(s, "\t\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if plainRune(r, size, false) && r != '\t' && r != '\n' {
			b.WriteString(s[i : i+size])
		} else {
			for j := i; j < i+size; j++ {
				fmt.Fprintf(&b, `\x%02x`, s[j])
			}
		}
		i += size
	}
	return b.String()
}
