package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// xmlTokens splits XML text into the tokens chroma's XML lexer emits, rule
// for rule (lexers/embedded/xml.xml: Text, NameEntity, Comment,
// CommentPreproc for CDATA, processing instructions and declarations,
// NameTag, NameAttribute, LiteralString, and Error for a character no rule
// takes), so chroma's styles colour it the same way. Like jsonTokens it is a
// single pass: chroma's regexp lexer manages about 1 MB/s here, which held
// XML highlighting to 64 KiB.
func xmlTokens(text string) []chroma.Token {
	// Chroma turns \r\n and lone \r into \n before lexing; so does this.
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	toks := make([]chroma.Token, 0, len(text)/8)
	// Tokens are consecutive slices of text: a run of one type grows by
	// re-slicing from its start (appending to the string is quadratic).
	lastStart := 0
	emit := func(t chroma.TokenType, from, to int) {
		if from == to {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].Type == t {
			toks[n-1].Value = text[lastStart:to]
			return
		}
		lastStart = from
		toks = append(toks, chroma.Token{Type: t, Value: text[from:to]})
	}
	// Where the last "?>", ">" and "]]>" are: a search from a point past
	// them fails without scanning, so a body of many "<?" or "<!" with no
	// end stays linear instead of rescanning the rest at each one.
	lastPI, lastGT, lastCDATA := strings.LastIndex(text, "?>"), strings.LastIndexByte(text, '>'), strings.LastIndex(text, "]]>")
	stop := 0 // the first ';' or space after the last '&' looked at
	const (
		root = iota
		tag
		attr
	)
	state := root
	for i := 0; i < len(text); {
		rest := text[i:]
		if state != root {
			// Both the tag and the attribute state take \s+ as Text.
			if n := spaceLen(rest); n > 0 {
				emit(chroma.Text, i, i+n)
				i += n
				continue
			}
		}
		switch state {
		case root:
			switch {
			case rest[0] != '<' && rest[0] != '&':
				j := strings.IndexAny(rest, "<&")
				if j < 0 {
					j = len(rest)
				}
				emit(chroma.Text, i, i+j)
				i += j
			case rest[0] == '&':
				// &\S*?; — the shortest run of non-spaces ending in ';'.
				// The first ';' or space after i ends the scan; it is
				// the same for every '&' before it, so it is found once.
				if stop <= i {
					stop = i + 1 + stopLen(text[i+1:])
				}
				if stop < len(text) && text[stop] == ';' {
					j := stop + 1 - i
					emit(chroma.NameEntity, i, i+j)
					i += j
				} else {
					i += errorRune(emit, text, i)
				}
			case strings.HasPrefix(rest, "<![CDATA["):
				if lastCDATA >= i+9 {
					j := 9 + strings.Index(rest[9:], "]]>")
					emit(chroma.CommentPreproc, i, i+j+3)
					i += j + 3
				} else if lastGT > i {
					j := strings.IndexByte(rest, '>')
					// Unterminated CDATA falls to <![^>]*>.
					emit(chroma.CommentPreproc, i, i+j+1)
					i += j + 1
				} else {
					i += errorRune(emit, text, i)
				}
			case strings.HasPrefix(rest, "<!--"):
				// The comment state takes everything up to "-->".
				j := strings.Index(rest[4:], "-->")
				if j < 0 {
					emit(chroma.Comment, i, len(text))
					i = len(text)
				} else {
					emit(chroma.Comment, i, i+4+j+3)
					i += 4 + j + 3
				}
			case strings.HasPrefix(rest, "<?") && lastPI >= i+2:
				j := strings.Index(rest[2:], "?>")
				emit(chroma.CommentPreproc, i, i+2+j+2)
				i += 2 + j + 2
			case strings.HasPrefix(rest, "<!") && lastGT > i:
				j := strings.IndexByte(rest, '>')
				emit(chroma.CommentPreproc, i, i+j+1)
				i += j + 1
			default:
				// <\s*[\w:.-]+ opens a tag; <\s*/\s*[\w:.-]+\s*> closes one.
				j := 1 + spaceLen(rest[1:])
				if n := nameLen(rest[j:]); n > 0 {
					emit(chroma.NameTag, i, i+j+n)
					i += j + n
					state = tag
					break
				}
				if j < len(rest) && rest[j] == '/' {
					k := j + 1 + spaceLen(rest[j+1:])
					if n := nameLen(rest[k:]); n > 0 {
						k += n
						k += spaceLen(rest[k:])
						if k < len(rest) && rest[k] == '>' {
							emit(chroma.NameTag, i, i+k+1)
							i += k + 1
							break
						}
					}
				}
				i += errorRune(emit, text, i)
			}
		case tag:
			if n := nameLen(rest); n > 0 {
				// [\w.:-]+\s*= names an attribute; a name without "=" is
				// not a rule of this state.
				k := n + spaceLen(rest[n:])
				if k < len(rest) && rest[k] == '=' {
					emit(chroma.NameAttribute, i, i+k+1)
					i += k + 1
					state = attr
					break
				}
			}
			// /?\s*> closes the tag.
			k := 0
			if rest[0] == '/' {
				k = 1
			}
			k += spaceLen(rest[k:])
			if k < len(rest) && rest[k] == '>' {
				emit(chroma.NameTag, i, i+k+1)
				i += k + 1
				state = root
				break
			}
			i += errorRune(emit, text, i)
		case attr:
			if q := rest[0]; q == '"' || q == '\'' {
				if j := strings.IndexByte(rest[1:], q); j >= 0 {
					emit(chroma.LiteralString, i, i+j+2)
					i += j + 2
					state = tag
					break
				}
			}
			// [^\s>]+ is an unquoted value.
			n := 0
			for n < len(rest) {
				r, size := utf8.DecodeRuneInString(rest[n:])
				if r == '>' || isSpace(r) {
					break
				}
				n += size
			}
			if n > 0 {
				emit(chroma.LiteralString, i, i+n)
				i += n
				state = tag
				break
			}
			i += errorRune(emit, text, i)
		}
	}
	return toks
}

// errorRune emits the first rune of s as an Error token, as chroma does when
// no rule matches, and returns its length.
func errorRune(emit func(chroma.TokenType, int, int), text string, i int) int {
	_, n := utf8.DecodeRuneInString(text[i:])
	emit(chroma.Error, i, i+n)
	return n
}

// stopLen is the length of the run of s before its first ';' or space.
func stopLen(s string) int {
	for i, r := range s {
		if r == ';' || isSpace(r) {
			return i
		}
	}
	return len(s)
}

// isSpace is the \s of chroma's regexp engine (regexp2): Unicode spaces.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

func spaceLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !isSpace(r) {
			break
		}
		n += size
	}
	return n
}

// nameLen is the length of [\w:.-]+ at the start of s, \w being regexp2's
// Unicode word characters.
func nameLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !(r == ':' || r == '.' || r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Pc)) {
			break
		}
		n += size
	}
	return n
}
