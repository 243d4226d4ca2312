package render

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
)

// texts is what a user reads: each line's segments joined.
func texts(lines []Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		var b strings.Builder
		for _, s := range l {
			b.WriteString(s.Text)
		}
		out[i] = b.String()
	}
	return out
}

func ct(contentType string) http.Header {
	return http.Header{"Content-Type": {contentType}}
}

// compressed returns s written through the compressor newWriter makes.
func compressed(t *testing.T, s string, newWriter func(io.Writer) io.WriteCloser) []byte {
	t.Helper()
	var b bytes.Buffer
	w := newWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipped(t *testing.T, s string) []byte {
	return compressed(t, s, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

func zlibbed(t *testing.T, s string) []byte {
	return compressed(t, s, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

func deflated(t *testing.T, s string) []byte {
	return compressed(t, s, func(w io.Writer) io.WriteCloser {
		fw, _ := flate.NewWriter(w, flate.DefaultCompression) // fails only on a bad level
		return fw
	})
}

func brotlied(t *testing.T, s string) []byte {
	return compressed(t, s, func(w io.Writer) io.WriteCloser { return brotli.NewWriter(w) })
}

func TestBody(t *testing.T) {
	pretty := Options{Pretty: true}
	tests := map[string]struct {
		body   []byte
		header http.Header
		opt    Options
		kind   Kind
		lines  []string // nil: not checked
		notes  []string // exactly these notes
		err    *SyntaxError
		cut    bool
		fields []Field
	}{
		"empty body": {
			body: nil, header: ct("application/json"), opt: pretty,
			kind: KindEmpty, lines: []string{},
		},
		"JSON object": {
			body: []byte(`{"b":1,"a":"x"}`), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "b": 1,`, `  "a": "x"`, `}`},
		},
		"JSON array": {
			body: []byte(`[1,"two",null,true,false]`), header: ct("application/json; charset=utf-8"), opt: pretty,
			kind:  KindJSON,
			lines: []string{`[`, `  1,`, `  "two",`, `  null,`, `  true,`, `  false`, `]`},
		},
		"JSON nested keeps key order and empty containers": {
			body: []byte(`{"z":{"y":[{"x":1}],"e":{},"a":[]}}`), header: ct("application/vnd.api+json"), opt: pretty,
			kind: KindJSON,
			lines: []string{`{`, `  "z": {`, `    "y": [`, `      {`, `        "x": 1`, `      }`, `    ],`,
				`    "e": {},`, `    "a": []`, `  }`, `}`},
		},
		"JSON numbers kept exact": {
			body: []byte(`{"f":1.0e10,"big":12345678901234567890,"neg":-0.50,"e":1E-7}`), header: ct("application/json"), opt: pretty,
			kind: KindJSON,
			lines: []string{`{`, `  "f": 1.0e10,`, `  "big": 12345678901234567890,`, `  "neg": -0.50,`,
				`  "e": 1E-7`, `}`},
		},
		"JSON unicode and escapes unchanged": {
			body: []byte(`{"name":"Jürgen 🎉","esc":"\u00fc\n"}`), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "name": "Jürgen 🎉",`, `  "esc": "\u00fc\n"`, `}`},
		},
		"JSON already indented with tabs is re-indented": {
			body: []byte("{\n\t\"a\": [\n\t\t1\n\t]\n}\n"), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "a": [`, `    1`, `  ]`, `}`},
		},
		"JSON malformed on line 3": {
			body: []byte("{\n  \"a\": 1,\n  \"b\": tru\n}"), header: ct("application/json"), opt: pretty,
			kind:  KindJSON,
			lines: []string{`{`, `  "a": 1,`, `  "b": tru`, `}`},
			err:   &SyntaxError{Line: 3, Col: 11, Msg: "invalid character '\\n' in literal true (expecting 'e')"},
		},
		"JSON trailing comma": {
			body: []byte(`{"ü":1,}`), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{"ü":1,}`},
			err: &SyntaxError{Line: 1, Col: 8, Msg: "invalid character '}' looking for beginning of object key string"},
		},
		"JSON cut short points past the end": {
			body: []byte("{\n  \"a\": [1,\n"), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "a": [1,`},
			err: &SyntaxError{Line: 2, Col: 11, Msg: "unexpected end of JSON input"},
		},
		"JSON labelled text/plain is sniffed": {
			body: []byte(`{"a":[1]}`), header: ct("text/plain; charset=utf-8"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "a": [`, `    1`, `  ]`, `}`},
			notes: []string{"sniffed as JSON (Content-Type said text/plain)"},
		},
		"JSON labelled octet-stream is sniffed": {
			body: []byte(`[1]`), header: ct("application/octet-stream"), opt: pretty,
			kind: KindJSON, lines: []string{`[`, `  1`, `]`},
			notes: []string{"sniffed as JSON (Content-Type said application/octet-stream)"},
		},
		"JSON without Content-Type is sniffed": {
			body: []byte(`[1]`), header: http.Header{}, opt: pretty,
			kind: KindJSON, lines: []string{`[`, `  1`, `]`},
			notes: []string{"sniffed as JSON (no Content-Type)"},
		},
		"JSON sent as a form (curl -d) is sniffed": {
			body: []byte(`{"a":1}`), header: ct("application/x-www-form-urlencoded"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "a": 1`, `}`},
			notes: []string{"sniffed as JSON (Content-Type said application/x-www-form-urlencoded)"},
		},
		"JSON with a byte order mark": {
			body: []byte("\xef\xbb\xbf{\"a\":1}"), header: ct("application/json"), opt: pretty,
			kind: KindJSON, lines: []string{`{`, `  "a": 1`, `}`},
			notes: []string{"UTF-8 byte order mark hidden"},
		},
		"binary labelled JSON": {
			body: []byte("\x00\x01{\"a\":1}"), header: ct("application/json"), opt: pretty,
			kind:  KindBinary,
			lines: []string{`00000000  00 01 7b 22 61 22 3a 31  7d                       |..{"a":1}|`},
			notes: []string{"sniffed as binary (Content-Type said application/json)"},
		},
		"raw JSON is shown as sent": {
			body: []byte("{\"a\":\t1}\r\n"), header: ct("application/json"), opt: Options{},
			kind: KindJSON, lines: []string{`{"a":    1}`},
		},
		"raw malformed JSON has no error": {
			body: []byte(`{"a":`), header: ct("application/json"), opt: Options{},
			kind: KindJSON, lines: []string{`{"a":`},
		},
		"XML": {
			body: []byte(`<?xml version="1.0"?><root a="1"><item>x &amp; y</item><empty/><!-- c -->` +
				`<ns:b xmlns:ns="urn:x">t</ns:b><![CDATA[<raw>]]></root>`),
			header: ct("application/xml"), opt: pretty,
			kind: KindXML,
			lines: []string{`<?xml version="1.0"?>`, `<root a="1">`, `  <item>x &amp; y</item>`, `  <empty/>`,
				`  <!-- c -->`, `  <ns:b xmlns:ns="urn:x">t</ns:b>`, `  <![CDATA[<raw>]]>`, `</root>`},
		},
		"XML labelled text/plain is sniffed": {
			body: []byte(`<order><id>1</id></order>`), header: ct("text/plain"), opt: pretty,
			kind: KindXML, lines: []string{`<order>`, `  <id>1</id>`, `</order>`},
			notes: []string{"sniffed as XML (Content-Type said text/plain)"},
		},
		"XML with +xml suffix": {
			body: []byte(`<svg><g/></svg>`), header: ct("image/svg+xml"), opt: pretty,
			kind: KindXML, lines: []string{`<svg>`, `  <g/>`, `</svg>`},
		},
		"XML mismatched tag": {
			body: []byte("<a>\n  <b>\n</a>"), header: ct("text/xml"), opt: pretty,
			kind: KindXML, lines: []string{`<a>`, `  <b>`, `</a>`},
			err: &SyntaxError{Line: 3, Col: 1, Msg: "unexpected </a>, expected </b>"},
		},
		"XML not closed": {
			body: []byte("<a>\n<b></b>"), header: ct("text/xml"), opt: pretty,
			kind: KindXML, lines: []string{`<a>`, `<b></b>`},
			err: &SyntaxError{Line: 2, Col: 8, Msg: "unexpected end of document: <a> is not closed"},
		},
		"XML syntax error": {
			body: []byte("<a>\n<b x=1/></a>"), header: ct("text/xml"), opt: pretty,
			kind: KindXML, lines: []string{`<a>`, `<b x=1/></a>`},
			err: &SyntaxError{Line: 2, Col: 6, Msg: "unquoted or missing attribute value in element"},
		},
		"HTML with script kept as text": {
			body: []byte(`<!DOCTYPE html><html><head><title>T</title>` +
				`<script>if (a < b) { document.write("<b>x</b>") }</script></head>` +
				`<body><p>Hi<br>there</p><ul><li>a<li>b</ul></body></html>`),
			header: ct("text/html; charset=utf-8"), opt: pretty,
			kind: KindHTML,
			lines: []string{`<!DOCTYPE html>`, `<html>`, `  <head>`, `    <title>T</title>`,
				`    <script>if (a < b) { document.write("<b>x</b>") }</script>`, `  </head>`,
				`  <body>`, `    <p>Hi`, `      <br>`, `      there`, `    </p>`, `    <ul>`,
				`      <li>a`, `      <li>b`, `    </ul>`, `  </body>`, `</html>`},
		},
		"HTML multi-line script and pre": {
			body:   []byte("<div><script>\n      var a = 1;\n        if (a) {}\n    </script><pre>  keep\n   this</pre></div>"),
			header: ct("text/html"), opt: pretty,
			kind: KindHTML,
			lines: []string{`<div>`, `  <script>`, `    var a = 1;`, `      if (a) {}`, `  </script>`,
				`  <pre>  keep`, `   this</pre>`, `</div>`},
		},
		"HTML unterminated tag is shown as sent": {
			body: []byte(`<p>a</p><div class="x`), header: ct("text/html"), opt: pretty,
			kind: KindHTML, lines: []string{`<p>a</p><div class="x`},
			notes: []string{"could not re-indent HTML; shown as sent"},
		},
		"HTML sniffed without Content-Type": {
			body: []byte(`<!doctype html><p>x</p>`), header: http.Header{}, opt: pretty,
			kind: KindHTML, lines: []string{`<!doctype html>`, `<p>x</p>`},
			notes: []string{"sniffed as HTML (no Content-Type)"},
		},
		"form with repeated keys, plus and %2B": {
			body: []byte("a=1&b=hello+world&a=2&c=%2B1&d=&e&&f=x%3Dy%26z"), header: ct("application/x-www-form-urlencoded"), opt: pretty,
			kind: KindForm,
			fields: []Field{{"a", "1"}, {"b", "hello world"}, {"a", "2"}, {"c", "+1"}, {"d", ""}, {"e", ""},
				{"f", "x=y&z"}},
			lines: []string{"a = 1", "b = hello world", "a = 2", "c = +1", "d = ", "e = ", "f = x=y&z"},
		},
		"form with bad escapes and a newline": {
			body: []byte("a=%zz&b=x%0Ay"), header: ct("application/x-www-form-urlencoded"), opt: pretty,
			kind: KindForm, fields: []Field{{"a", "%zz"}, {"b", "x\ny"}},
			lines: []string{"a = %zz", "b = x\u240ay"},
			notes: []string{"some form fields are not valid percent-encoding; shown as sent"},
		},
		"form cut at Limit keeps whole fields": {
			body: []byte("a=1&b=22&c=333"), header: ct("application/x-www-form-urlencoded"), opt: Options{Pretty: true, Limit: 10},
			kind: KindForm, fields: []Field{{"a", "1"}, {"b", "22"}}, lines: []string{"a = 1", "b = 22"}, cut: true,
			notes: []string{"cut at 10 B (body is 14 B)"},
		},
		"raw form": {
			body: []byte("a=1&b=2"), header: ct("application/x-www-form-urlencoded"), opt: Options{},
			kind: KindForm, lines: []string{"a=1&b=2"},
		},
		"text": {
			body: []byte("hello\r\nworld\ttab\n\nend\n"), header: ct("text/plain"), opt: pretty,
			kind: KindText, lines: []string{"hello", "world    tab", "", "end"},
		},
		"text with an escape character shows a control picture": {
			body: []byte("a log line with \x1b[31mcolour\x1b[0m in it"), header: ct("text/plain"), opt: pretty,
			kind: KindText, lines: []string{"a log line with \u241b[31mcolour\u241b[0m in it"},
		},
		"invalid UTF-8 is hex": {
			body: []byte("caf\xe9 au lait"), header: ct("text/plain"), opt: pretty,
			kind:  KindBinary,
			lines: []string{`00000000  63 61 66 e9 20 61 75 20  6c 61 69 74              |caf. au lait|`},
			notes: []string{"sniffed as binary (Content-Type said text/plain)"},
		},
		"NUL bytes are hex even raw": {
			body: []byte("ab\x00cd"), header: http.Header{}, opt: Options{},
			kind:  KindBinary,
			lines: []string{`00000000  61 62 00 63 64                                    |ab.cd|`},
			notes: []string{"sniffed as binary (no Content-Type)"},
		},
		"octet-stream text is text": {
			body: []byte("just words"), header: ct("application/octet-stream"), opt: pretty,
			kind: KindText, lines: []string{"just words"},
			notes: []string{"sniffed as text (Content-Type said application/octet-stream)"},
		},
		"text cut at Limit": {
			body: []byte("line 1\nline 2\nline 3\nline 4\n"), header: ct("text/plain"), opt: Options{Pretty: true, Limit: 10},
			kind: KindText, lines: []string{"line 1"}, cut: true,
			notes: []string{"cut at 10 B (body is 28 B)"},
		},
		"text cut does not split a rune": {
			body: []byte("ééééé"), header: ct("text/plain"), opt: Options{Limit: 5},
			kind: KindText, lines: []string{"éé"}, cut: true,
			notes: []string{"cut at 5 B (body is 10 B)"},
		},
		"JSON within Limit is not cut by its indentation": {
			body: []byte(`[1,2,3]`), header: ct("application/json"), opt: Options{Pretty: true, Limit: 7},
			kind: KindJSON, lines: []string{`[`, `  1,`, `  2,`, `  3`, `]`},
		},
		"JSON over Limit is cut after indenting": {
			body: []byte(`[1,2,3,4]`), header: ct("application/json"), opt: Options{Pretty: true, Limit: 8},
			kind: KindJSON, lines: []string{`[`, `  1,`}, cut: true,
			notes: []string{"cut at 8 B (body is 9 B)"},
		},
		"binary cut at Limit": {
			body: bytes.Repeat([]byte{0}, 40), header: ct("application/octet-stream"), opt: Options{Limit: 20},
			kind: KindBinary, cut: true,
			lines: []string{`00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|`,
				`00000010  00 00 00 00                                       |....|`},
			notes: []string{"cut at 20 B (body is 40 B)"},
		},
		"highlighting off above HighlightLimit": {
			body: []byte(`{"a":1}`), header: ct("application/json"), opt: Options{Pretty: true, HighlightLimit: 4},
			kind: KindJSON, lines: []string{`{`, `  "a": 1`, `}`},
			notes: []string{"highlighting off for large bodies"},
		},
		"gzip": {
			body: gzipped(t, `{"a":1}`), header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
			opt: pretty, kind: KindJSON, lines: []string{`{`, `  "a": 1`, `}`},
			notes: []string{"decoded from gzip for display; stored bytes unchanged"},
		},
		"deflate (zlib)": {
			body: zlibbed(t, "hi"), header: http.Header{"Content-Encoding": {"deflate"}, "Content-Type": {"text/plain"}},
			opt: pretty, kind: KindText, lines: []string{"hi"},
			notes: []string{"decoded from deflate for display; stored bytes unchanged"},
		},
		"deflate (raw)": {
			body: deflated(t, "hi"), header: http.Header{"Content-Encoding": {"Deflate"}, "Content-Type": {"text/plain"}},
			opt: pretty, kind: KindText, lines: []string{"hi"},
			notes: []string{"decoded from deflate for display; stored bytes unchanged"},
		},
		"br": {
			body: brotlied(t, "<a/>"), header: http.Header{"Content-Encoding": {"br"}, "Content-Type": {"text/xml"}},
			opt: pretty, kind: KindXML, lines: []string{"<a/>"},
			notes: []string{"decoded from br for display; stored bytes unchanged"},
		},
		"gzip over br": {
			body: gzipped(t, string(brotlied(t, "x"))), header: http.Header{"Content-Encoding": {"br, gzip"}, "Content-Type": {"text/plain"}},
			opt: pretty, kind: KindText, lines: []string{"x"},
			notes: []string{"decoded from br, gzip for display; stored bytes unchanged"},
		},
		"broken gzip shows stored bytes": {
			body: []byte("\x1f\x8b\x08\x00garbage"), header: http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"application/json"}},
			opt: pretty, kind: KindBinary,
			lines: []string{`00000000  1f 8b 08 00 67 61 72 62  61 67 65                 |....garbage|`},
			notes: []string{"could not decode gzip (unexpected EOF); showing stored bytes",
				"sniffed as binary (Content-Type said application/json)"},
		},
		"unsupported encoding": {
			body: []byte("plain"), header: http.Header{"Content-Encoding": {"zstd"}, "Content-Type": {"text/plain"}},
			opt: pretty, kind: KindText, lines: []string{"plain"},
			notes: []string{"could not decode zstd (unsupported Content-Encoding); showing stored bytes"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc := Body(tt.body, tt.header, tt.opt)
			if doc.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", doc.Kind, tt.kind)
			}
			if tt.lines != nil {
				if got := texts(doc.Lines); !slices.Equal(got, tt.lines) {
					t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.lines, "\n"))
				}
			}
			if !slices.Equal(doc.Notes, tt.notes) {
				t.Errorf("Notes = %q, want %q", doc.Notes, tt.notes)
			}
			if !reflect.DeepEqual(doc.Err, tt.err) {
				t.Errorf("Err = %+v, want %+v", doc.Err, tt.err)
			}
			if doc.Cut != tt.cut {
				t.Errorf("Cut = %v, want %v", doc.Cut, tt.cut)
			}
			if !slices.Equal(doc.Fields, tt.fields) {
				t.Errorf("Fields = %q, want %q", doc.Fields, tt.fields)
			}
			if tt.err != nil && tt.err.Line <= len(doc.Lines) {
				// The error line, and only it, is marked.
				for i, l := range doc.Lines {
					for _, s := range l {
						if s.Style.Error != (i == tt.err.Line-1) {
							t.Errorf("line %d segment %q: Error = %v", i+1, s.Text, s.Style.Error)
						}
					}
				}
			}
			for i, l := range doc.Lines {
				for _, s := range l {
					if s.Text == "" || strings.ContainsAny(s.Text, "\t\r\n") {
						t.Errorf("line %d has segment %q", i+1, s.Text)
					}
				}
			}
		})
	}
}

func TestBodySize(t *testing.T) {
	doc := Body(gzipped(t, "hello"), http.Header{"Content-Encoding": {"gzip"}}, Options{})
	if doc.Size != 5 {
		t.Errorf("Size = %d, want the decoded 5", doc.Size)
	}
}

func TestBodyDecompressionBomb(t *testing.T) {
	defer func(old int) { maxDecoded = old }(maxDecoded)
	maxDecoded = 1000
	doc := Body(gzipped(t, strings.Repeat("a", 5000)), http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"text/plain"}}, Options{})
	if doc.Size != 1000 {
		t.Errorf("Size = %d, want 1000", doc.Size)
	}
	want := []string{"decoded body exceeds 1000 B; showing the first 1000 B",
		"decoded from gzip for display; stored bytes unchanged"}
	if !slices.Equal(doc.Notes, want) {
		t.Errorf("Notes = %q, want %q", doc.Notes, want)
	}
}

func TestBodyWrapsLongLines(t *testing.T) {
	tests := map[string]struct {
		body   string
		widths []int // runes per line
	}{
		"ascii":     {strings.Repeat("x", 10000), []int{4096, 4096, 1808}},
		"two bytes": {strings.Repeat("é", 5000), []int{4096, 904}},
		"exact":     {strings.Repeat("x", 4096) + "\nshort", []int{4096, 5}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc := Body([]byte(tt.body), ct("text/plain"), Options{Pretty: true})
			var widths []int
			for _, l := range texts(doc.Lines) {
				widths = append(widths, len([]rune(l)))
			}
			if !slices.Equal(widths, tt.widths) {
				t.Errorf("line widths = %v, want %v", widths, tt.widths)
			}
			if got := strings.Join(texts(doc.Lines), ""); got != strings.ReplaceAll(tt.body, "\n", "") {
				t.Error("wrapping lost or changed text")
			}
		})
	}
}

func TestBodyHighlighting(t *testing.T) {
	body := []byte(`{"key":"value","n":1}`)
	light := Body(body, ct("application/json"), Options{Pretty: true})
	dark := Body(body, ct("application/json"), Options{Pretty: true, Dark: true})

	find := func(doc Document, text string) Segment {
		t.Helper()
		for _, l := range doc.Lines {
			for _, s := range l {
				if s.Text == text {
					return s
				}
			}
		}
		t.Fatalf("no segment %q in %q", text, texts(doc.Lines))
		return Segment{}
	}
	for name, doc := range map[string]Document{"light": light, "dark": dark} {
		key, value := find(doc, `"key"`), find(doc, `"value"`)
		if !key.Style.HasColor || !value.Style.HasColor {
			t.Errorf("%s: key or value has no colour: %+v %+v", name, key.Style, value.Style)
		}
		if key.Style.Color == value.Style.Color {
			t.Errorf("%s: key and string value share colour %v", name, key.Style.Color)
		}
	}
	if find(light, `"key"`).Style == find(dark, `"key"`).Style {
		t.Error("light and dark styles colour a key the same")
	}
	if find(light, `"value"`).Style == find(dark, `"value"`).Style {
		t.Error("light and dark styles colour a string the same")
	}
}

func TestBodyMultipart(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("greeting", "hello\nworld")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="meta"`)
	h.Set("Content-Type", "application/json")
	pw, _ := w.CreatePart(h)
	pw.Write([]byte(`{"a":1}`))
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	h = textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="avatar"; filename="dir/me.png"`)
	h.Set("Content-Type", "image/png")
	pw, _ = w.CreatePart(h)
	pw.Write(png)
	pw, _ = w.CreateFormField("blob")
	pw.Write([]byte{0, 1, 2})
	w.Close()
	header := ct(w.FormDataContentType())

	doc := Body(buf.Bytes(), header, Options{Pretty: true})
	if doc.Kind != KindMultipart || doc.Err != nil || len(doc.Notes) != 0 {
		t.Fatalf("Kind %q, Err %v, Notes %q", doc.Kind, doc.Err, doc.Notes)
	}
	if len(doc.Parts) != 4 {
		t.Fatalf("%d parts, want 4", len(doc.Parts))
	}
	text, meta, file, blob := doc.Parts[0], doc.Parts[1], doc.Parts[2], doc.Parts[3]

	if text.Name != "greeting" || text.FileName != "" || text.Size != 11 || text.Doc == nil {
		t.Errorf("text part = %+v", text)
	} else if got := texts(text.Doc.Lines); !slices.Equal(got, []string{"hello", "world"}) || text.Doc.Kind != KindText || len(text.Doc.Notes) != 0 {
		t.Errorf("text part renders %q (%s, %q)", got, text.Doc.Kind, text.Doc.Notes)
	}

	if meta.Name != "meta" || meta.ContentType != "application/json" || meta.Doc == nil {
		t.Errorf("json part = %+v", meta)
	} else if got := texts(meta.Doc.Lines); !slices.Equal(got, []string{"{", `  "a": 1`, "}"}) {
		t.Errorf("json part renders %q", got)
	}

	if file.Name != "avatar" || file.FileName != "dir/me.png" || file.ContentType != "image/png" ||
		file.Size != len(png) || !bytes.Equal(file.Data, png) {
		t.Errorf("file part = %+v", file)
	}
	// A binary part has a hex preview, as a binary body does.
	if file.Doc == nil || file.Doc.Kind != KindBinary {
		t.Errorf("binary file part has no hex preview: %+v", file.Doc)
	} else if got, want := texts(file.Doc.Lines), texts(HexDump(png, 0)); !slices.Equal(got, want) {
		t.Errorf("binary file part previews %q, want %q", got, want)
	}
	if file.Header.Get("Content-Type") != "image/png" {
		t.Errorf("file part header = %v", file.Header)
	}
	if blob.Name != "blob" || blob.Doc == nil || blob.Doc.Kind != KindBinary || !bytes.Equal(blob.Data, []byte{0, 1, 2}) {
		t.Errorf("binary field = %+v", blob)
	} else if got := texts(blob.Doc.Lines); len(got) != 1 || !strings.Contains(got[0], "00 01 02") {
		t.Errorf("binary field previews %q", got)
	}

	raw := Body(buf.Bytes(), header, Options{})
	if raw.Kind != KindMultipart || raw.Parts != nil || len(raw.Lines) == 0 {
		t.Errorf("raw multipart: Kind %q, %d parts, %d lines", raw.Kind, len(raw.Parts), len(raw.Lines))
	}
}

func TestBodyMultipartMalformed(t *testing.T) {
	tests := map[string]struct {
		body, contentType string
		lines             []string
		notes             []string
		parts             int
		errMsg            string
	}{
		"no closing boundary": {
			body:        "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx",
			contentType: "multipart/form-data; boundary=b",
			lines:       []string{"--b", "Content-Disposition: form-data; name=a", "", "x"},
			errMsg:      "unexpected EOF",
		},
		"boundary not in body": {
			body:        "just text",
			contentType: "multipart/form-data; boundary=b",
			lines:       []string{"just text"},
			errMsg:      `boundary "b" not found in body`,
		},
		"boundary missing from Content-Type": {
			body:        "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz--\r\n",
			contentType: "multipart/form-data",
			notes:       []string{"multipart boundary missing from Content-Type; taken from the body"},
			parts:       1,
		},
		"no boundary anywhere": {
			body:        "a=1",
			contentType: "multipart/form-data",
			lines:       []string{"a=1"},
			errMsg:      "no boundary in Content-Type or body",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc := Body([]byte(tt.body), ct(tt.contentType), Options{Pretty: true})
			if doc.Kind != KindMultipart {
				t.Errorf("Kind = %q", doc.Kind)
			}
			if tt.lines != nil && !slices.Equal(texts(doc.Lines), tt.lines) {
				t.Errorf("lines = %q, want %q", texts(doc.Lines), tt.lines)
			}
			if !slices.Equal(doc.Notes, tt.notes) {
				t.Errorf("Notes = %q, want %q", doc.Notes, tt.notes)
			}
			if len(doc.Parts) != tt.parts {
				t.Errorf("%d parts, want %d", len(doc.Parts), tt.parts)
			}
			switch {
			case tt.errMsg == "" && doc.Err != nil:
				t.Errorf("Err = %v", doc.Err)
			case tt.errMsg != "" && (doc.Err == nil || !strings.Contains(doc.Err.Msg, tt.errMsg)):
				t.Errorf("Err = %v, want %q", doc.Err, tt.errMsg)
			}
		})
	}
}

func TestBodyMultipartCut(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("long", strings.Repeat("word ", 10000))
	w.Close()
	doc := Body(buf.Bytes(), ct(w.FormDataContentType()), Options{Pretty: true, Limit: 64 << 10})
	if len(doc.Parts) != 1 || doc.Parts[0].Doc == nil {
		t.Fatalf("parts = %+v", doc.Parts)
	}
	p := doc.Parts[0]
	if !p.Doc.Cut || !doc.Cut {
		t.Errorf("part Cut = %v, document Cut = %v; want both", p.Doc.Cut, doc.Cut)
	}
	if p.Size != 50000 || len(p.Data) != 50000 {
		t.Errorf("part keeps %d of %d bytes, want all 50000", len(p.Data), p.Size)
	}
}

// TestBodyConcurrent lets the race detector watch the shared palettes and
// chroma lexers.
func TestBodyConcurrent(t *testing.T) {
	bodies := map[string]string{
		"application/json": `{"a":[1,2,{"b":null}]}`,
		"text/xml":         `<a><b>1</b></a>`,
		"text/html":        `<p>x<script>y()</script></p>`,
	}
	var wg sync.WaitGroup
	for i := range 8 {
		for contentType, body := range bodies {
			wg.Go(func() {
				doc := Body([]byte(body), ct(contentType), Options{Pretty: true, Dark: i%2 == 0})
				if len(doc.Lines) < 2 || doc.Err != nil {
					t.Errorf("%s: %q %v", contentType, texts(doc.Lines), doc.Err)
				}
			})
		}
	}
	wg.Wait()
}

func TestSniff(t *testing.T) {
	tests := map[string]struct {
		body, contentType string
		want              Kind
	}{
		"empty":                   {"", "application/json", KindEmpty},
		"json":                    {`{"a":1}`, "application/json", KindJSON},
		"json charset":            {`{}`, "Application/JSON; charset=UTF-8", KindJSON},
		"problem+json":            {`{}`, "application/problem+json", KindJSON},
		"malformed json labelled": {`{"a":`, "application/json", KindJSON},
		"json as text/plain":      {` [1, 2] `, "text/plain", KindJSON},
		"scalar json stays text":  {`42`, "text/plain", KindText},
		"json as octet-stream":    {`{"a":1}`, "application/octet-stream", KindJSON},
		"binary labelled json":    {"\x00\x00", "application/json", KindBinary},
		"ndjson is text":          {"{\"a\":1}\n{\"a\":2}\n", "application/x-ndjson", KindText},
		"xml":                     {`<a/>`, "application/xml", KindXML},
		"text/xml":                {`<a/>`, "text/xml", KindXML},
		"soap+xml":                {`<a/>`, "application/soap+xml; charset=utf-8", KindXML},
		"xml prolog sniffed":      {`<?xml version="1.0"?><a/>`, "", KindXML},
		"xhtml":                   {`<html/>`, "application/xhtml+xml", KindHTML},
		"html":                    {`<p>x</p>`, "text/html", KindHTML},
		"html sniffed":            {`<!DOCTYPE html><html></html>`, "text/plain", KindHTML},
		"form":                    {`a=1`, "application/x-www-form-urlencoded", KindForm},
		"form sniffed":            {`a=1&b=two+words`, "", KindForm},
		"form-like text":          {`a=1&b=2`, "text/plain", KindText},
		"multipart":               {"\x00", "multipart/form-data; boundary=x", KindMultipart},
		"multipart mixed":         {"--x", "multipart/mixed; boundary=x", KindMultipart},
		"text":                    {"hi", "text/plain", KindText},
		"csv":                     {"a,b\n1,2", "text/csv", KindText},
		"invalid utf-8":           {"\xff\xfe", "text/plain", KindBinary},
		"control chars":           {"\x01\x02\x03abc", "", KindBinary},
		"png":                     {"\x89PNG\r\n\x1a\n", "image/png", KindBinary},
		"broken params":           {`{}`, "application/json; charset", KindJSON},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Sniff([]byte(tt.body), tt.contentType); got != tt.want {
				t.Errorf("Sniff(%q, %q) = %q, want %q", tt.body, tt.contentType, got, tt.want)
			}
		})
	}
}

func TestHexDump(t *testing.T) {
	in := []byte("{\"a\":1}\x00\x01\xffHello, world")
	want := []string{
		`00000000  7b 22 61 22 3a 31 7d 00  01 ff 48 65 6c 6c 6f 2c  |{"a":1}...Hello,|`,
		`00000010  20 77 6f 72                                       | wor|`,
	}
	lines := HexDump(in[:20], 0)
	if got := texts(lines); !slices.Equal(got, want) {
		t.Fatalf("HexDump:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Same layout as hexdump -C and encoding/hex.
	if got := strings.Join(texts(lines), "\n") + "\n"; got != hex.Dump(in[:20]) {
		t.Errorf("differs from hex.Dump:\n%s\n%s", got, hex.Dump(in[:20]))
	}
	for i, l := range lines {
		if len(l) != 3 {
			t.Fatalf("line %d has %d segments, want offset, hex, ascii", i, len(l))
		}
		if l[0].Style == l[1].Style || l[2].Style == l[1].Style || l[0].Style == l[2].Style {
			t.Errorf("line %d: columns share a style", i)
		}
	}
	if got := len(HexDump(in, 16)); got != 1 {
		t.Errorf("HexDump(max 16) gave %d lines, want 1", got)
	}
	if got := HexDump(nil, 0); len(got) != 0 {
		t.Errorf("HexDump(nil) = %q", texts(got))
	}
}

func TestSizeString(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 1 << 20: "1 MiB", 1<<20 + 3: "1.0 MiB", 64 << 20: "64 MiB"} {
		if got := sizeString(n); got != want {
			t.Errorf("sizeString(%d) = %q, want %q", n, got, want)
		}
	}
}

func jsonBody(size int) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"user %d","email":"u%d@example.com","active":true,"score":%d.5,"tags":["a","b"],"addr":{"city":"Berlin","zip":"10115"}}`, i, i, i, i)
	}
	b.WriteString("]")
	return b.Bytes()
}

func benchmarkBody(b *testing.B, size int, opt Options) {
	body := jsonBody(size)
	h := ct("application/json")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Body(body, h, opt)
	}
}

func BenchmarkBodyJSON1MiB(b *testing.B) {
	benchmarkBody(b, 1<<20, Options{Pretty: true})
}

func BenchmarkBodyJSON100KiB(b *testing.B) {
	benchmarkBody(b, 100<<10, Options{Pretty: true})
}

// The cost the default HighlightLimit avoids.
func BenchmarkBodyJSON100KiBHighlighted(b *testing.B) {
	benchmarkBody(b, 100<<10, Options{Pretty: true, HighlightLimit: 1 << 20})
}

func BenchmarkBodyJSON1MiBHighlighted(b *testing.B) {
	benchmarkBody(b, 1<<20, Options{Pretty: true, HighlightLimit: 4 << 20})
}

// A file part is previewed when it is text, whatever type the sender gave
// it (curl -F sends unknown files as application/octet-stream); a binary
// file as a hex dump.
func TestMultipartPreviewsTextFiles(t *testing.T) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="mod"; filename="go.mod"`)
	h.Set("Content-Type", "application/octet-stream")
	pw, _ := mw.CreatePart(h)
	pw.Write([]byte("module hookscope\n\ngo 1.26\n"))
	h = textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="img"; filename="a.png"`)
	h.Set("Content-Type", "application/octet-stream")
	pw, _ = mw.CreatePart(h)
	pw.Write([]byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 0xff, 0x00})
	mw.Close()
	doc := Body(buf.Bytes(), http.Header{"Content-Type": {mw.FormDataContentType()}}, Options{Pretty: true})
	if len(doc.Parts) != 2 {
		t.Fatalf("%d parts", len(doc.Parts))
	}
	if p := doc.Parts[0]; p.Doc == nil || !strings.Contains(lineText(p.Doc.Lines), "module hookscope") {
		t.Fatalf("the text file is not previewed: %+v", p.Doc)
	}
	if p := doc.Parts[1]; p.Doc == nil || p.Doc.Kind != KindBinary || len(p.Data) != 10 {
		t.Fatalf("the binary file: doc %v, %d bytes kept; want a hex preview and the bytes", p.Doc != nil, len(p.Data))
	}
}

func lineText(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		for _, s := range l {
			b.WriteString(s.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
