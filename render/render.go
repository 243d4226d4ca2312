// Package render turns a captured HTTP body and its headers into what the
// inspector's Body tab shows: styled text lines, form fields or multipart
// parts. It never imports Fyne, so everything here is testable without a
// window; the UI maps Style onto TextGrid cells.
package render

import (
	"bytes"
	"fmt"
	"image/color"
	"net/http"
)

const (
	defaultLimit = 1 << 20

	// defaultHighlightLimit is far below defaultLimit because chroma's
	// regexp-based lexers manage only about 1 MB/s (BenchmarkBodyJSON*): 64 KiB
	// keeps a render well under 200 ms; larger bodies are shown plain.
	defaultHighlightLimit = 64 << 10

	// defaultFastHighlightLimit is higher: JSON and XML go through
	// jsonTokens and xmlTokens, single passes, not chroma's regexp lexers.
	defaultFastHighlightLimit = 2 << 20

	// maxFormatted bounds the re-indented text; deep nesting makes indentation
	// grow quadratically with the body.
	maxFormatted = 16 << 20

	// maxRunes is the widest line handed to the UI; a TextGrid with a
	// megabyte-wide row is unusable and slow to lay out.
	maxRunes = 4096

	// maxNesting bounds multipart inside multipart, each level of which
	// renders its text parts again.
	maxNesting = 3

	noteHighlightOff = "highlighting off for large bodies"
)

// maxDecoded stops decompression bombs: a few KiB of gzip can expand to
// gigabytes. A variable so tests need not inflate 64 MiB.
var maxDecoded = 64 << 20

// Options controls how Body renders.
type Options struct {
	// Pretty re-indents JSON, XML and HTML and splits forms and multipart
	// bodies into fields and parts; false shows the text as received
	// (binary is still a hex dump).
	Pretty bool
	// Dark picks the chroma style for a dark theme variant.
	Dark bool
	// Limit is how many bytes are rendered at most (default 1 MiB). A longer
	// body is cut and Document.Cut set; call again with a bigger Limit to
	// show all of it. A body within Limit is shown whole even when
	// re-indenting makes its text longer.
	Limit int
	// HighlightLimit is the largest text, in bytes, that is highlighted
	// (default 64 KiB, and 2 MiB for JSON and XML); larger text is shown
	// plain with a note.
	HighlightLimit int

	// fastHighlightLimit is HighlightLimit for JSON and XML, which have their
	// own fast tokenizers: by default they are highlighted up to
	// defaultFastHighlightLimit.
	fastHighlightLimit int
}

// Kind is what a body turned out to be.
type Kind string

// The kinds of body Sniff and Body tell apart.
const (
	KindEmpty     Kind = "empty"
	KindJSON      Kind = "json"
	KindXML       Kind = "xml"
	KindHTML      Kind = "html"
	KindForm      Kind = "form"
	KindMultipart Kind = "multipart"
	KindText      Kind = "text"
	KindBinary    Kind = "binary"
)

// Document is a rendered body.
type Document struct {
	Kind Kind
	// Notes explain what was done to the body for display, for a banner
	// above it.
	Notes []string
	// Lines is the text to show for every kind except empty, and except
	// form and multipart in Pretty mode, which use Fields and Parts.
	Lines []Line
	// Fields are the decoded form fields in body order, repeats kept.
	Fields []Field
	// Parts are the parts of a multipart body.
	Parts []Part
	// Err is set in Pretty mode for malformed JSON, XML and multipart
	// bodies, which are then shown as received with the error line marked.
	Err *SyntaxError
	// Cut reports that the body is longer than Options.Limit and only the
	// start of it was rendered.
	Cut bool
	// Size is the length of the body after Content-Encoding decoding.
	Size int
}

// Line is one row of text.
type Line []Segment

// Segment is a run of text with one style. Text never contains tabs,
// newlines or carriage returns.
type Segment struct {
	Text  string
	Style Style
}

// Style is how a segment is drawn. Without HasColor the UI uses the theme's
// foreground colour.
type Style struct {
	Color    color.NRGBA
	HasColor bool
	Bold     bool
	Italic   bool
	// Error marks the line a SyntaxError points at.
	Error bool
}

// Field is one name=value pair of a form body.
type Field struct {
	Name, Value string
}

// Part is one part of a multipart body.
type Part struct {
	Header      http.Header
	Name        string // form field name from Content-Disposition
	FileName    string
	ContentType string
	Size        int
	Data        []byte
	// Doc is the rendered part: text, or a hex dump (Kind KindBinary) for
	// binary content; nil only past the nesting bound.
	Doc *Document
}

// SyntaxError locates what is wrong with a malformed body. Line and Col are
// 1-based (Col counts runes); both are 0 when the parser cannot tell where
// the problem is, as for multipart bodies.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Body renders a captured body for display. header supplies Content-Type and
// Content-Encoding; body is never modified.
func Body(body []byte, header http.Header, opt Options) Document {
	if opt.Limit <= 0 {
		opt.Limit = defaultLimit
	}
	opt.fastHighlightLimit = opt.HighlightLimit
	if opt.HighlightLimit <= 0 {
		opt.HighlightLimit = defaultHighlightLimit
		opt.fastHighlightLimit = defaultFastHighlightLimit
	}
	return render(body, header, opt, 0)
}

var utf8BOM = []byte("\xef\xbb\xbf")

func render(body []byte, header http.Header, opt Options, depth int) Document {
	r := &renderer{opt: opt, pal: paletteFor(opt.Dark)}
	body = r.decode(body, header.Values("Content-Encoding"))
	r.doc.Size = len(body)
	if len(body) == 0 {
		r.doc.Kind = KindEmpty
		return r.doc
	}
	ct := header.Get("Content-Type")
	kind := Sniff(body, ct)
	r.doc.Kind = kind
	r.noteSniffed(ct, kind, depth)
	if kind != KindBinary && kind != KindMultipart && bytes.HasPrefix(body, utf8BOM) {
		// json.Indent and encoding/xml reject a BOM, and it is invisible anyway.
		body = body[len(utf8BOM):]
		r.note("UTF-8 byte order mark hidden")
	}

	if !opt.Pretty || kind == KindText {
		r.raw(body, kind)
		return r.doc
	}
	switch kind {
	case KindJSON:
		r.json(body)
	case KindXML:
		r.xml(body)
	case KindHTML:
		r.html(body)
	case KindForm:
		r.form(body)
	case KindMultipart:
		r.multipart(body, ct, depth)
	default:
		r.hex(body)
	}
	return r.doc
}

// renderer carries the options and the document being built through the
// per-kind steps.
type renderer struct {
	opt Options
	pal *palette
	doc Document
}

func (r *renderer) note(s string) {
	for _, n := range r.doc.Notes {
		if n == s {
			return
		}
	}
	r.doc.Notes = append(r.doc.Notes, s)
}

var kindLabels = map[Kind]string{
	KindJSON: "JSON", KindXML: "XML", KindHTML: "HTML", KindForm: "form data",
	KindMultipart: "multipart", KindText: "text", KindBinary: "binary",
}

// noteSniffed says when the bytes, not the Content-Type, decided the kind,
// so a user debugging a sender sees that the sender mislabelled the body.
func (r *renderer) noteSniffed(ct string, kind Kind, depth int) {
	mt := mediaType(ct)
	declared := declaredKind(mt)
	switch {
	case mt == "" && kind == KindText && depth > 0:
		// Multipart fields without a Content-Type are text/plain by
		// definition (RFC 7578).
	case mt == "":
		r.note("sniffed as " + kindLabels[kind] + " (no Content-Type)")
	case declared == kind:
	case declared == "" && (kind == KindText || kind == KindBinary):
		// An unfamiliar type shown as text or hex needs no excuse.
	default:
		r.note(fmt.Sprintf("sniffed as %s (Content-Type said %s)", kindLabels[kind], mt))
	}
}

// cut records that only limit of total bytes is shown.
func (r *renderer) cut(total int) {
	r.doc.Cut = true
	r.note(fmt.Sprintf("cut at %s (body is %s)", sizeString(r.opt.Limit), sizeString(total)))
}

// raw shows the body as received: text highlighted by kind, binary as hex.
func (r *renderer) raw(body []byte, kind Kind) {
	if kind == KindBinary || looksBinary(body) {
		r.hex(body)
		return
	}
	text := body
	if len(text) > r.opt.Limit {
		text = text[:cutAt(text, r.opt.Limit)]
		r.cut(len(body))
	}
	r.doc.Lines = r.lines(string(text), lexerFor(kind), 0)
}

func (r *renderer) hex(body []byte) {
	if len(body) > r.opt.Limit {
		r.cut(len(body))
	}
	r.doc.Lines = hexDump(body, r.opt.Limit, r.pal.hexStyles())
}

// formatted shows re-indented text, cut at Limit when the body itself is
// over Limit, so a body within Limit is never cut by its own indentation.
func (r *renderer) formatted(body, text []byte, lexer string) {
	limit := r.opt.Limit
	if len(body) <= limit {
		limit = maxFormatted
	}
	if len(text) > limit {
		text = text[:cutAt(text, limit)]
		r.cut(len(body))
	}
	r.doc.Lines = r.lines(string(text), lexer, 0)
}

// malformed shows the body as received with the error's line marked.
func (r *renderer) malformed(body []byte, lexer string, err *SyntaxError) {
	r.doc.Err = err
	text := body
	if len(text) > r.opt.Limit {
		text = text[:cutAt(text, r.opt.Limit)]
		r.cut(len(body))
	}
	r.doc.Lines = r.lines(string(text), lexer, err.Line)
}

func lexerFor(k Kind) string {
	switch k {
	case KindJSON:
		return "json"
	case KindXML:
		return "xml"
	case KindHTML:
		return "html"
	}
	return ""
}

// lineCol converts a byte offset into a 1-based line and rune column.
func lineCol(b []byte, off int) (line, col int) {
	off = min(max(off, 0), len(b))
	start := bytes.LastIndexByte(b[:off], '\n') + 1
	line = bytes.Count(b[:start], []byte{'\n'}) + 1
	return line, len([]rune(string(b[start:off]))) + 1
}

// sizeString formats n bytes the way the notes show sizes: "512 B",
// "1.5 KiB", "1 MiB".
func sizeString(n int) string {
	units := []string{"B", "KiB", "MiB", "GiB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	if v == float64(int(v)) {
		return fmt.Sprintf("%d %s", int(v), units[u])
	}
	// "1.0 MiB" rather than "1 MiB" for 1 MiB and a few bytes, so a body
	// just over the limit does not read as equal to it.
	return fmt.Sprintf("%.1f %s", v, units[u])
}
