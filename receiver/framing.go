package receiver

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Request framing.
//
// RFC 9112 §6.1: a request with both Content-Length and Transfer-Encoding
// "might indicate an attempt to perform request smuggling"; a server may
// process it by the Transfer-Encoding alone, but "MUST close the connection
// after responding". A Transfer-Encoding on an HTTP/1.0 request means the
// framing is faulty and the connection must be closed as well. Go's server
// does neither: it reads such a request by Transfer-Encoding (or, on HTTP/1.0,
// by Content-Length, ignoring Transfer-Encoding), keeps the connection, and
// deletes Transfer-Encoding — and Content-Length beside chunked — from the
// header before the handler runs (parseTransferEncoding and fixLength in
// https://go.dev/src/net/http/transfer.go). So the bytes after the body one
// reading stops at become a second request, and the handler cannot see why.
//
// The receiver's listener therefore hands out connections that follow the
// framing of the requests the server reads from them, header by header,
// body by body, with the same rules as net/http; the handler looks up what
// the header of its request said and refuses it with 400 and a closed
// connection. A request whose framing the connection could not follow is
// answered as usual, but the connection is closed after it.

// framingListener wraps the receiver's listener.
type framingListener struct{ net.Listener }

func (l framingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &framingConn{Conn: c}, nil
}

// framingConn follows the framing of the requests read from it.
type framingConn struct {
	net.Conn
	mu sync.Mutex // the server's background read runs beside the handler
	f  framer
	// order is the header field order of the request being handled.
	order []string
}

func (c *framingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.f.feed(p[:n])
		c.mu.Unlock()
	}
	return n, err
}

// CloseWrite lets the server half-close the connection after a refused
// body, as it does for a *net.TCPConn, so the client reads the answer.
func (c *framingConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// fault is what the header of r said about its framing: why it is refused
// ("" when it is not), and known false when the connection lost track of
// the requests before r.
func (c *framingConn) fault(r *http.Request) (fault string, known bool, order []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Requests the server answers without the handler (OPTIONS *) leave
	// their head behind: skip to r's. net/http keeps the connection after
	// such a request even when its framing was refused, so r then comes
	// from bytes read two ways and is refused too.
	before := ""
	for i, h := range c.f.heads {
		if sameRequestLine(h.line, r) {
			c.f.heads = append(c.f.heads[:0], c.f.heads[i+1:]...)
			if h.fault == "" && before != "" {
				return before, true, h.order
			}
			return h.fault, true, h.order
		}
		if h.fault != "" {
			before = "it follows, on the same connection, a request net/http answered itself whose framing was refused: " + h.fault
		}
	}
	c.f.heads = c.f.heads[:0]
	return before, before != "", nil
}

// sameRequestLine reports whether line is the request line net/http parsed
// into r (it cuts the line at its first two spaces).
func sameRequestLine(line string, r *http.Request) bool {
	method, rest, _ := strings.Cut(line, " ")
	uri, proto, _ := strings.Cut(rest, " ")
	return method == r.Method && uri == r.RequestURI && proto == r.Proto
}

type framingKey struct{}

// framingContext is the server's ConnContext: it gives each request the
// connection its framing is known by.
func framingContext(ctx context.Context, c net.Conn) context.Context {
	if fc, ok := c.(*framingConn); ok {
		return context.WithValue(ctx, framingKey{}, fc)
	}
	return ctx
}

// framed refuses requests whose framing is ambiguous before next sees them.
// A request that did not come through a framingListener (a test's
// httptest server, a tunnel's own) goes through unchecked.
func framed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fc, _ := r.Context().Value(framingKey{}).(*framingConn)
		if fc == nil {
			next.ServeHTTP(w, r)
			return
		}
		fault, known, order := fc.fault(r)
		if fault != "" || !known {
			// What follows on the connection cannot be trusted to start
			// a request.
			w.Header().Set("Connection", "close")
		}
		if fault != "" {
			writeJSONError(w, http.StatusBadRequest, "request framing refused: "+fault+"; nothing was stored and the connection is closed")
			return
		}
		// Kept on the connection, not in a copy of r (WithContext): net/http
		// fills the trailer into the request it read, and a copy would
		// miss it. A connection serves one request at a time.
		fc.mu.Lock()
		fc.order = order
		fc.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// headerOrder is the names of r's header fields in the order they came, as
// its connection read them, or nil when it was not read by one (a tunnel's
// request, a test server's).
func headerOrder(r *http.Request) []string {
	fc, _ := r.Context().Value(framingKey{}).(*framingConn)
	if fc == nil {
		return nil
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	return fc.order
}

// head is what one request header said about the request's framing.
type head struct {
	line  string // the request line, as sent
	fault string // why the framing is refused, "" when it is not
	// order is the header's field names, canonical, each once, in the
	// order they were sent: the map net/http hands the handler has none,
	// and the Raw tab shows the request as it came.
	order []string
}

// framer states: where in the byte stream the next byte belongs.
const (
	inHead      = iota // request line and header fields
	inBody             // a Content-Length body: remain bytes
	inChunkSize        // a chunk-size line
	inChunkData        // chunk data: remain bytes
	inChunkEnd         // the CRLF after chunk data
	inTrailer          // the trailer section after the last chunk
	lost               // a stream net/http refuses or that was refused: no longer followed
)

// Limits past which net/http gives up on a request (and closes the
// connection), so the framer need not follow further: the header read limit
// is MaxHeaderBytes plus 4096 (initialReadLimitSize in
// https://go.dev/src/net/http/server.go); chunk lines and trailer sections
// are bounded by the 4 KiB read buffer (maxLineLength in
// https://go.dev/src/net/http/internal/chunked.go, seeUpcomingDoubleCRLF in
// transfer.go).
const (
	maxHeadBytes    = MaxHeaderBytes + 4096
	maxChunkLine    = 4096 + 2
	maxTrailerBytes = 4096
)

// framer reads the request stream of one connection the way net/http's
// server does (readRequest, readTransfer and the chunked reader under
// https://go.dev/src/net/http/), only to know where each request ends and
// what its header said about its framing.
type framer struct {
	state      int
	buf        []byte // the header block, chunk-size line or trailer being read
	lineStart  int    // where the current line starts in buf
	remain     uint64 // bytes left of a body or a chunk
	skipCRLF   int    // leading CR/LF bytes the server skips after a POST
	lastMethod string
	heads      []head // requests read and not yet handled, oldest first
}

func (f *framer) feed(p []byte) {
	for len(p) > 0 && f.state != lost {
		switch f.state {
		case inHead:
			p = f.head(p)
		case inBody, inChunkData:
			n := min(uint64(len(p)), f.remain)
			p, f.remain = p[n:], f.remain-n
			if f.remain > 0 {
				break
			}
			if f.state == inBody {
				f.startHead()
			} else {
				f.state = inChunkEnd
			}
		case inChunkEnd:
			p = f.chunkEnd(p)
		case inChunkSize:
			p = f.chunkSize(p)
		case inTrailer:
			p = f.trailer(p)
		}
	}
}

// line appends p up to and including its first newline to buf and returns
// the rest and whether a line was completed. Past limit it gives up.
func (f *framer) line(p []byte, limit int) ([]byte, bool) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		f.buf = append(f.buf, p...)
		if len(f.buf) > limit {
			f.state = lost
		}
		return nil, false
	}
	f.buf = append(f.buf, p[:i+1]...)
	if len(f.buf) > limit {
		f.state = lost
		return nil, false
	}
	return p[i+1:], true
}

// blank reports whether the current line of buf is empty: textproto strips
// "\n" or "\r\n" off each line (bufio.Reader.ReadLine).
func (f *framer) blank() bool {
	l := f.buf[f.lineStart:]
	return string(l) == "\n" || string(l) == "\r\n"
}

func (f *framer) startHead() {
	f.state, f.buf, f.lineStart = inHead, f.buf[:0], 0
	if f.lastMethod == "POST" {
		// net/http's conn.readRequest: "RFC 7230 section 3 tolerance for old
		// buggy clients" drops up to 4 CR or LF bytes after a POST.
		f.skipCRLF = 4
	}
}

func (f *framer) head(p []byte) []byte {
	for len(f.buf) == 0 && f.skipCRLF > 0 && len(p) > 0 {
		if p[0] != '\r' && p[0] != '\n' {
			f.skipCRLF = 0
			break
		}
		p, f.skipCRLF = p[1:], f.skipCRLF-1
	}
	for len(p) > 0 && f.state == inHead {
		var done bool
		if p, done = f.line(p, maxHeadBytes); !done {
			return p
		}
		// The first line is the request line, never the blank one.
		if f.lineStart > 0 && f.blank() {
			f.endHead()
			return p
		}
		f.lineStart = len(f.buf)
	}
	return p
}

// endHead reads the header block in buf and sets up the body that follows.
func (f *framer) endHead() {
	hf, ok := scanHead(f.buf)
	if !ok {
		f.state = lost // net/http answers 400 and closes
		return
	}
	h := head{line: hf.line, order: hf.order}
	switch {
	case hf.te != nil && hf.cl != nil:
		h.fault = "it has both Content-Length and Transfer-Encoding, which could frame it two ways (RFC 9112 §6.1)"
	case hf.te != nil && (hf.major < 1 || hf.major == 1 && hf.minor == 0):
		h.fault = "Transfer-Encoding is not defined for HTTP/1.0, so its framing is faulty (RFC 9112 §6.1)"
	}
	f.heads = append(f.heads, h)
	f.lastMethod, _, _ = strings.Cut(hf.line, " ")
	if h.fault != "" {
		f.state = lost // the connection is closed after the answer
		return
	}
	switch {
	case hf.te != nil:
		if len(hf.te) != 1 || !strings.EqualFold(hf.te[0], "chunked") {
			f.state = lost // net/http answers 501 and closes
			return
		}
		f.state, f.buf = inChunkSize, f.buf[:0]
	case hf.cl != nil:
		n, ok := contentLength(hf.cl)
		if !ok {
			f.state = lost // net/http answers 400 and closes
			return
		}
		f.state, f.remain = inBody, n
		if n == 0 {
			f.startHead()
		}
	default:
		f.startHead()
	}
}

// headFields is what a header block says about the request's framing.
type headFields struct {
	line         string   // the request line
	major, minor int      // its HTTP version
	te, cl       []string // the Transfer-Encoding and Content-Length values
	order        []string // the field names, canonical, each once, as sent
}

// scanHead reads a header block (request line, fields, blank line) as
// net/http does — textproto's ReadLine and ReadMIMEHeader: lines end in LF
// or CRLF, a line starting with a space or tab continues the field before
// it, joined by one space, and values are trimmed of spaces and tabs — but
// keeps only the fields that frame the body, without the header map
// textproto builds. A block it accepts and textproto refuses is refused by
// net/http, which then closes the connection; FuzzHeadScan checks that the
// two agree on every block textproto accepts.
func scanHead(block []byte) (h headFields, ok bool) {
	line, rest, _ := bytes.Cut(block, []byte("\n"))
	h.line = string(bytes.TrimSuffix(line, []byte("\r")))
	_, reqRest, _ := strings.Cut(h.line, " ")
	_, proto, _ := strings.Cut(reqRest, " ")
	if h.major, h.minor, ok = http.ParseHTTPVersion(proto); !ok {
		return h, false
	}
	var last *[]string // the framing field the previous line set, if any
	for first := true; ; first = false {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		switch {
		case len(line) == 0:
			trimValues(h.te)
			trimValues(h.cl)
			h.order = firstOfEach(h.order)
			return h, true
		case line[0] == ' ' || line[0] == '\t':
			if first {
				return h, false // "malformed MIME header initial line"
			}
			if last != nil {
				(*last)[len(*last)-1] += " " + string(bytes.Trim(line, " \t"))
			}
			continue
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found {
			return h, false // "missing colon"
		}
		last = nil
		h.order = append(h.order, textproto.CanonicalMIMEHeaderKey(string(name)))
		switch {
		case asciiEqualFold(name, "Transfer-Encoding"):
			last = &h.te
		case asciiEqualFold(name, "Content-Length"):
			last = &h.cl
		default:
			continue
		}
		*last = append(*last, string(bytes.TrimRight(value, " \t")))
	}
}

// firstOfEach keeps the first of each name, in order. A header block of up
// to a MiB can hold many thousand fields: past a few, a set finds repeats.
func firstOfEach(names []string) []string {
	out := names[:0]
	if len(names) <= 16 {
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		return out
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// trimValues trims the spaces and tabs a value starts with, as textproto
// does; its lines were trimmed at both ends as they were joined.
func trimValues(vals []string) {
	for i, v := range vals {
		vals[i] = strings.TrimLeft(v, " \t")
	}
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		d := s[i]
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}

// contentLength is the body length net/http reads from the Content-Length
// values as net/http's fixLength and parseContentLength do: repeats must
// agree.
func contentLength(vals []string) (uint64, bool) {
	first := textproto.TrimString(vals[0])
	for _, v := range vals[1:] {
		if textproto.TrimString(v) != first {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(first, 10, 63)
	return n, err == nil
}

func (f *framer) chunkSize(p []byte) []byte {
	p, done := f.line(p, maxChunkLine)
	if !done {
		return p
	}
	// As net/http's readChunkLine: CRLF only, no other CR (RFC 9112
	// §7.1 erratum 7633 refuses a bare LF).
	l := f.buf
	if bytes.IndexByte(l, '\r') != len(l)-2 {
		f.state = lost
		return p
	}
	l = bytes.TrimRight(l[:len(l)-2], " \t")
	l, _, _ = bytes.Cut(l, []byte(";"))
	n, ok := parseHex(l)
	switch {
	case !ok:
		f.state = lost
	case n == 0:
		f.state, f.buf, f.lineStart = inTrailer, f.buf[:0], 0
	default:
		f.state, f.remain, f.buf = inChunkData, n, f.buf[:0]
	}
	return p
}

// parseHex reads a chunk size as net/http's parseHexUint does:
// 1 to 16 hex digits, nothing else.
func parseHex(v []byte) (uint64, bool) {
	if len(v) == 0 || len(v) > 16 {
		return 0, false
	}
	var n uint64
	for _, b := range v {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b -= 'a' - 10
		case 'A' <= b && b <= 'F':
			b -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(b)
	}
	return n, true
}

func (f *framer) chunkEnd(p []byte) []byte {
	for len(p) > 0 && len(f.buf) < 2 {
		f.buf, p = append(f.buf, p[0]), p[1:]
	}
	if len(f.buf) < 2 {
		return p
	}
	if string(f.buf) != "\r\n" {
		f.state = lost // "malformed chunked encoding"
		return p
	}
	f.state, f.buf = inChunkSize, f.buf[:0]
	return p
}

// trailer skips the trailer section: header lines up to a blank one
// (net/http's readTrailer reads it with textproto).
func (f *framer) trailer(p []byte) []byte {
	for len(p) > 0 && f.state == inTrailer {
		var done bool
		if p, done = f.line(p, maxTrailerBytes); !done {
			return p
		}
		if f.blank() {
			f.startHead()
			return p
		}
		f.lineStart = len(f.buf)
	}
	return p
}
