package render

import (
	"github.com/alecthomas/chroma/v2"
)

// jsonTokens splits JSON text into chroma tokens of the types chroma's own
// JSON lexer emits (NameTag for keys, LiteralStringDouble, numbers,
// KeywordConstant, Punctuation, Text), so chroma's styles colour it the same
// way. Chroma's regexp lexer manages about 1 MB/s here; this single pass is
// what lets a 1 MiB body be highlighted in well under 200 ms. It never
// fails: bytes that are not JSON come out as Text.
func jsonTokens(text string) []chroma.Token {
	// About one token per four bytes of indented JSON; growing the slice
	// from empty was most of the time spent.
	toks := make([]chroma.Token, 0, len(text)/4)
	// Tokens are consecutive slices of text, so a run of one type grows by
	// re-slicing from where it started: appending to the string instead
	// copied the run at every byte, and 256 KiB of "[" took 8 s.
	lastStart := 0
	emit := func(t chroma.TokenType, from, to int) {
		if n := len(toks); n > 0 && toks[n-1].Type == t && t != chroma.NameTag && t != chroma.LiteralStringDouble {
			toks[n-1].Value = text[lastStart:to]
			return
		}
		lastStart = from
		toks = append(toks, chroma.Token{Type: t, Value: text[from:to]})
	}
	// inObject records, per open container, whether it is an object;
	// expectKey is whether the next string there is a key.
	var inObject []bool
	expectKey := false
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r') {
				j++
			}
			emit(chroma.Text, i, j)
			i = j
		case c == '"':
			j := i + 1
			for j < len(text) && text[j] != '"' && text[j] != '\n' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			if j < len(text) && text[j] == '"' {
				j++
			}
			j = min(j, len(text))
			if expectKey {
				toks = append(toks, chroma.Token{Type: chroma.NameTag, Value: text[i:j]})
				expectKey = false
			} else {
				toks = append(toks, chroma.Token{Type: chroma.LiteralStringDouble, Value: text[i:j]})
			}
			i = j
		case c == '{' || c == '[':
			inObject = append(inObject, c == '{')
			expectKey = c == '{'
			emit(chroma.Punctuation, i, i+1)
			i++
		case c == '}' || c == ']':
			if len(inObject) > 0 {
				inObject = inObject[:len(inObject)-1]
			}
			expectKey = false
			emit(chroma.Punctuation, i, i+1)
			i++
		case c == ',':
			expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			emit(chroma.Punctuation, i, i+1)
			i++
		case c == ':':
			expectKey = false
			emit(chroma.Punctuation, i, i+1)
			i++
		case c == '-' || ('0' <= c && c <= '9'):
			j, float := i+1, false
			for j < len(text) && isNumberByte(text[j]) {
				float = float || text[j] == '.' || text[j] == 'e' || text[j] == 'E'
				j++
			}
			t := chroma.LiteralNumberInteger
			if float {
				t = chroma.LiteralNumberFloat
			}
			toks = append(toks, chroma.Token{Type: t, Value: text[i:j]})
			i = j
		default:
			j := i + 1
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
			switch w := text[i:j]; w {
			case "true", "false", "null":
				toks = append(toks, chroma.Token{Type: chroma.KeywordConstant, Value: w})
			default:
				emit(chroma.Text, i, j)
			}
			i = j
		}
	}
	return toks
}

func isNumberByte(c byte) bool {
	return ('0' <= c && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

func isWordByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '_' || c >= 0x80
}
