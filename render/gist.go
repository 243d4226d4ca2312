package render

import (
	"bytes"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// gistKeys are the top-level keys that tell one webhook event from another
// of the same path, in the order a gist names them: the event's kind as
// Stripe (type), GitHub (action), Shopify-style payloads (event) and most
// others write it, then its ID.
var gistKeys = []string{"type", "event", "event_type", "action", "id"}

// gistKeysShown is how many of gistKeys a gist names at most.
const gistKeysShown = 3

// Gist is a short line that tells a body from another of the same path: a
// JSON object's identifying values ("type: review, id: t-1") when it has
// any of gistKeys, else its first printable text with runs of white space
// made one space, cut to max runes with "…". A binary body's gist is
// "binary", an empty one's "empty body". Content-Encoding in header is
// undone first.
func Gist(body []byte, header http.Header, max int) string {
	body, _ = Decoded(body, header)
	if len(body) == 0 {
		return "empty body"
	}
	if Sniff(body, header.Get("Content-Type")) == KindBinary {
		return "binary"
	}
	s := jsonGist(body)
	if s == "" {
		s = string(body[:min(len(body), 4*max)])
	}
	return cut(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "), max)
}

// jsonGist names the values of the identifying keys a JSON object holds;
// "" for anything else.
func jsonGist(body []byte) string {
	body = bytes.TrimPrefix(body, utf8BOM)
	if !gjson.ValidBytes(body) {
		return ""
	}
	doc := gjson.ParseBytes(body)
	if !doc.IsObject() {
		return ""
	}
	var parts []string
	for _, k := range gistKeys {
		v := doc.Get(gjson.Escape(k))
		if !v.Exists() || v.IsObject() || v.IsArray() {
			continue
		}
		parts = append(parts, k+": "+v.String())
		if len(parts) == gistKeysShown {
			break
		}
	}
	return strings.Join(parts, ", ")
}

// cut is s in at most max runes, "…" last when it was longer.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
