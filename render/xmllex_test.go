package render

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// chromaXML is what chroma's own XML lexer makes of text, adjacent tokens
// of one type merged.
func chromaXML(t testing.TB, text string) []chroma.Token {
	it, err := lexers.Get("xml").Tokenise(nil, text)
	if err != nil {
		t.Fatal(err)
	}
	return merged(it.Tokens())
}

func merged(toks []chroma.Token) []chroma.Token {
	var out []chroma.Token
	for _, tok := range toks {
		if tok.Value == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Type == tok.Type {
			out[n-1].Value += tok.Value
			continue
		}
		out = append(out, tok)
	}
	return out
}

func tokenString(toks []chroma.Token) string {
	var b strings.Builder
	for _, tok := range toks {
		fmt.Fprintf(&b, "%s %q\n", tok.Type, tok.Value)
	}
	return b.String()
}

// TestXMLTokensMatchChroma checks the fast tokenizer against chroma's XML
// lexer token for token, on the XML webhooks carry and on broken input.
func TestXMLTokensMatchChroma(t *testing.T) {
	tests := map[string]string{
		"soap envelope": `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
  <soap:Body>
    <m:Order xmlns:m="urn:shop" id='42' priority=high>
      <m:Total currency="EUR">12.50</m:Total>
      <m:Note>Fish &amp; chips &#233; &lt;3</m:Note>
      <m:Empty/>
    </m:Order>
  </soap:Body>
</soap:Envelope>
`,
		"comments and cdata": "<a><!-- a - comment -- with dashes --><![CDATA[ <b>not a tag</b> ]]><c />\n</a>",
		"doctype":            `<!DOCTYPE note SYSTEM "Note.dtd"><note>x</note>`,
		"rss":                `<rss version="2.0"><channel><title>Ünïcødé – titel</title><item><link>https://e.x/?a=1&amp;b=2</link></item></channel></rss>`,
		"spaces in tags":     "< a  b = \"1\"\n c='2' / >< / a >",
		"unterminated":       `<a b="x`,
		"bare ampersand":     `<a>Fish & chips; &nbsp</a>`,
		"attribute no value": `<input disabled checked="">`,
		"unterminated cdata": `<a><![CDATA[ oops > and more`,
		"unterminated pi":    `<?xml version="1.0" <a/>`,
		"unterminated comment": `<a><!-- never closed
still comment`,
		"stray closers": `a > b </> <1a> <=x>`,
		"unicode names": `<名前 属性="値">テキスト</名前>`,
		"empty":         ``,
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			want := tokenString(chromaXML(t, text))
			got := tokenString(merged(xmlTokens(text)))
			if got != want {
				t.Fatalf("tokens differ\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// FuzzXMLTokens checks, on any text, that no byte is lost or invented and
// that the tokens are chroma's.
func FuzzXMLTokens(f *testing.F) {
	for _, s := range []string{`<a b="1">x &amp; y</a>`, `<?x?><!--c--><![CDATA[d]]>`, `< / a >`, `<a b=c d='e'/>`, `&;<!x>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip("chroma works on runes; invalid UTF-8 is shown as hex, not highlighted")
		}
		toks := xmlTokens(text)
		var b strings.Builder
		for _, tok := range toks {
			b.WriteString(tok.Value)
		}
		// Line ends are normalised to \n, as chroma does.
		lf := strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		if b.String() != lf {
			t.Fatalf("tokens spell %q, not the text %q", b.String(), lf)
		}
		if got, want := tokenString(merged(toks)), tokenString(chromaXML(t, text)); got != want {
			t.Fatalf("tokens of %q differ from chroma's\n got:\n%s\nwant:\n%s", text, got, want)
		}
	})
}

// A long run of one token type ("[[[[…", "<<<<…", "&&&&…") must cost
// memory in proportion to its length: growing the token by appending to its
// string copied the run at every byte, and 256 KiB of "[" took 8 s. The
// bytes allocated tell linear from quadratic without timing anything.
func TestTokenisersStayLinearOnLongRuns(t *testing.T) {
	const n = 64 << 10 // quadratic would allocate n²/2 = 2 GiB
	for name, tc := range map[string]struct {
		tokens func(string) []chroma.Token
		text   string
	}{
		"json brackets":    {jsonTokens, strings.Repeat("[", n)},
		"json commas":      {jsonTokens, strings.Repeat(",", n)},
		"json words":       {jsonTokens, strings.Repeat("x ", n/2)},
		"xml lone <":       {xmlTokens, strings.Repeat("<", n)},
		"xml ampersands":   {xmlTokens, strings.Repeat("&", n)},
		"xml <! no end":    {xmlTokens, strings.Repeat("<!", n/2)},
		"xml <? no end":    {xmlTokens, strings.Repeat("<?", n/2)},
		"xml cdata no end": {xmlTokens, strings.Repeat("<![CDATA[", n/9)},
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			toks := tc.tokens(tc.text)
			runtime.ReadMemStats(&after)
			var total int
			for _, tok := range toks {
				total += len(tok.Value)
			}
			if total != len(tc.text) {
				t.Fatalf("tokens hold %d bytes of %d", total, len(tc.text))
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Fatalf("tokenising %d bytes allocated %d MiB: quadratic", len(tc.text), alloc>>20)
			}
		})
	}
}

// XML well over chroma's 64 KiB is highlighted now, in chroma's colours.
func TestLargeXMLIsHighlighted(t *testing.T) {
	body := []byte(`<?xml version="1.0"?><orders>` + strings.Repeat(`<order id="1" state='paid'>Fish &amp; chips</order>`, 300<<10/52) + `</orders>`)
	doc := Body(body, http.Header{"Content-Type": {"application/xml"}}, Options{Pretty: true, Limit: 4 << 20})
	if doc.Kind != KindXML {
		t.Fatalf("kind %s", doc.Kind)
	}
	for _, n := range doc.Notes {
		if strings.Contains(n, "highlighting off") {
			t.Fatalf("%d KiB of XML not highlighted: %q", len(body)>>10, n)
		}
	}
	colours := map[string]bool{}
	for _, l := range doc.Lines[:10] {
		for _, seg := range l {
			if seg.Style.HasColor {
				colours[fmt.Sprint(seg.Style.Color)] = true
			}
		}
	}
	if len(colours) < 3 {
		t.Fatalf("the first lines of highlighted XML use %d colours, want tags, attributes and values apart", len(colours))
	}
}

func BenchmarkBodyXML1MiBHighlightedFast(b *testing.B) {
	body := []byte(`<orders>` + strings.Repeat(`<order id="1" state='paid'><item sku="A-1">Fish &amp; chips</item></order>`, 1<<20/75) + `</orders>`)
	h := http.Header{"Content-Type": {"application/xml"}}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Body(body, h, Options{Pretty: true, Limit: 4 << 20})
	}
}
