package receiver

import (
	"fmt"

	"golang.org/x/net/http/httpguts"

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
	if req.Method != "" && !httpguts.ValidHeaderFieldName(req.Method) {
		fields["method"] = fmt.Sprintf("%q is not an HTTP method: a method is a token such as POST or PUT, without spaces or separators", req.Method)
	}
	for i, h := range headers {
		at := fmt.Sprintf("headers[%d].", i)
		if !httpguts.ValidHeaderFieldName(h.Name) {
			fields[at+"name"] = fmt.Sprintf("%q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~, no spaces)", h.Name)
		}
		for _, v := range h.Values {
			if !httpguts.ValidHeaderFieldValue(v) {
				fields[at+"value"] = fmt.Sprintf("the value of %s must not contain line breaks or control characters", h.Name)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}
