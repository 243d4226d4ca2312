package render

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sniff decides what kind of body this is. The Content-Type is a claim, not a
// fact: webhook senders routinely send JSON as text/plain or
// application/octet-stream, and curl -d labels JSON as a form. The bytes win
// when they clearly disagree; binary bytes are binary whatever the label says.
func Sniff(body []byte, contentType string) Kind {
	if len(body) == 0 {
		return KindEmpty
	}
	mt := mediaType(contentType)
	declared := declaredKind(mt)
	if declared == KindMultipart {
		// Parts may hold files, so the body as a whole can look binary.
		return KindMultipart
	}
	if looksBinary(body) {
		return KindBinary
	}
	body = bytes.TrimPrefix(body, utf8BOM)
	switch declared {
	case KindJSON, KindXML, KindHTML:
		// Trust the label even when the body does not parse: the user wants
		// to see why it does not.
		return declared
	case KindForm:
		if isJSONDocument(body) {
			return KindJSON
		}
		return KindForm
	}
	return sniffText(body, mt == "")
}

// sniffText recognises structured text by its content alone.
func sniffText(body []byte, allowForm bool) Kind {
	t := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case isJSONDocument(t):
		return KindJSON
	case len(t) > 0 && t[0] == '<':
		if k := sniffMarkup(t); k != "" {
			return k
		}
	case allowForm && looksForm(body):
		return KindForm
	}
	return KindText
}

// isJSONDocument accepts objects and arrays only: "42" or "true" in a
// text/plain body is text to a reader, even though it is valid JSON.
func isJSONDocument(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

func sniffMarkup(t []byte) Kind {
	head := strings.ToLower(string(t[:min(len(t), 1024)]))
	if strings.HasPrefix(head, "<?xml") {
		if strings.Contains(head, "<html") {
			return KindHTML
		}
		return KindXML
	}
	if strings.HasPrefix(http.DetectContentType(t), "text/html") {
		return KindHTML
	}
	end := bytes.TrimRight(t, " \t\r\n")
	if len(t) > 1 && isNameStart(t[1]) && end[len(end)-1] == '>' {
		return KindXML
	}
	return ""
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// looksForm recognises name=value&name=value with nothing a form encoder
// would have escaped; it is only consulted when there is no Content-Type.
func looksForm(b []byte) bool {
	b = bytes.TrimRight(b, "\r\n")
	if len(b) == 0 || bytes.IndexByte(b, '=') <= 0 {
		return false
	}
	for _, pair := range bytes.Split(b, []byte{'&'}) {
		if bytes.IndexByte(pair, '=') <= 0 {
			return false
		}
	}
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("%+-._~=&*[]!'()", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// looksBinary reports bodies a text view would garble: NUL bytes, invalid
// UTF-8, or mostly control characters.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		return true
	}
	head := b[:min(len(b), 8192)]
	controls := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			controls++
		}
	}
	return controls*10 > len(head)
}

// mediaType is the lower-case type/subtype without parameters.
func mediaType(contentType string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	// A malformed parameter should not hide an obvious type.
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// declaredKind is what the media type claims, or "" when it does not say
// anything useful.
func declaredKind(mt string) Kind {
	switch mt {
	case "":
		return ""
	case "application/json", "text/json", "application/x-json":
		return KindJSON
	case "text/html", "application/xhtml+xml":
		return KindHTML
	case "application/xml", "text/xml":
		return KindXML
	case "application/x-www-form-urlencoded":
		return KindForm
	case "application/octet-stream", "application/pdf", "application/zip",
		"application/gzip", "application/x-protobuf", "application/protobuf",
		"application/grpc", "application/msgpack", "application/x-msgpack",
		"application/cbor":
		return KindBinary
	case "application/x-ndjson", "application/jsonl", "application/json-seq",
		"application/javascript", "application/ecmascript", "application/yaml",
		"application/x-yaml", "application/toml", "application/graphql",
		"application/sql":
		// Text, though several documents or code rather than one JSON value.
		return KindText
	}
	switch {
	case strings.HasSuffix(mt, "+json"):
		return KindJSON
	case strings.HasSuffix(mt, "+xml"):
		return KindXML
	case strings.HasPrefix(mt, "multipart/"):
		return KindMultipart
	case strings.HasPrefix(mt, "text/"):
		return KindText
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "audio/"),
		strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "font/"):
		return KindBinary
	}
	return ""
}
