package query

import (
	"strconv"
	"strings"
)

// MatchString tests a text value: Match is equality ignoring ASCII case,
// '*' standing for any run of characters (path:/isahit/* finds every path
// under /isahit/); a comparison compares numbers, so it needs both to be
// numbers.
func (t *Term) MatchString(s string) bool {
	if t.Op != Match {
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		return err == nil && t.MatchNumber(n)
	}
	if t.IsNum {
		// A JSON number or a header's digits: 1.0 is 1.
		if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return n == t.Num
		}
	}
	return Glob(t.Value, s)
}

// MatchNumber tests a number: a size, a status, a JSON number or an array's
// length.
func (t *Term) MatchNumber(n float64) bool {
	if t.Field == Status && !t.IsNum { // 5xx
		s := strconv.FormatFloat(n, 'f', -1, 64)
		if len(s) != len(t.Value) {
			return false
		}
		for i := range s {
			if t.Value[i] != 'x' && t.Value[i] != s[i] {
				return false
			}
		}
		return true
	}
	switch t.Op {
	case Greater:
		return n > t.Num
	case GreaterEq:
		return n >= t.Num
	case Less:
		return n < t.Num
	case LessEq:
		return n <= t.Num
	}
	return t.IsNum && n == t.Num
}

// Glob reports whether s matches pattern, ignoring ASCII case, where '*'
// matches any run of characters, '/' included.
func Glob(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return strings.EqualFold(pattern, s)
	}
	prefix := pattern[:star]
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return false
	}
	s, pattern = s[len(prefix):], pattern[star+1:]
	for {
		next := strings.IndexByte(pattern, '*')
		if next < 0 {
			return len(s) >= len(pattern) && strings.EqualFold(s[len(s)-len(pattern):], pattern)
		}
		part := pattern[:next]
		i := indexFold(s, part)
		if i < 0 {
			return false
		}
		s, pattern = s[i+len(part):], pattern[next+1:]
	}
}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
