package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// json re-indents with json.Indent, which works on the bytes themselves, so
// number literals, key order and string escapes stay exactly as sent.
func (r *renderer) json(body []byte) {
	if indentedSize(body) > maxFormatted {
		r.note("too large or deeply nested to pretty-print; shown as sent")
		r.raw(body, KindJSON)
		return
	}
	var buf bytes.Buffer
	buf.Grow(len(body) + len(body)/2)
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		r.malformed(body, "json", jsonError(body, err))
		return
	}
	r.formatted(body, bytes.TrimRight(buf.Bytes(), " \t\r\n"), "json")
}

func jsonError(body []byte, err error) *SyntaxError {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &SyntaxError{Msg: err.Error()}
	}
	// Offset counts the bytes read, the offending one included.
	pos := int(se.Offset) - 1
	if pos < 0 {
		pos = 0
	}
	if strings.Contains(se.Error(), "unexpected end") || pos >= len(body) {
		// Ran out of input: point just past the last visible character
		// rather than at a trailing newline.
		pos = len(bytes.TrimRight(body, " \t\r\n"))
	}
	line, col := lineCol(body, pos)
	return &SyntaxError{Line: line, Col: col, Msg: se.Error()}
}

// indentedSize bounds the length json.Indent will produce, which grows with
// nesting depth times the number of elements, before paying for it.
func indentedSize(b []byte) int {
	size, depth := len(b), 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			size += 1 + 2*depth
		case '}', ']':
			depth = max(depth-1, 0)
			size += 1 + 2*depth
		case ',':
			size += 1 + 2*depth
		case ':':
			size++
		}
	}
	return size
}
