package render

import (
	"bytes"
	"strings"
)

var (
	voidElements = map[string]bool{
		"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
		"img": true, "input": true, "link": true, "meta": true, "param": true,
		"source": true, "track": true, "wbr": true,
	}
	// rawTextElements hold text that may contain '<' and is not markup.
	rawTextElements = map[string]bool{
		"script": true, "style": true, "textarea": true, "title": true, "pre": true,
	}
	// impliedEnd elements are closed by a sibling of the same name, as in
	// <li>a<li>b, which HTML allows.
	impliedEnd = map[string]bool{
		"li": true, "p": true, "tr": true, "td": true, "th": true, "option": true,
		"dt": true, "dd": true,
	}
)

func (r *renderer) html(body []byte) {
	limit := maxFormatted
	if len(body) > r.opt.Limit {
		limit = r.opt.Limit
	}
	out, ok := indentHTML(body, limit)
	if !ok {
		r.note("could not re-indent HTML; shown as sent")
		r.raw(body, KindHTML)
		return
	}
	r.formatted(body, out, "html")
}

// indentHTML re-indents HTML by its tags alone. It only moves text around;
// nothing is parsed into a DOM, let alone run. It gives up (false) on an
// unterminated tag or comment, where guessing would mislead.
func indentHTML(b []byte, max int) ([]byte, bool) {
	w := &indenter{max: max}
	var stack []string
	i := 0
	for i < len(b) && !w.full() {
		if b[i] != '<' {
			i = w.textUntilTag(len(stack), b, i)
			continue
		}
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			j := bytes.Index(rest[4:], []byte("-->"))
			if j < 0 {
				return nil, false
			}
			end := i + 4 + j + 3
			w.line(len(stack), b[i:end])
			i = end
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				return nil, false
			}
			w.line(len(stack), b[i:i+j+1])
			i += j + 1
		case len(rest) > 2 && rest[1] == '/' && isNameStart(rest[2]):
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				return nil, false
			}
			name := tagName(rest[2:])
			// Pop to the matching element; a stray end tag leaves the
			// nesting alone.
			closesOpen := false
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k] == name {
					closesOpen = k == len(stack)-1
					stack = stack[:k]
					break
				}
			}
			if !closesOpen {
				// Also closes unclosed children (<li>a</ul>), so it belongs
				// on its own line.
				w.open = false
			}
			w.end(len(stack), b[i:i+j+1])
			i += j + 1
		case len(rest) > 1 && isNameStart(rest[1]):
			j := tagEnd(rest)
			if j < 0 {
				return nil, false
			}
			tag := b[i : i+j]
			i += j
			name := tagName(rest[1:])
			if impliedEnd[name] && len(stack) > 0 && stack[len(stack)-1] == name {
				stack = stack[:len(stack)-1]
			}
			selfClosing := bytes.HasSuffix(tag, []byte("/>"))
			if voidElements[name] || selfClosing {
				w.line(len(stack), tag)
				continue
			}
			if rawTextElements[name] {
				i = rawText(w, b, i, len(stack), tag, name)
				continue
			}
			w.start(len(stack), tag)
			stack = append(stack, name)
		default: // a lone '<' in text
			i = w.textUntilTag(len(stack), b, i)
		}
	}
	return w.buf.Bytes(), true
}

// rawText writes a script, style, pre, textarea or title element whose
// content starts at i and returns where the element ends. Script and style
// content is re-indented as a block; the others keep their whitespace,
// which is significant there.
func rawText(w *indenter, b []byte, i, depth int, tag []byte, name string) int {
	closeAt := indexFold(b[i:], "</"+name)
	content := b[i:]
	end := len(b)
	var closeTag []byte
	if closeAt >= 0 {
		content = b[i : i+closeAt]
		end = i + closeAt
		if k := bytes.IndexByte(b[end:], '>'); k >= 0 {
			closeTag = b[end : end+k+1]
			end += k + 1
		} else {
			closeTag = b[end:]
			end = len(b)
		}
	}
	if name != "script" && name != "style" {
		w.line(depth, append(append(append([]byte(nil), tag...), content...), closeTag...))
		return end
	}
	w.start(depth, tag)
	if trimmed := bytes.TrimSpace(content); bytes.IndexByte(trimmed, '\n') < 0 {
		w.text(depth+1, trimmed)
	} else {
		for _, l := range dedent(content) {
			w.line(depth+1, l)
		}
	}
	if closeTag != nil {
		w.end(depth, closeTag)
	}
	return end
}

// dedent splits s into lines without the blank lines at either end and
// without the indentation all lines share.
func dedent(s []byte) [][]byte {
	lines := bytes.Split(bytes.Trim(s, "\r\n"), []byte{'\n'})
	for len(lines) > 0 && len(bytes.TrimSpace(lines[0])) == 0 {
		lines = lines[1:]
	}
	for len(lines) > 0 && len(bytes.TrimSpace(lines[len(lines)-1])) == 0 {
		lines = lines[:len(lines)-1]
	}
	common := -1
	for _, l := range lines {
		l = bytes.TrimRight(l, " \t\r")
		if len(l) == 0 {
			continue
		}
		n := len(l) - len(bytes.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for k, l := range lines {
		l = bytes.TrimRight(l, " \t\r")
		lines[k] = l[min(common, len(l)):]
	}
	return lines
}

// tagEnd returns the length of the tag starting at b[0] == '<', honouring
// quoted attribute values, or -1 if it never ends. A quote only opens a value
// right after '=', so an apostrophe inside an unquoted value is harmless.
func tagEnd(b []byte) int {
	var quote, prev byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && prev == '=':
			quote = c
		case c == '>':
			return i + 1
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			prev = c
		}
	}
	return -1
}

func tagName(b []byte) string {
	n := 0
	for n < len(b) && (isNameStart(b[n]) || b[n] >= '0' && b[n] <= '9' || b[n] == '-' || b[n] == ':') {
		n++
	}
	return strings.ToLower(string(b[:n]))
}

// indexFold finds s (which starts with "</") in b ignoring ASCII case.
func indexFold(b []byte, s string) int {
	for off := 0; ; {
		j := bytes.Index(b[off:], []byte("</"))
		if j < 0 {
			return -1
		}
		j += off
		if len(b)-j >= len(s) && bytes.EqualFold(b[j:j+len(s)], []byte(s)) {
			return j
		}
		off = j + 2
	}
}

// textUntilTag writes the text from b[i] up to the next '<' after it, or
// to the end, at depth and returns where it stopped.
func (w *indenter) textUntilTag(depth int, b []byte, i int) int {
	j := bytes.IndexByte(b[i+1:], '<')
	if j < 0 {
		j = len(b)
	} else {
		j += i + 1
	}
	w.text(depth, b[i:j])
	return j
}
