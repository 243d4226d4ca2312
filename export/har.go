package export

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"hookscope/store"
)

// harTime keeps every digit of the receive time: "ms or better" is what HAR
// asks, and nanoseconds make an export and re-import give the same instant.
const harTime = "2006-01-02T15:04:05.000000000Z07:00"

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harCookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  string `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
}

type harParam struct {
	Name        string `json:"name"`
	Value       string `json:"value"`
	FileName    string `json:"fileName,omitempty"`
	ContentType string `json:"contentType,omitempty"`
}

// harPostData carries the request body. Encoding is not in HAR 1.2's
// postData (only in content), but a binary body has no other lossless form;
// it uses the same name and meaning as content.encoding, which is what
// browsers' HAR importers look for. Params and text are both written for
// forms, as Chrome does, because the text is the exact body and the params
// are only its decoded view.
type harPostData struct {
	MimeType string     `json:"mimeType"`
	Params   []harParam `json:"params,omitempty"`
	Text     string     `json:"text"`
	Encoding string     `json:"encoding,omitempty"`
}

type harRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harCookie    `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	QueryString []harNameValue `json:"queryString"`
	PostData    *harPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
	// Trailers are the fields after a chunked body; HAR 1.2 has no place
	// for them, so they go in a custom field.
	Trailers []harNameValue `json:"_trailers,omitempty"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

type harResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harCookie    `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	Content     harContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

// harTimings are zero: the receiver answers from memory right after storing,
// and HAR requires send, wait and receive to be present.
type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	// HAR allows custom fields whose names start with an underscore.
	ID            string `json:"_id,omitempty"`
	Project       string `json:"_project,omitempty"`
	Truncated     bool   `json:"_truncated,omitempty"`
	RemoteAddress string `json:"_remoteAddress,omitempty"`
	// Via names the public tunnel the request came through.
	Via string `json:"_via,omitempty"`
}

// WriteHAR writes captures as one HAR 1.2 document, in the order given.
// Request URLs are baseURL + path + query (baseURL "" means the URL the
// sender called: store.Capture.URL, from the capture's Host).
//
// A body that is not plain UTF-8 text is written base64 with "encoding":
// "base64" — on response content as HAR 1.2 defines it, and on postData
// under the same name as an extension. The capture ID, project, truncation,
// client address and the tunnel it came through go in _id, _project,
// _truncated, _remoteAddress and _via.
func WriteHAR(w io.Writer, captures []*store.Capture, baseURL string) error {
	hw := newHARWriter(w, baseURL)
	if err := hw.begin(); err != nil {
		return err
	}
	for i, c := range captures {
		if err := hw.add(c); err != nil {
			return fmt.Errorf("har: capture %d: %w", i, err)
		}
	}
	return hw.end()
}

// harWriter writes a HAR document one entry at a time, so an export never
// holds more than one capture.
type harWriter struct {
	w       io.Writer
	baseURL string
	n       int
	buf     bytes.Buffer
	enc     *json.Encoder
}

func newHARWriter(w io.Writer, baseURL string) *harWriter {
	h := &harWriter{w: w, baseURL: baseURL}
	h.enc = json.NewEncoder(&h.buf)
	h.enc.SetEscapeHTML(false) // bodies stay readable: no \u003c for <
	h.enc.SetIndent("      ", "  ")
	return h
}

func (h *harWriter) begin() error {
	creator, err := json.Marshal(map[string]string{"name": "Hookscope", "version": hookscopeVersion()})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(h.w, "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": %s,\n    \"entries\": [", creator)
	return err
}

func (h *harWriter) add(c *store.Capture) error {
	h.buf.Reset()
	if h.n > 0 {
		h.buf.WriteString(",")
	}
	h.buf.WriteString("\n      ")
	if err := h.enc.Encode(harEntryOf(c, h.baseURL)); err != nil {
		return err
	}
	h.buf.Truncate(h.buf.Len() - 1) // Encode's newline; the separator adds its own
	h.n++
	_, err := h.w.Write(h.buf.Bytes())
	return err
}

func (h *harWriter) end() error {
	tail := "]\n  }\n}\n"
	if h.n > 0 {
		tail = "\n    " + tail
	}
	_, err := io.WriteString(h.w, tail)
	return err
}

// hookscopeVersion is the module version the binary was built from, for
// log.creator.version.
func hookscopeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func harEntryOf(c *store.Capture, baseURL string) harEntry {
	proto := c.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}

	req := harRequest{
		Method:      c.Method,
		URL:         harURL(c, baseURL),
		HTTPVersion: proto,
		Cookies:     harCookies((&http.Request{Header: c.Header}).Cookies()),
		Headers:     harHeaders(sentHeader(c), c.Host),
		QueryString: []harNameValue{},
		HeadersSize: -1,
		BodySize:    len(c.Body),
	}
	if len(c.Trailer) > 0 {
		req.Trailers = harHeaders(c.Trailer, "")
	}
	for _, p := range splitQuery(c.RawQuery) {
		req.QueryString = append(req.QueryString, harNameValue{p.name, p.value})
	}
	if len(c.Body) > 0 || len(c.Header["Content-Length"]) > 0 || chunked(c.TransferEncoding) {
		ct := c.Header.Get("Content-Type")
		pd := &harPostData{MimeType: ct, Params: formParams(ct, c.Body)}
		pd.Text, pd.Encoding = harText(c.Body)
		req.PostData = pd
	}

	resp := harResponse{
		Status:      c.Response.Status,
		StatusText:  http.StatusText(c.Response.Status),
		HTTPVersion: proto,
		Cookies:     harCookies((&http.Response{Header: c.Response.Header}).Cookies()),
		Headers:     harHeaders(c.Response.Header, ""),
		Content: harContent{
			Size:     len(c.Response.Body),
			MimeType: c.Response.Header.Get("Content-Type"),
		},
		RedirectURL: c.Response.Header.Get("Location"),
		HeadersSize: -1,
		BodySize:    len(c.Response.Body),
	}
	resp.Content.Text, resp.Content.Encoding = harText(c.Response.Body)

	return harEntry{
		StartedDateTime: c.ReceivedAt.Format(harTime),
		Request:         req,
		Response:        resp,
		ID:              c.ID.String(),
		Project:         c.Project,
		Truncated:       c.Truncated,
		RemoteAddress:   c.RemoteAddr,
		Via:             c.Via,
	}
}

// harText is body as HAR text: as is when it is plain text, base64 otherwise
// (JSON strings cannot hold invalid UTF-8, and a NUL or escape sequence in
// "text" breaks the viewers that show it).
func harText(body []byte) (text, encoding string) {
	if textual(body, true) {
		return string(body), ""
	}
	return base64.StdEncoding.EncodeToString(body), "base64"
}

// harHeaders lists h sorted by name with repeated values in their order.
// Host comes first: Go's server moves it out of the header map, but it was
// sent, and a reader needs it when the URL names another host.
func harHeaders(h http.Header, host string) []harNameValue {
	out := []harNameValue{}
	if host != "" && len(h["Host"]) == 0 {
		out = append(out, harNameValue{"Host", host})
	}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			out = append(out, harNameValue{name, v})
		}
	}
	return out
}

func harCookies(cs []*http.Cookie) []harCookie {
	out := []harCookie{}
	for _, c := range cs {
		hc := harCookie{Name: c.Name, Value: c.Value, Path: c.Path, Domain: c.Domain, HTTPOnly: c.HttpOnly, Secure: c.Secure}
		if !c.Expires.IsZero() {
			hc.Expires = c.Expires.UTC().Format(time.RFC3339)
		}
		out = append(out, hc)
	}
	return out
}

// formParams decodes an urlencoded or multipart body into HAR params, the
// view HAR viewers show for forms. It is informational: the exact body is in
// text, so a body it cannot decode (a truncated multipart, say) just gives
// fewer params.
func formParams(contentType string, body []byte) []harParam {
	mt, ps, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		if !textual(body, true) {
			return nil
		}
		var out []harParam
		for _, p := range splitQuery(string(body)) {
			out = append(out, harParam{Name: p.name, Value: p.value})
		}
		return out
	case "multipart/form-data":
		if ps["boundary"] == "" {
			return nil
		}
		var out []harParam
		mr := multipart.NewReader(bytes.NewReader(body), ps["boundary"])
		for {
			part, err := mr.NextRawPart() // raw: no Content-Transfer-Encoding decoding
			if err != nil {
				return out
			}
			content, err := io.ReadAll(part)
			if err != nil {
				return out
			}
			p := harParam{Name: part.FormName(), FileName: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if p.FileName == "" && textual(content, true) {
				p.Value = string(content)
			}
			out = append(out, p)
		}
	}
	return nil
}

// Reading. The types below hold only what becomes a capture, so fields a
// tool writes differently (or not at all) cannot fail the import.

type harInFile struct {
	Log *struct {
		Entries []json.RawMessage `json:"entries"`
	} `json:"log"`
}

type harInEntry struct {
	StartedDateTime string `json:"startedDateTime"`
	Request         *struct {
		Method      string         `json:"method"`
		URL         string         `json:"url"`
		HTTPVersion string         `json:"httpVersion"`
		Headers     []harNameValue `json:"headers"`
		PostData    *struct {
			MimeType string     `json:"mimeType"`
			Text     string     `json:"text"`
			Encoding string     `json:"encoding"`
			Params   []harParam `json:"params"`
		} `json:"postData"`
		Trailers []harNameValue `json:"_trailers"`
	} `json:"request"`
	Response *struct {
		Status  float64        `json:"status"`
		Headers []harNameValue `json:"headers"`
		Content *struct {
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
	Project       string `json:"_project"`
	Truncated     bool   `json:"_truncated"`
	RemoteAddress string `json:"_remoteAddress"`
	Via           string `json:"_via"`
}

// ReadHAR parses a HAR 1.1 or 1.2 document — from Hookscope, Chrome,
// Firefox, Charles — into captures ready for store.Put: ID zero, ReceivedAt
// from startedDateTime, Path and RawQuery exactly as escaped in the URL, Host
// from the Host header (or HTTP/2's :authority, or the URL), the body from
// postData.text (base64-decoded when encoding says so; rebuilt from params
// for an urlencoded form that has only params), and the response's status,
// headers and content. HTTP/2 pseudo-headers are dropped and header names
// canonicalized, as Go's server would have stored them. Errors name the
// entry (from 0) and the field.
func ReadHAR(r io.Reader) ([]*store.Capture, error) {
	var f harInFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("har: %w", err)
	}
	if f.Log == nil {
		return nil, errors.New(`har: no "log" object`)
	}
	out := make([]*store.Capture, 0, len(f.Log.Entries))
	for i, raw := range f.Log.Entries {
		c, err := readHAREntry(raw)
		if err != nil {
			return nil, fmt.Errorf("har: entry %d: %w", i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func readHAREntry(raw json.RawMessage) (*store.Capture, error) {
	var e harInEntry
	if err := unmarshal(raw, &e); err != nil {
		return nil, err
	}
	if e.Request == nil {
		return nil, errors.New("request: missing")
	}
	rq := e.Request
	if rq.Method == "" {
		return nil, errors.New("request.method: missing")
	}
	if rq.URL == "" {
		return nil, errors.New("request.url: missing")
	}
	c := &store.Capture{
		Method:     rq.Method,
		Proto:      normalizeProto(rq.HTTPVersion),
		RemoteAddr: e.RemoteAddress,
		Project:    e.Project,
		Via:        e.Via,
		Truncated:  e.Truncated,
	}
	if e.StartedDateTime != "" {
		t, err := parseHARTime(e.StartedDateTime)
		if err != nil {
			return nil, fmt.Errorf("startedDateTime: %w", err)
		}
		c.ReceivedAt = t
	}
	urlHost, path, query, err := splitTarget(rq.URL)
	if err != nil {
		return nil, fmt.Errorf("request.url: %w", err)
	}
	c.Path, c.RawQuery = requestTarget(rq.Method, path, query), query

	var authority string
	for _, h := range rq.Headers {
		switch {
		case strings.EqualFold(h.Name, ":authority"):
			authority = h.Value
		case strings.HasPrefix(h.Name, ":"):
			// Other HTTP/2 pseudo-headers repeat the method, scheme and path.
		case strings.EqualFold(h.Name, "Host"):
			c.Host = h.Value
		case strings.EqualFold(h.Name, "Transfer-Encoding"):
			// Kept apart, as the receiver keeps it (net/http takes it
			// out of the header map).
			for _, te := range strings.Split(h.Value, ",") {
				if te = strings.TrimSpace(te); te != "" {
					c.TransferEncoding = append(c.TransferEncoding, te)
				}
			}
		default:
			if c.Header == nil {
				c.Header = http.Header{}
			}
			c.Header.Add(h.Name, h.Value)
		}
	}
	for _, h := range rq.Trailers {
		if c.Trailer == nil {
			c.Trailer = http.Header{}
		}
		c.Trailer.Add(h.Name, h.Value)
	}
	if c.Host == "" {
		c.Host = authority
	}
	if c.Host == "" {
		c.Host = urlHost
	}

	if pd := rq.PostData; pd != nil {
		switch {
		case pd.Text != "":
			c.Body, err = harBody(pd.Text, pd.Encoding)
			if err != nil {
				return nil, fmt.Errorf("request.postData.text: %w", err)
			}
		case len(pd.Params) > 0 && strings.HasPrefix(strings.ToLower(pd.MimeType), "application/x-www-form-urlencoded"):
			parts := make([]string, len(pd.Params))
			for i, p := range pd.Params {
				parts[i] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
			}
			c.Body = []byte(strings.Join(parts, "&"))
		}
	}

	if rs := e.Response; rs != nil {
		c.Response.Status = int(rs.Status)
		for _, h := range rs.Headers {
			if strings.HasPrefix(h.Name, ":") {
				continue
			}
			if c.Response.Header == nil {
				c.Response.Header = http.Header{}
			}
			c.Response.Header.Add(h.Name, h.Value)
		}
		if ct := rs.Content; ct != nil && ct.Text != "" {
			c.Response.Body, err = harBody(ct.Text, ct.Encoding)
			if err != nil {
				return nil, fmt.Errorf("response.content.text: %w", err)
			}
		}
	}
	return c, nil
}

func harBody(text, encoding string) ([]byte, error) {
	switch strings.ToLower(encoding) {
	case "":
		return []byte(text), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			// Some tools drop the padding.
			if b2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(text, "=")); err2 == nil {
				return b2, nil
			}
			return nil, fmt.Errorf("invalid base64: %w", err)
		}
		return b, nil
	default:
		return nil, fmt.Errorf("unsupported encoding %q", encoding)
	}
}

// splitTarget takes the host, and the path and query exactly as escaped in
// raw: url.URL re-escapes a path it decoded, which could change the bytes.
// The path is "" when raw has none (see requestTarget).
func splitTarget(raw string) (host, path, query string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", "", err
	}
	s, _, _ := strings.Cut(raw, "#")
	if i := strings.Index(s, "://"); i >= 0 && u.Scheme != "" {
		s = s[i+3:]
		end := strings.IndexAny(s, "/?")
		if end < 0 {
			end = len(s)
		}
		s = s[end:]
	}
	path, query, _ = strings.Cut(s, "?")
	return u.Host, path, query, nil
}

var harTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon
	"2006-01-02T15:04:05.999999999",      // no zone: read as UTC
}

func parseHARTime(s string) (time.Time, error) {
	for _, layout := range harTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
}

// normalizeProto writes the spellings browsers use ("http/2.0", "h2",
// "HTTP/2") the way Go's server reports the protocol.
func normalizeProto(v string) string {
	switch p := strings.ToUpper(strings.TrimSpace(v)); p {
	case "", "UNKNOWN":
		return ""
	case "H2", "HTTP/2":
		return "HTTP/2.0"
	case "H3", "HTTP/3":
		return "HTTP/3.0"
	default:
		return p
	}
}
