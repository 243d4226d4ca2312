package export

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"hookscope/store"
)

// RawRequest writes c as the HTTP/1.1 request it arrived as: the request
// line, the header fields in the order they came (Host and
// Transfer-Encoding among them; a field repeated apart is written with its
// first) — Host first and the rest sorted by name when the order is not
// known — a blank line and the body.
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
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", c.Method, c.URI())
	writeOrdered(&b, sentHeader(c), c.Host, c.HeaderOrder)
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

// writeOrdered writes the Host field and h's fields in order, then those
// order does not name (all of them when it is nil) sorted by name; Host
// comes first when order does not place it.
func writeOrdered(b *strings.Builder, h http.Header, host string, order []string) {
	if !slices.Contains(order, "Host") {
		fmt.Fprintf(b, "Host: %s\r\n", host)
	}
	rest := h
	if len(order) > 0 {
		rest = h.Clone()
	}
	for _, name := range order {
		if name == "Host" {
			fmt.Fprintf(b, "Host: %s\r\n", host)
			continue
		}
		vals, ok := h[name]
		if !ok {
			continue
		}
		for _, v := range vals {
			fmt.Fprintf(b, "%s: %s\r\n", name, v)
		}
		delete(rest, name)
	}
	writeFields(b, rest)
}

// writeFields writes h sorted by name, repeated values in their order.
func writeFields(b *strings.Builder, h map[string][]string) {
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			fmt.Fprintf(b, "%s: %s\r\n", name, v)
		}
	}
}
