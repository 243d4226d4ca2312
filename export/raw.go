package export

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"hookscope/store"
)

// RawRequest writes c as the HTTP/1.1 request it arrived as: the request
// line, Host, the header fields sorted by name (Transfer-Encoding among
// them when the request had one), a blank line and the body.
//
// A chunked request (RFC 9112 §7.1) is written chunked: its body as one
// chunk with its size line, the last chunk "0", its trailer fields and the
// blank line that ends them. The sender's own chunk boundaries are not kept;
// one chunk is the simplest framing that carries the same content.
//
// body is what stands for the body's bytes in the text: string(c.Body) for
// the request itself, or a note a viewer puts in place of a binary or long
// body. Chunk sizes always give the real length of c.Body. Lines end in
// CRLF, as on the wire.
func RawRequest(c *store.Capture, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", c.Method, c.URI(), c.Host)
	writeFields(&b, sentHeader(c))
	b.WriteString("\r\n")
	if !chunked(c.TransferEncoding) {
		b.WriteString(body)
		return b.String()
	}
	if len(c.Body) > 0 {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(c.Body), body)
	}
	b.WriteString("0\r\n")
	writeFields(&b, c.Trailer)
	b.WriteString("\r\n")
	return b.String()
}

// sentHeader is c's header fields as they were sent: with Transfer-Encoding,
// which net/http moves out of the header map into the request.
func sentHeader(c *store.Capture) http.Header {
	if len(c.TransferEncoding) == 0 || len(c.Header["Transfer-Encoding"]) > 0 {
		return c.Header
	}
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h["Transfer-Encoding"] = []string{strings.Join(c.TransferEncoding, ", ")}
	return h
}

// chunked reports whether a body with these transfer codings is framed by
// chunks: chunked is then the last coding (RFC 9112 §6.1).
func chunked(te []string) bool {
	return len(te) > 0 && strings.EqualFold(strings.TrimSpace(te[len(te)-1]), "chunked")
}

// writeFields writes h sorted by name, repeated values in their order.
func writeFields(b *strings.Builder, h map[string][]string) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			fmt.Fprintf(b, "%s: %s\r\n", name, v)
		}
	}
}
