package render

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// lineBreaks keeps a value's line breaks visible on its single form line.
var lineBreaks = strings.NewReplacer("\r", "\u240d", "\n", "\u240a")

// form decodes name=value pairs by hand: url.ParseQuery returns a map,
// losing the order and interleaving of repeated keys that a user debugging
// a sender needs to see.
func (r *renderer) form(body []byte) {
	text := body
	if len(text) > r.opt.Limit {
		text = text[:runeCut(text, r.opt.Limit)]
		// Show whole fields only; a half value would look like the real one.
		if i := bytes.LastIndexByte(text, '&'); i > 0 {
			text = text[:i]
		}
		r.cut(len(body))
	}
	nameStyle := r.pal.style(chroma.NameTag)
	eqStyle := r.pal.style(chroma.Punctuation)
	valueStyle := r.pal.style(chroma.LiteralString)
	undecodable := false
	unescape := func(s string) string {
		u, err := url.QueryUnescape(s)
		if err != nil {
			undecodable = true
			return s
		}
		return u
	}
	for pair := range strings.SplitSeq(string(text), "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		f := Field{Name: unescape(name), Value: unescape(value)}
		r.doc.Fields = append(r.doc.Fields, f)
		l := appendSegment(nil, lineBreaks.Replace(f.Name), nameStyle)
		l = appendSegment(l, " = ", eqStyle)
		l = appendSegment(l, lineBreaks.Replace(f.Value), valueStyle)
		r.doc.Lines = appendLine(r.doc.Lines, l, false)
	}
	if undecodable {
		r.note("some form fields are not valid percent-encoding; shown as sent")
	}
}
