package export

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"hookscope/store"
)

// jsonlCapture is one line of a JSON Lines export. Bodies are always base64
// so a line is lossless whatever the bytes; every key is always written so
// tools like jq see one shape.
type jsonlCapture struct {
	ID         string        `json:"id"`
	ReceivedAt string        `json:"received_at"`
	Method     string        `json:"method"`
	Path       string        `json:"path"`
	Query      string        `json:"query"`
	Proto      string        `json:"proto"`
	Host       string        `json:"host"`
	RemoteAddr string        `json:"remote_addr"`
	Project    string        `json:"project"`
	Headers    http.Header   `json:"headers"`
	BodyBase64 string        `json:"body_base64"`
	Truncated  bool          `json:"truncated"`
	Response   jsonlResponse `json:"response"`
	// Via names the public tunnel the request came through ("" when sent
	// to the local receiver).
	Via string `json:"via"`
}

type jsonlResponse struct {
	Status     int         `json:"status"`
	Headers    http.Header `json:"headers"`
	BodyBase64 string      `json:"body_base64"`
}

// WriteJSONL writes one capture per line: {"id", "received_at" (RFC 3339
// with nanoseconds), "method", "path", "query", "proto", "host",
// "remote_addr", "project", "headers" (name → list of values), "body_base64",
// "truncated", "response": {"status", "headers", "body_base64"}, "via"}.
func WriteJSONL(w io.Writer, captures []*store.Capture) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := newJSONLWriter(bw)
	for i, c := range captures {
		if err := jw.add(c); err != nil {
			return fmt.Errorf("jsonl: capture %d: %w", i, err)
		}
	}
	return bw.Flush()
}

type jsonlWriter struct{ enc *json.Encoder }

func newJSONLWriter(w io.Writer) *jsonlWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonlWriter{enc: enc}
}

// add writes c as one line; Encode ends it with the newline.
func (j *jsonlWriter) add(c *store.Capture) error {
	l := jsonlCapture{
		ID:         c.ID.String(),
		Method:     c.Method,
		Path:       c.Path,
		Query:      c.RawQuery,
		Proto:      c.Proto,
		Host:       c.Host,
		RemoteAddr: c.RemoteAddr,
		Project:    c.Project,
		Headers:    nonNil(c.Header),
		BodyBase64: base64.StdEncoding.EncodeToString(c.Body),
		Truncated:  c.Truncated,
		Via:        c.Via,
		Response: jsonlResponse{
			Status:     c.Response.Status,
			Headers:    nonNil(c.Response.Header),
			BodyBase64: base64.StdEncoding.EncodeToString(c.Response.Body),
		},
	}
	if !c.ReceivedAt.IsZero() {
		l.ReceivedAt = c.ReceivedAt.Format(time.RFC3339Nano)
	}
	return j.enc.Encode(&l)
}

func nonNil(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h
}

// ReadJSONL reads what WriteJSONL writes into captures ready for store.Put.
// IDs are left zero: the "id" in the file is another database's, and reusing
// it could overwrite a capture (Import issues fresh ones anyway). Blank lines
// are skipped; errors name the line, counting from 1.
func ReadJSONL(r io.Reader) ([]*store.Capture, error) {
	// bufio.Reader rather than Scanner: a line holds a whole body, and
	// Scanner refuses lines over its buffer size.
	br := bufio.NewReaderSize(r, 64<<10)
	var out []*store.Capture
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("jsonl: line %d: %w", line, err)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			c, perr := parseJSONLine(b)
			if perr != nil {
				return nil, fmt.Errorf("jsonl: line %d: %w", line, perr)
			}
			out = append(out, c)
		}
		if err != nil { // io.EOF
			return out, nil
		}
	}
}

func parseJSONLine(b []byte) (*store.Capture, error) {
	var l jsonlCapture
	if err := unmarshal(b, &l); err != nil {
		return nil, err
	}
	if l.Method == "" {
		return nil, errors.New("method: missing")
	}
	c := &store.Capture{
		Method:     l.Method,
		Path:       l.Path,
		RawQuery:   l.Query,
		Proto:      l.Proto,
		Host:       l.Host,
		RemoteAddr: l.RemoteAddr,
		Project:    l.Project,
		Header:     nilIfEmpty(l.Headers),
		Truncated:  l.Truncated,
		Via:        l.Via,
		Response:   store.Response{Status: l.Response.Status, Header: nilIfEmpty(l.Response.Headers)},
	}
	if l.ReceivedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, l.ReceivedAt)
		if err != nil {
			return nil, fmt.Errorf("received_at: %w", err)
		}
		c.ReceivedAt = t
	}
	var err error
	if c.Body, err = decodeBase64(l.BodyBase64); err != nil {
		return nil, fmt.Errorf("body_base64: %w", err)
	}
	if c.Response.Body, err = decodeBase64(l.Response.BodyBase64); err != nil {
		return nil, fmt.Errorf("response.body_base64: %w", err)
	}
	return c, nil
}

// nilIfEmpty matches what the store gives back for a capture without
// headers, so an export and re-import compare equal.
func nilIfEmpty(h http.Header) http.Header {
	if len(h) == 0 {
		return nil
	}
	return h
}

func decodeBase64(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(s)
}
