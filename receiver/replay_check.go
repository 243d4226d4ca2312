package receiver

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"hookscope/delivery"
)

// checkReplayRequest returns a message per invalid field of a replay
// request ("url", "method", "headers[2].value"), or nil. net/http would
// refuse such a request only when sending it, and the replay would then be
// answered 200 as a failed attempt and recorded.
func checkReplayRequest(req ReplayRequestJSON, headers []headerEntry) map[string]string {
	fields := map[string]string{}
	if req.URL != "" {
		if err := delivery.CheckTarget(req.URL); err != nil {
			fields["url"] = err.Error()
		}
	}
	// RFC 9110, section 9.1: a method is a token.
	if req.Method != "" && !isToken(req.Method) {
		fields["method"] = fmt.Sprintf("%q is not an HTTP method: a method is a token such as POST or PUT, without spaces or separators", req.Method)
	}
	for i, h := range headers {
		at := fmt.Sprintf("headers[%d].", i)
		if !isToken(h.Name) {
			fields[at+"name"] = fmt.Sprintf("%q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~, no spaces)", h.Name)
		}
		for _, v := range h.Values {
			if !validFieldValue(v) {
				fields[at+"value"] = fmt.Sprintf("the value of %s must not contain line breaks or control characters", h.Name)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// writeReplayFieldErrors answers 400 in the shape of writeFieldErrors.
func writeReplayFieldErrors(w http.ResponseWriter, fields map[string]string) {
	paths := make([]string, 0, len(fields))
	for p := range fields {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for i, p := range paths {
		paths[i] = p + ": " + fields[p]
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"error":  "invalid replay request: " + strings.Join(paths, "; "),
		"fields": fields,
	})
}

// isToken reports whether s is an RFC 9110 token (section 5.6.2), as
// method and header names must be.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validFieldValue refuses the control characters of RFC 9110, section
// 5.5, but horizontal tab: a CR or LF would split the header.
func validFieldValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
