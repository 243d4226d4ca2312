package delivery

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hookscope/diff"
	"hookscope/render"
	"hookscope/store"
)

// SideKind is what one side of a comparison is.
type SideKind int

// The things a comparison can put side by side.
const (
	// SideCapture is a captured request.
	SideCapture SideKind = iota
	// SideSent is the request a replay (or forward) sent.
	SideSent
	// SideAnswer is the answer a replay got back.
	SideAnswer
)

// Side names one side of a comparison: a capture, or what an attempt sent
// or got back.
type Side struct {
	Kind SideKind
	ID   store.ID
}

// ErrInvalidSide is returned for a side that is not written as ParseSide
// reads it.
var ErrInvalidSide = errors.New("invalid side")

var sidePrefixes = map[SideKind]string{SideSent: "sent:", SideAnswer: "answer:"}

// ParseSide reads a side as String writes it: a capture ID, "sent:" or
// "answer:" and an attempt ID.
func ParseSide(s string) (Side, error) {
	side := Side{Kind: SideCapture}
	for _, kind := range []SideKind{SideSent, SideAnswer} {
		if rest, ok := strings.CutPrefix(s, sidePrefixes[kind]); ok {
			side.Kind, s = kind, rest
			break
		}
	}
	id, err := store.ParseID(s)
	if err != nil {
		what := "a capture ID"
		if side.Kind != SideCapture {
			what = "an attempt ID"
		}
		return Side{}, fmt.Errorf(`%w: %q is not %s (write a capture ID, or "sent:" or "answer:" and an attempt ID)`, ErrInvalidSide, s, what)
	}
	side.ID = id
	return side, nil
}

func (s Side) String() string { return sidePrefixes[s.Kind] + s.ID.String() }

// Loaded is a side read from the store: the capture, or the attempt, it
// names.
type Loaded struct {
	Side    Side
	Capture *store.Capture // for SideCapture
	Attempt *store.Attempt // for SideSent and SideAnswer
}

// Load reads the capture or attempt a side names; store.ErrNotFound or
// store.ErrAttemptNotFound when there is none.
func Load(st *store.Store, s Side) (Loaded, error) {
	if s.Kind == SideCapture {
		c, err := st.Get(s.ID)
		if err != nil {
			return Loaded{}, fmt.Errorf("capture %s: %w", s.ID, err)
		}
		return Loaded{Side: s, Capture: c}, nil
	}
	a, err := st.Attempt(s.ID)
	if err != nil {
		return Loaded{}, err
	}
	return Loaded{Side: s, Attempt: &a}, nil
}

// Project is the slug of the project the side belongs to, "" for
// Unsorted.
func (l Loaded) Project() string {
	if l.Capture != nil {
		return l.Capture.Project
	}
	if l.Attempt == nil || l.Attempt.Project == store.Unsorted {
		return ""
	}
	return l.Attempt.Project
}

// Message is the side as a message to compare, bodies decoded.
func (l Loaded) Message() diff.Message {
	switch {
	case l.Capture != nil:
		return CaptureMessage(l.Capture)
	case l.Attempt == nil:
		return diff.Message{}
	case l.Side.Kind == SideAnswer:
		return AnswerMessage(*l.Attempt)
	}
	return SentMessage(*l.Attempt)
}

// LoadSide reads a side from the store as a message to compare (bodies
// decoded), with the project it belongs to ("" for Unsorted).
func LoadSide(st *store.Store, s Side) (diff.Message, string, error) {
	l, err := Load(st, s)
	if err != nil {
		return diff.Message{}, "", err
	}
	return l.Message(), l.Project(), nil
}

// CaptureMessage is a capture as one side of a comparison.
func CaptureMessage(c *store.Capture) diff.Message {
	return diff.Message{
		Method: c.Method, Host: c.Host, Path: c.Path, RawQuery: c.RawQuery,
		Header: c.Header, Body: decodedBody(c.Body, c.Header),
	}
}

// SentMessage is what an attempt sent, as one side of a comparison.
func SentMessage(a store.Attempt) diff.Message {
	header := withContentLength(a.Request.Method, a.Request.Header, len(a.Request.Body))
	m := diff.Message{Method: a.Request.Method, Header: header, Body: decodedBody(a.Request.Body, header)}
	if u, err := url.Parse(a.Request.URL); err == nil {
		m.Host, m.Path, m.RawQuery = u.Host, u.EscapedPath(), u.RawQuery
	} else {
		m.Path = a.Request.URL
	}
	return m
}

// withContentLength is header with the Content-Length net/http put on the
// wire when the attempt was sent: the client sets it from the body's length
// and the recorded headers never held it, so a capture compared with its
// replay showed a Content-Length "only left". net/http sends it for a body
// of any length, and for an empty one with POST, PUT and PATCH
// (https://pkg.go.dev/net/http#Request, ContentLength; RFC 9110 §8.6).
func withContentLength(method string, header http.Header, n int) http.Header {
	if header.Get("Content-Length") != "" || header.Get("Transfer-Encoding") != "" {
		return header
	}
	if n == 0 && method != http.MethodPost && method != http.MethodPut && method != http.MethodPatch {
		return header
	}
	out := header.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("Content-Length", strconv.Itoa(n))
	return out
}

// AnswerMessage is what an attempt got back, as one side of a comparison;
// an attempt that got no answer has status 0 and its error.
func AnswerMessage(a store.Attempt) diff.Message {
	return diff.Message{
		Status: a.StatusCode, Error: a.Error,
		Header: a.ResponseHeader, Body: decodedBody(a.ResponseBody, a.ResponseHeader),
	}
}

// decodedBody is the body as the Body tab shows it, Content-Encoding undone.
func decodedBody(body []byte, header http.Header) []byte {
	out, _ := render.Decoded(body, header)
	return out
}
