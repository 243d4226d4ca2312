package render

import (
	"bytes"
	"image/color"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// palette maps chroma token types to Styles for one chroma style. It is
// computed once for every token type, so concurrent renders share it
// without locking.
type palette struct {
	styles map[chroma.TokenType]Style
}

const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

var (
	lightPalette = sync.OnceValue(func() *palette { return newPalette(styles.Get(lightStyle)) })
	darkPalette  = sync.OnceValue(func() *palette { return newPalette(styles.Get(darkStyle)) })
)

func paletteFor(dark bool) *palette {
	if dark {
		return darkPalette()
	}
	return lightPalette()
}

func newPalette(s *chroma.Style) *palette {
	p := &palette{styles: map[chroma.TokenType]Style{}}
	for _, tt := range chroma.TokenTypeValues() {
		e := s.Get(tt)
		st := Style{Bold: e.Bold == chroma.Yes, Italic: e.Italic == chroma.Yes}
		if e.Colour.IsSet() {
			st.Color = color.NRGBA{R: e.Colour.Red(), G: e.Colour.Green(), B: e.Colour.Blue(), A: 0xff}
			st.HasColor = true
		}
		p.styles[tt] = st
	}
	return p
}

func (p *palette) style(tt chroma.TokenType) Style {
	if s, ok := p.styles[tt]; ok {
		return s
	}
	return p.styles[chroma.Text]
}

func (p *palette) hexStyles() hexStyles {
	return hexStyles{
		offset: p.style(chroma.Comment),
		hex:    p.style(chroma.Text),
		ascii:  p.style(chroma.LiteralString),
	}
}

// lines splits text into display lines, highlighted with the named chroma
// lexer ("" for plain) while the text is within HighlightLimit. errLine, when
// not 0, is the 1-based source line to mark as the error line.
func (r *renderer) lines(text, lexer string, errLine int) []Line {
	var out []Line
	limit := r.opt.HighlightLimit
	if lexer == "json" || lexer == "xml" {
		limit = r.opt.fastHighlightLimit
	}
	if lexer != "" && len(text) > limit {
		r.note(noteHighlightOff)
		lexer = ""
	}
	if lexer != "" {
		if tokenLines, ok := tokenise(text, lexer); ok {
			out = make([]Line, 0, len(tokenLines))
			for i, toks := range tokenLines {
				var l Line
				for _, t := range toks {
					l = appendSegment(l, t.Value, r.pal.style(t.Type))
				}
				out = appendLine(out, l, i+1 == errLine)
			}
			return out
		}
	}
	plain := r.pal.style(chroma.Text)
	text = strings.TrimSuffix(text, "\n")
	out = make([]Line, 0, strings.Count(text, "\n")+1)
	n := 0
	for s := range strings.SplitSeq(text, "\n") {
		n++
		out = appendLine(out, appendSegment(nil, s, plain), n == errLine)
	}
	return out
}

func tokenise(text, lexer string) ([][]chroma.Token, bool) {
	switch lexer {
	case "json":
		return chroma.SplitTokensIntoLines(jsonTokens(text)), true
	case "xml":
		return chroma.SplitTokensIntoLines(xmlTokens(text)), true
	}
	l := lexers.Get(lexer)
	if l == nil {
		return nil, false
	}
	it, err := chroma.Coalesce(l).Tokenise(nil, text)
	if err != nil {
		return nil, false
	}
	return chroma.SplitTokensIntoLines(it.Tokens()), true
}

// appendLine adds l to out, marked as the error line if asked, and wrapped
// into continuation lines when wider than maxRunes.
func appendLine(out []Line, l Line, isErr bool) []Line {
	if isErr {
		if len(l) == 0 {
			// An empty error line still needs something to mark.
			l = Line{{Text: " "}}
		}
		for i := range l {
			l[i].Style.Error = true
		}
	}
	width := 0
	for _, s := range l {
		width += len(s.Text)
	}
	if width <= maxRunes { // bytes bound runes from above
		return append(out, l)
	}
	var cur Line
	runes := 0
	for _, s := range l {
		text := s.Text
		for text != "" {
			room := maxRunes - runes
			i, n := 0, 0
			for i < len(text) && n < room {
				_, size := utf8.DecodeRuneInString(text[i:])
				i += size
				n++
			}
			cur = append(cur, Segment{Text: text[:i], Style: s.Style})
			runes += n
			text = text[i:]
			if runes == maxRunes {
				out = append(out, cur)
				cur, runes = nil, 0
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// appendSegment adds text to l in style st, making it safe for a TextGrid
// and merging with the previous segment when the styles match.
func appendSegment(l Line, text string, st Style) Line {
	text = clean(text)
	if text == "" {
		return l
	}
	// Merging only onto short segments keeps a long line of alternating
	// same-styled tokens from turning quadratic.
	if n := len(l); n > 0 && l[n-1].Style == st && len(l[n-1].Text) < 256 {
		l[n-1].Text += text
		return l
	}
	return append(l, Segment{Text: text, Style: st})
}

// clean drops line endings, expands tabs to four spaces (a TextGrid has no
// tab stops) and shows other control characters as Unicode control pictures
// so they neither vanish nor corrupt the grid.
func clean(s string) string {
	dirty := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			dirty = true
			break
		}
	}
	if !dirty {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n' || c == '\r':
		case c == '\t':
			b.WriteString("    ")
		case c < 0x20:
			b.WriteRune(0x2400 + rune(c))
		case c == 0x7f:
			b.WriteRune(0x2421)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cutAt returns where to cut b to at most n bytes: at the end of a line
// when one ends shortly before n, so the last line shown is whole, else at
// a rune boundary.
func cutAt(b []byte, n int) int {
	i := runeCut(b, n)
	if i == len(b) {
		return i
	}
	from := max(0, i-maxRunes)
	if j := bytes.LastIndexByte(b[from:i], '\n'); j >= 0 {
		return from + j
	}
	return i
}

// runeCut returns the largest index <= n that does not split a UTF-8
// sequence in b.
func runeCut(b []byte, n int) int {
	if n >= len(b) {
		return len(b)
	}
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return n
}
