package store

import (
	"encoding/binary"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ID identifies a capture. It is the capture's receive time in Unix
// nanoseconds, bumped by one when two captures share a nanosecond, so IDs sort
// in time order, survive restarts and encode as 8 big-endian key bytes.
type ID uint64

// String returns the 16-digit hex form used in the API and the UI. Every
// capture's answer carries it twice, so it is written by hand rather than
// through fmt.
func (id ID) String() string {
	if id == 0 {
		return ""
	}
	const digits = "0123456789abcdef"
	var b [16]byte
	for i, v := len(b)-1, uint64(id); i >= 0; i, v = i-1, v>>4 {
		b[i] = digits[v&0xf]
	}
	return string(b[:])
}

// Time is the moment the ID was issued.
func (id ID) Time() time.Time { return time.Unix(0, int64(id)) }

// ParseID reads the form String writes.
func ParseID(s string) (ID, error) {
	if len(s) != 16 {
		return 0, fmt.Errorf("capture id %q: want 16 hex digits", s)
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("capture id %q: want 16 hex digits", s)
	}
	return ID(v), nil
}

func (id ID) key() []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(id))
	return k[:]
}

func idFromKey(k []byte) ID { return ID(binary.BigEndian.Uint64(k)) }

// Capture is one request the receiver took in, exactly as it arrived.
type Capture struct {
	ID         ID
	ReceivedAt time.Time
	Method     string
	Path       string
	RawQuery   string
	Proto      string
	Host       string
	RemoteAddr string
	Header     http.Header
	Body       []byte
	// Truncated is set when the body was longer than the receiver's limit;
	// Body then holds the first limit bytes.
	Truncated bool
	// Project is the slug of the project the path's first segment named, or
	// "" for Unsorted.
	Project   string
	Response  Response
	Signature Signature
	// TransferEncoding is the request's transfer codings as sent (["chunked"]
	// for a chunked body) and Trailer the trailer fields that followed a
	// chunked body, so the request can be shown and replayed as framed
	// (RFC 9112 §6.1, §7.1.2).
	TransferEncoding []string
	Trailer          http.Header
	// Via names the public tunnel the request came through ("cloudflared",
	// "ngrok", "custom"), or "" for a request sent to the local receiver.
	Via string
	// HeaderOrder is the header field names, canonical, each once, in the
	// order the request sent them (Host among them), so the request can be
	// shown as it came; nil when not known (older captures, tunnels).
	HeaderOrder []string
	// AnsweredBy says which response rule answered, and how; nil when the
	// capture's project (or Unsorted) had no rules to ask.
	AnsweredBy *AnsweredBy
}

// AnsweredBy is what answered a capture when rules were asked. Rule is ""
// when none answered and the fallback answer went out.
type AnsweredBy struct {
	Rule string `json:"rule"`
	// Step is the index of the rule's step that answered, from 0.
	Step int `json:"step"`
	// Action is the step's action (rules.ActionRespond, ActionDrop, …).
	Action string `json:"action"`
	// Detail says what was done in words: "status 500", "dropped the
	// connection", "hung 12.3 s until the sender gave up", and any template
	// error (the text then went out as written).
	Detail string `json:"detail,omitempty"`
}

// Failed reports whether the answer was a broken connection rather than an
// HTTP answer: dropped, hung, reset or cut short.
func (a *AnsweredBy) Failed() bool {
	return a != nil && a.Action != "" && a.Action != "respond"
}

// Response is what the receiver answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Signature is the outcome of checking a capture's signature, kept with the
// capture so the list can show it without re-verifying.
type Signature struct {
	Scheme             string
	Detected           bool
	Status             string
	Reason             string
	Received           string
	Computed           string
	Hint               string
	SignedContentLen   int
	SignedContentStart string
	Skew               time.Duration
	HasSkew            bool
}

// Summary is the part of a capture the list shows. It is stored apart from
// the headers and the body so listing never decodes them.
type Summary struct {
	ID          ID
	ReceivedAt  time.Time
	Method      string
	Path        string
	RawQuery    string
	Project     string
	ContentType string
	Size        int
	Truncated   bool
	Status      int
	// SignatureStatus, SignatureScheme and SignatureDetected mirror
	// Capture.Signature ("" when unchecked).
	SignatureStatus   string
	SignatureScheme   string
	SignatureDetected bool
	// Via mirrors Capture.Via. Captures stored before it was kept in the
	// summary have it in their detail only.
	Via string
	// Answer is the action of the rule that answered (Capture.AnsweredBy),
	// "" when no rule did: the list marks dropped and hung answers.
	Answer string
}

// URI is the path with its query, as a request line shows it.
func (s Summary) URI() string {
	if s.RawQuery == "" {
		return s.Path
	}
	return s.Path + "?" + s.RawQuery
}

// Summary derives the list entry of c.
func (c *Capture) Summary() Summary {
	return Summary{
		ID:                c.ID,
		ReceivedAt:        c.ReceivedAt,
		Method:            c.Method,
		Path:              c.Path,
		RawQuery:          c.RawQuery,
		Project:           c.Project,
		ContentType:       mediaType(c.Header.Get("Content-Type")),
		Size:              len(c.Body),
		Truncated:         c.Truncated,
		Status:            c.Response.Status,
		SignatureStatus:   c.Signature.Status,
		SignatureScheme:   c.Signature.Scheme,
		SignatureDetected: c.Signature.Detected,
		Via:               c.Via,
		Answer:            c.answerAction(),
	}
}

func (c *Capture) answerAction() string {
	if c.AnsweredBy == nil || c.AnsweredBy.Rule == "" {
		return ""
	}
	return c.AnsweredBy.Action
}

// URI is the path with its query.
func (c *Capture) URI() string { return c.Summary().URI() }

// URL is the URL the sender called, as far as the request tells: its
// Origin and target. Signature schemes that sign the URL (Twilio) are
// checked against it.
func (c *Capture) URL() string { return c.Origin() + c.URI() }

// Origin is the scheme and host the sender called (RFC 6454 §4): the Host
// header, over HTTPS when the request came through a tunnel (a tunnel's
// public side is HTTPS unless its X-Forwarded-Proto says otherwise), plain
// HTTP on the local receiver.
func (c *Capture) Origin() string {
	scheme := "http"
	if c.Via != "" {
		scheme = "https"
		if p := c.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			scheme = p
		}
	}
	host := c.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// mediaType is the media type of a Content-Type value, lower case, without
// its parameters. mime.ParseMediaType gives the same for a valid value (the
// part before ";", trimmed and lower-cased: RFC 9110 §8.3.1) and was the
// fallback for an invalid one; it also parses the parameters into a map,
// which the summary of every capture does not need.
func mediaType(ct string) string {
	ct, _, _ = strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(ct))
}

// Summary record tags.
const (
	sReceived = iota + 1
	sMethod
	sPath
	sQuery
	sProject
	sContentType
	sSize
	sTruncated
	sStatus
	sSigStatus
	sSigScheme
	sSigDetected
	sVia
	sAnswer
)

func encodeSummary(s *Summary) []byte {
	e := encoder{b: make([]byte, 0, 64+len(s.Path)+len(s.RawQuery))}
	e.int(sReceived, s.ReceivedAt.UnixNano())
	e.str(sMethod, s.Method)
	e.str(sPath, s.Path)
	e.str(sQuery, s.RawQuery)
	e.str(sProject, s.Project)
	e.str(sContentType, s.ContentType)
	e.uint(sSize, uint64(s.Size))
	e.bool(sTruncated, s.Truncated)
	e.uint(sStatus, uint64(s.Status))
	e.str(sSigStatus, s.SignatureStatus)
	e.str(sSigScheme, s.SignatureScheme)
	e.bool(sSigDetected, s.SignatureDetected)
	e.str(sVia, s.Via)
	e.str(sAnswer, s.Answer)
	return e.b
}

func decodeSummary(id ID, b []byte) (Summary, error) {
	s := Summary{ID: id}
	d := decoder{b: b}
	for {
		tag, v, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case sReceived:
			s.ReceivedAt = time.Unix(0, decInt(v))
		case sMethod:
			s.Method = string(v)
		case sPath:
			s.Path = string(v)
		case sQuery:
			s.RawQuery = string(v)
		case sProject:
			s.Project = string(v)
		case sContentType:
			s.ContentType = string(v)
		case sSize:
			s.Size = int(decUint(v))
		case sTruncated:
			s.Truncated = decUint(v) != 0
		case sStatus:
			s.Status = int(decUint(v))
		case sSigStatus, sSigScheme, sSigDetected:
			decodeSummarySignature(&s, tag, v)
		case sVia:
			s.Via = string(v)
		case sAnswer:
			s.Answer = string(v)
		}
	}
	if d.err != nil {
		return s, fmt.Errorf("summary %s: %w", id, d.err)
	}
	return s, nil
}

func decodeSummarySignature(s *Summary, tag byte, v []byte) {
	switch tag {
	case sSigStatus:
		s.SignatureStatus = string(v)
	case sSigScheme:
		s.SignatureScheme = string(v)
	case sSigDetected:
		s.SignatureDetected = decUint(v) != 0
	}
}

// Detail record tags: what a capture holds beyond its summary. Since schema
// version 2 a body of up to inlineBodyMax bytes is a field of the detail
// record too (dBody), so storing a capture writes two records and its ID
// index entry, not three records; larger bodies, and those of captures
// stored before, are records of the bodies bucket, which readers fall back
// to (see detailBody).
const (
	dProto = iota + 1
	dHost
	dRemote
	dHeader
	dRespHeader
	dRespBody
	dSigScheme
	dSigDetected
	dSigReason
	dSigReceived
	dSigComputed
	dSigHint
	dSigContentLen
	dSigContentStart
	dSigSkew
	dSigHasSkew
	dTransferEncoding
	dTrailer
	dVia
	dHeaderOrder
	dAnswered
	dAnsRule
	dAnsStep
	dAnsAction
	dAnsDetail
	dBody
)

// encodeDetail encodes everything but the summary, the body last: readers
// that want the headers stop before it.
func encodeDetail(c *Capture) []byte {
	e := encoder{b: make([]byte, 0, detailSize(c))}
	e.str(dProto, c.Proto)
	e.str(dHost, c.Host)
	e.str(dRemote, c.RemoteAddr)
	e.header(dHeader, c.Header)
	e.header(dRespHeader, c.Response.Header)
	if len(c.Response.Body) > 0 {
		e.bytes(dRespBody, c.Response.Body)
	}
	encodeSignature(&e, &c.Signature)
	for _, te := range c.TransferEncoding {
		e.str(dTransferEncoding, te)
	}
	e.header(dTrailer, c.Trailer)
	e.str(dVia, c.Via)
	for _, name := range c.HeaderOrder {
		e.str(dHeaderOrder, name)
	}
	if a := c.AnsweredBy; a != nil {
		e.bool(dAnswered, true)
		e.str(dAnsRule, a.Rule)
		e.uint(dAnsStep, uint64(a.Step))
		e.str(dAnsAction, a.Action)
		e.str(dAnsDetail, a.Detail)
	}
	if inlineBody(c.Body) {
		e.bytes(dBody, c.Body)
	}
	return e.b
}

// inlineBodyMax is the largest body stored in its detail record. A larger
// one keeps a record of its own in the bodies bucket: copying it into the
// detail record would cost more than the insert it saves (64 KiB bodies
// took 8–14% more CPU per capture that way), and records over half a page
// pack badly in bbolt's pages.
const inlineBodyMax = 8 << 10

func inlineBody(body []byte) bool { return len(body) > 0 && len(body) <= inlineBodyMax }

// separateBody is the body to store in the bodies bucket: nil when the
// detail record holds it.
func separateBody(body []byte) []byte {
	if len(body) == 0 || inlineBody(body) {
		return nil
	}
	return body
}

// detailSize is a capacity that holds c's detail record without growing:
// the fixed fields take well under 512 bytes, and each header value costs
// its name, value and three bytes of framing.
func detailSize(c *Capture) int {
	n := 512 + len(c.Response.Body) + binary.MaxVarintLen64
	if inlineBody(c.Body) {
		n += len(c.Body)
	}
	for _, h := range []http.Header{c.Header, c.Response.Header, c.Trailer} {
		for name, vals := range h {
			for _, v := range vals {
				n += len(name) + len(v) + 3
			}
		}
	}
	return n
}

// detailBody returns the body field of a detail record; ok is false for a
// record stored before bodies moved into it, whose body is in the bodies
// bucket, and for a capture without a body.
func detailBody(detail []byte) (body []byte, ok bool) {
	d := decoder{b: detail}
	for {
		tag, v, more := d.next()
		if !more {
			return nil, false
		}
		if tag == dBody {
			return v, true
		}
	}
}

func encodeSignature(e *encoder, s *Signature) {
	e.str(dSigScheme, s.Scheme)
	e.bool(dSigDetected, s.Detected)
	e.str(dSigReason, s.Reason)
	e.str(dSigReceived, s.Received)
	e.str(dSigComputed, s.Computed)
	e.str(dSigHint, s.Hint)
	e.uint(dSigContentLen, uint64(s.SignedContentLen))
	e.str(dSigContentStart, s.SignedContentStart)
	e.int(dSigSkew, int64(s.Skew))
	e.bool(dSigHasSkew, s.HasSkew)
}

func decodeDetail(c *Capture, b []byte) error {
	d := decoder{b: b}
	for {
		tag, v, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case dProto:
			c.Proto = string(v)
		case dHost:
			c.Host = string(v)
		case dRemote:
			c.RemoteAddr = string(v)
		case dHeader, dRespHeader, dTrailer:
			decodeHeaderField(c, tag, v)
		case dRespBody:
			c.Response.Body = append([]byte(nil), v...)
		case dSigScheme, dSigDetected, dSigReason, dSigReceived, dSigComputed, dSigHint,
			dSigContentLen, dSigContentStart, dSigSkew, dSigHasSkew:
			decodeSignatureField(&c.Signature, tag, v)
		case dTransferEncoding:
			c.TransferEncoding = append(c.TransferEncoding, string(v))
		case dVia:
			c.Via = string(v)
		case dHeaderOrder:
			c.HeaderOrder = append(c.HeaderOrder, string(v))
		case dAnswered, dAnsRule, dAnsStep, dAnsAction, dAnsDetail:
			decodeAnsweredBy(c, tag, v)
		case dBody:
			c.Body = append([]byte(nil), v...)
		}
	}
	if d.err != nil {
		return fmt.Errorf("capture %s: %w", c.ID, d.err)
	}
	return nil
}

func decodeHeaderField(c *Capture, tag byte, v []byte) {
	switch tag {
	case dHeader:
		c.Header = addHeader(c.Header, v)
	case dRespHeader:
		c.Response.Header = addHeader(c.Response.Header, v)
	case dTrailer:
		c.Trailer = addHeader(c.Trailer, v)
	}
}

func decodeSignatureField(s *Signature, tag byte, v []byte) {
	switch tag {
	case dSigScheme:
		s.Scheme = string(v)
	case dSigDetected:
		s.Detected = decUint(v) != 0
	case dSigReason:
		s.Reason = string(v)
	case dSigReceived:
		s.Received = string(v)
	case dSigComputed:
		s.Computed = string(v)
	case dSigHint:
		s.Hint = string(v)
	case dSigContentLen:
		s.SignedContentLen = int(decUint(v))
	case dSigContentStart:
		s.SignedContentStart = string(v)
	case dSigSkew:
		s.Skew = time.Duration(decInt(v))
	case dSigHasSkew:
		s.HasSkew = decUint(v) != 0
	}
}

func decodeAnsweredBy(c *Capture, tag byte, v []byte) {
	if c.AnsweredBy == nil {
		c.AnsweredBy = &AnsweredBy{}
	}
	a := c.AnsweredBy
	switch tag {
	case dAnsRule:
		a.Rule = string(v)
	case dAnsStep:
		a.Step = int(decUint(v))
	case dAnsAction:
		a.Action = string(v)
	case dAnsDetail:
		a.Detail = string(v)
	}
}
