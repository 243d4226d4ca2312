package export

import (
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
