package receiver

import (
	"net/http"
	"time"

	"hookscope/projects"
	"hookscope/store"
)

// prepare has the capture's project classify it (its project and signature
// check) and fills in the answer the project asks for, and its delay.
func (s *Server) prepare(c *store.Capture) (delay time.Duration) {
	p, ok := s.book.Classify(c)
	if !ok {
		return 0
	}
	// A truncated capture keeps its 413: the sender must learn its body was
	// cut, whatever answer the project asks for.
	if r := p.Response; r.Status != 0 && !c.Truncated {
		c.Response = projectResponse(c.Response, r)
	}
	return projects.AnswerDelay(p)
}

// projectResponse is the answer a project asks for, over the receiver's
// default one: without a body of its own it keeps the default body and its
// Content-Type, and headers net/http owns are not the project's to set (a
// Content-Length of its own emptied the answer).
func projectResponse(def store.Response, r store.ProjectResponse) store.Response {
	out := store.Response{Status: r.Status, Header: def.Header.Clone(), Body: def.Body}
	if r.Body != "" {
		out.Body = []byte(r.Body)
		out.Header.Del("Content-Type")
	}
	if !bodyAllowed(r.Status) {
		out.Body = nil
		out.Header.Del("Content-Type")
	}
	for name, v := range r.Headers {
		switch http.CanonicalHeaderKey(name) {
		case "Content-Length", "Transfer-Encoding", "Connection", CaptureIDHeader:
			continue
		}
		out.Header.Set(name, v)
	}
	return out
}

// bodyAllowed reports whether an answer with this status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
