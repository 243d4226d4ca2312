package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestJSONTokensMatchChroma checks the fast tokenizer against chroma's own
// JSON lexer: the same text must get the same token types, so the colours
// users see do not depend on which one ran.
func TestJSONTokensMatchChroma(t *testing.T) {
	tests := map[string]string{
		"object":          `{"a": 1, "b": "two", "c": [true, false, null], "d": {"e": -1.5e+3}}`,
		"nested arrays":   `[[1, 2], [{"k": "v"}], []]`,
		"escapes":         `{"q\"uote": "back\\slash \u00e9 \n", "empty": ""}`,
		"numbers":         `[0, -0, 12345678901234567890, 1.0e10, 1E-7, 0.5]`,
		"key after array": `{"a": [1, {"b": 2}], "c": 3}`,
	}
	for name, compact := range tests {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := json.Indent(&buf, []byte(compact), "", "  "); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			it, err := chroma.Coalesce(lexers.Get("json")).Tokenise(nil, text)
			if err != nil {
				t.Fatal(err)
			}
			want := significant(it.Tokens())
			got := significant(jsonTokens(text))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("tokens differ\n got: %q\nwant: %q", got, want)
			}
		})
	}
}

// significant lists non-whitespace tokens as "Type Value", one per
// punctuation character, so coalescing differences do not matter.
func significant(toks []chroma.Token) []string {
	var out []string
	for _, tok := range toks {
		v := strings.TrimSpace(tok.Value)
		if v == "" {
			continue
		}
		if tok.Type == chroma.Punctuation {
			for _, r := range strings.ReplaceAll(v, " ", "") {
				if r != '\n' {
					out = append(out, fmt.Sprintf("%s %c", tok.Type, r))
				}
			}
			continue
		}
		out = append(out, fmt.Sprintf("%s %s", tok.Type, v))
	}
	return out
}

func TestJSONTokensNeverFailOnGarbage(t *testing.T) {
	for _, text := range []string{`{"a`, `}}]]`, "\x00\xff\"", `{"a" 1 2 :: ,,}`, `tru`, `-`, `"\`} {
		var total string
		for _, tok := range jsonTokens(text) {
			total += tok.Value
		}
		if total != text {
			t.Errorf("%q: tokens spell %q", text, total)
		}
	}
}

func TestOneMiBOfJSONIsHighlightedByDefault(t *testing.T) {
	var items []string
	for i, size := 0, 0; size < 1<<20; i++ {
		items = append(items, fmt.Sprintf(`{"id":%d,"name":"item %d","ok":true}`, i, i))
		size += len(items[i]) + 1
	}
	body := []byte("[" + strings.Join(items, ",") + "]")
	doc := Body(body, http.Header{"Content-Type": {"application/json"}}, Options{Pretty: true, Limit: 4 << 20})
	for _, n := range doc.Notes {
		if n == noteHighlightOff {
			t.Fatal("a 1 MiB JSON body was shown without highlighting")
		}
	}
	colours := map[string]bool{}
	for _, seg := range doc.Lines[2] {
		if seg.Style.HasColor {
			colours[fmt.Sprint(seg.Style.Color)] = true
		}
	}
	if len(colours) < 2 {
		t.Fatalf("line %v has %d colours", doc.Lines[2], len(colours))
	}
}

func BenchmarkBodyJSON1MiBHighlightedFast(b *testing.B) {
	var items []string
	for i, size := 0, 0; size < 1<<20; i++ {
		items = append(items, fmt.Sprintf(`{"id":%d,"name":"item %d","tags":["a","b"],"v":%d.5}`, i, i, i))
		size += len(items[i]) + 1
	}
	body := []byte("[" + strings.Join(items, ",") + "]")
	h := http.Header{"Content-Type": {"application/json"}}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Body(body, h, Options{Pretty: true, Limit: 4 << 20})
	}
}
