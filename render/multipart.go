package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
)

// maxParts bounds the work a hostile body with thousands of tiny parts can
// cause.
const maxParts = 1000

// multipart splits the body into parts. Every part keeps all its bytes so
// the UI can save files whole; only the text rendering of text parts is
// limited, to a quarter of the body's Limit each.
func (r *renderer) multipart(body []byte, contentType string, depth int) {
	boundary := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		boundary = params["boundary"]
	}
	if boundary == "" {
		boundary = guessBoundary(body)
		if boundary == "" {
			r.multipartFailed(body, errors.New("no boundary in Content-Type or body"))
			return
		}
		r.note("multipart boundary missing from Content-Type; taken from the body")
	}
	if !bytes.Contains(body, []byte("--"+boundary)) {
		// mime/multipart would only say "EOF".
		r.multipartFailed(body, fmt.Errorf("boundary %q not found in body", boundary))
		return
	}
	partOpt := r.opt
	partOpt.Limit = max(r.opt.Limit/4, min(r.opt.Limit, 16<<10))
	partOpt.HighlightLimit = max(r.opt.HighlightLimit/4, 1)
	partOpt.fastHighlightLimit = max(r.opt.fastHighlightLimit/4, 1)

	var parts []Part
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		if len(parts) == maxParts {
			r.note(fmt.Sprintf("only the first %d parts are shown", maxParts))
			break
		}
		// NextRawPart keeps Content-Transfer-Encoding as sent; the
		// inspector shows what arrived.
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			r.multipartFailed(body, err)
			return
		}
		data, err := io.ReadAll(p)
		if err != nil {
			r.multipartFailed(body, err)
			return
		}
		part := Part{
			Header:      http.Header(p.Header),
			ContentType: p.Header.Get("Content-Type"),
			Size:        len(data),
			Data:        data,
		}
		// Part.FileName strips directories; a sender's full filename is
		// worth seeing.
		if _, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition")); err == nil {
			part.Name, part.FileName = params["name"], params["filename"]
		} else {
			part.Name, part.FileName = p.FormName(), p.FileName()
		}
		// Files are previewed too: text as text (a go.mod sent as
		// application/octet-stream by curl -F, say), binary as a hex dump
		// like a binary body's, so a wrong magic number shows without
		// saving the part.
		if depth < maxNesting {
			doc := render(data, part.Header, partOpt, depth+1)
			part.Doc = &doc
			r.doc.Cut = r.doc.Cut || doc.Cut
		}
		parts = append(parts, part)
	}
	r.doc.Parts = parts
}

// multipartFailed shows the body as received; a multipart parser does not
// say where it stopped, so the error has no position.
func (r *renderer) multipartFailed(body []byte, err error) {
	r.doc.Err = &SyntaxError{Msg: err.Error()}
	r.raw(body, KindText)
}

// guessBoundary takes the boundary from the first delimiter line, for
// senders that forget the boundary parameter.
func guessBoundary(body []byte) string {
	line, _, _ := bytes.Cut(bytes.TrimLeft(body, "\r\n"), []byte("\n"))
	line = bytes.TrimRight(line, "\r \t")
	if !bytes.HasPrefix(line, []byte("--")) || len(line) < 3 || len(line) > 72 {
		return ""
	}
	return string(line[2:])
}
