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
// default one (see answerOver).
func projectResponse(def store.Response, r store.ProjectResponse) store.Response {
	h := make(http.Header, len(r.Headers))
	for name, v := range r.Headers {
		h.Set(name, v)
	}
	return answerOver(def, r.Status, []byte(r.Body), r.Body != "", h)
}

// answerOver is an answer (a project's, a rule step's) over the fallback
// one: status 0 keeps the fallback status, an answer without a body keeps
// the fallback body and its Content-Type, and headers net/http owns are not
// the answer's to set (a Content-Length of its own emptied the answer).
func answerOver(fallback store.Response, status int, body []byte, hasBody bool, header http.Header) store.Response {
	out := store.Response{Status: fallback.Status, Header: fallback.Header.Clone(), Body: fallback.Body}
	if out.Header == nil {
		out.Header = http.Header{}
	}
	if status != 0 {
		out.Status = status
	}
	if hasBody {
		out.Body = body
		out.Header.Del("Content-Type")
	}
	if !bodyAllowed(out.Status) {
		out.Body = nil
		out.Header.Del("Content-Type")
	}
	for name, vals := range header {
		switch http.CanonicalHeaderKey(name) {
		case "Content-Length", "Transfer-Encoding", "Connection", CaptureIDHeader:
			continue
		}
		out.Header[http.CanonicalHeaderKey(name)] = vals
	}
	return out
}

// bodyAllowed reports whether an answer with this status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
