package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// maxIndentDepth caps indentation so absurdly deep documents do not grow
// quadratically when indented.
const maxIndentDepth = 40

// indenter writes one element per line. A start tag stays "open" until
// something else is written, so a leaf element with short text ends up on
// one line: <name>text</name>.
type indenter struct {
	buf      bytes.Buffer
	max      int
	open     bool // the current line ends in a start tag
	openText bool // ...followed by its text
}

func (w *indenter) full() bool { return w.buf.Len() > w.max }

func (w *indenter) line(depth int, s []byte) {
	if w.buf.Len() > 0 {
		w.buf.WriteByte('\n')
	}
	for range min(depth, maxIndentDepth) {
		w.buf.WriteString("  ")
	}
	w.buf.Write(s)
	w.open, w.openText = false, false
}

func (w *indenter) start(depth int, s []byte) {
	w.line(depth, s)
	w.open = true
}

// text writes character data, trimmed, inline after an open start tag when
// it fits on one line, else one indented line per source line.
func (w *indenter) text(depth int, s []byte) {
	s = bytes.TrimSpace(s)
	if len(s) == 0 {
		return
	}
	if w.open && !w.openText && bytes.IndexByte(s, '\n') < 0 {
		w.buf.Write(s)
		w.openText = true
		return
	}
	for l := range bytes.SplitSeq(s, []byte{'\n'}) {
		if l = bytes.TrimSpace(l); len(l) > 0 {
			w.line(depth, l)
		}
	}
}

func (w *indenter) end(depth int, s []byte) {
	if w.open {
		w.buf.Write(s)
		w.open, w.openText = false, false
		return
	}
	w.line(depth, s)
}

func (r *renderer) xml(body []byte) {
	limit := maxFormatted
	if len(body) > r.opt.Limit {
		limit = r.opt.Limit
	}
	out, err := indentXML(body, limit)
	if err != nil {
		r.malformed(body, "xml", err)
		return
	}
	r.formatted(body, out, "xml")
}

// indentXML re-indents b using the raw bytes of each token, so entities,
// namespace prefixes, quoting and CDATA stay as sent; encoding/xml's encoder
// would rewrite them. It stops early once the output passes max.
func indentXML(b []byte, max int) ([]byte, *SyntaxError) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	// The body is already known to be UTF-8; the declared charset is only a
	// label here.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	w := &indenter{max: max}
	var stack []xml.Name
	for !w.full() {
		start := int(d.InputOffset())
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The decoder has consumed the offending byte.
			line, col := lineCol(b, int(d.InputOffset())-1)
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			return nil, &SyntaxError{Line: line, Col: col, Msg: msg}
		}
		raw := b[start:d.InputOffset()]
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(len(stack), raw)
			stack = append(stack, t.Name)
		case xml.EndElement:
			// RawToken does not match tags; do it here so a mismatch is
			// reported where it happens.
			if len(stack) == 0 || stack[len(stack)-1] != t.Name {
				line, col := lineCol(b, start)
				want := "no open element"
				if len(stack) > 0 {
					want = "expected </" + qname(stack[len(stack)-1]) + ">"
				}
				return nil, &SyntaxError{Line: line, Col: col,
					Msg: fmt.Sprintf("unexpected </%s>, %s", qname(t.Name), want)}
			}
			stack = stack[:len(stack)-1]
			if len(raw) == 0 {
				// The end of a self-closing tag, already written.
				w.open, w.openText = false, false
				continue
			}
			w.end(len(stack), raw)
		case xml.CharData:
			w.text(len(stack), raw)
		default: // comments, processing instructions, directives
			w.line(len(stack), bytes.TrimSpace(raw))
		}
	}
	if !w.full() && len(stack) > 0 {
		line, col := lineCol(b, len(bytes.TrimRight(b, " \t\r\n")))
		return nil, &SyntaxError{Line: line, Col: col,
			Msg: fmt.Sprintf("unexpected end of document: <%s> is not closed", qname(stack[len(stack)-1]))}
	}
	return w.buf.Bytes(), nil
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}
