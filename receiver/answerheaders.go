package receiver

import (
	"net/http"
	"strconv"
	"time"
)

// completeAnswer adds to the answer's headers those net/http would add on
// its own, so the capture records every header the sender received: Date
// and Content-Length always (RFC 9110 §6.6.1, §8.6), Content-Type when the
// body has none (net/http sniffs one), and Connection: close when the
// connection ends after it. Set here, net/http sends them as they are.
func completeAnswer(h http.Header, status int, body []byte, now time.Time, closing bool) {
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	if bodyAllowed(status) {
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if _, ok := h["Content-Type"]; !ok && len(body) > 0 {
			h.Set("Content-Type", http.DetectContentType(body))
		}
	} else {
		// A 1xx, 204 or 304 answer has no body and no Content-Length
		// describing one (RFC 9110 §8.6); net/http drops it too.
		h.Del("Content-Length")
	}
	if closing {
		h.Set("Connection", "close")
	}
}
