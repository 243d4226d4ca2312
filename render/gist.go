package render

import (
	"bytes"
	"net/http"
	"slices"
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

// Gist is a short line that tells a body from another of the same path: a
// JSON object's top-level values, identifying ones first ("type: review,
// taskId: t-1, …"), else its first text with runs of white space
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
	s := jsonGist(body, max)
	if s == "" {
		s = string(body[:min(len(body), 4*max)])
	}
	return cut(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "), max)
}

// jsonGist names the values of the identifying keys a JSON object holds,
// then its other top-level keys whose names end in "id" (taskId,
// order_id), then the rest of its top-level values, while they fit in
// max runes; "" for anything else.
func jsonGist(body []byte, max int) string {
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
		if v := doc.Get(gjson.Escape(k)); scalar(v) {
			parts = append(parts, k+": "+v.String())
		}
	}
	idLike := func(k string) bool { return strings.HasSuffix(strings.ToLower(k), "id") }
	for _, pass := range []func(string) bool{idLike, func(k string) bool { return !idLike(k) }} {
		doc.ForEach(func(k, v gjson.Result) bool {
			if scalar(v) && pass(k.String()) && !slices.Contains(gistKeys, k.String()) {
				parts = append(parts, k.String()+": "+v.String())
			}
			return utf8.RuneCountInString(strings.Join(parts, ", ")) < max
		})
	}
	return strings.Join(parts, ", ")
}

// scalar reports whether v is there and is no object or array.
func scalar(v gjson.Result) bool { return v.Exists() && !v.IsObject() && !v.IsArray() }

// cut is s in at most max runes, "…" last when it was longer.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
