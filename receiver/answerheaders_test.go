package receiver

import (
	"bufio"
	"io"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"testing"

	"hookscope/store"
)

// The Response tab lists the answer's headers as recorded: they must be
// every header the sender received, Date and Content-Length included, with
// the values it received.
func TestRecordedAnswerHeadersAreTheHeadersSent(t *testing.T) {
	srv, st := start(t, Options{MaxBody: 64})
	putProject(t, st, store.Project{Slug: "text", Name: "Text", Response: store.ProjectResponse{Status: 202, Body: "accepted, thanks", Headers: map[string]string{"X-Shop": "1"}}})
	putProject(t, st, store.Project{Slug: "empty", Name: "Empty", Response: store.ProjectResponse{Status: 204}})
	putProject(t, st, store.Project{Slug: "same", Name: "Same", Response: store.ProjectResponse{Status: 304}})
	for _, slug := range []string{"text", "empty", "same"} {
		waitProject(t, srv, slug, func(store.Project) bool { return true })
	}
	cases := map[string]string{
		"default":          "POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
		"project's answer": "POST /text/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
		"no content":       "POST /empty HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
		"not modified":     "POST /same HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
		"truncated":        "POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("x", 100),
		"closing":          "POST /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.0":         "POST /old HTTP/1.0\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			got := rawAnswerHeader(t, srv.Addr(), req)
			c := storedFor(t, st, got)
			if !reflect.DeepEqual(c.Response.Header, got) {
				t.Fatalf("recorded answer headers\n%v\nthe sender received\n%v", c.Response.Header, got)
			}
			if got.Get("Date") == "" {
				t.Fatal("no Date sent")
			}
		})
	}
}

// rawAnswerHeader sends req over a TCP connection and reads the header
// block of the answer as it came on the wire: Go's client would hide
// Connection from it.
func rawAnswerHeader(t *testing.T, addr, req string) http.Header {
	t.Helper()
	conn := dial(t, addr)
	defer conn.Close()
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	tr := textproto.NewReader(bufio.NewReader(conn))
	if _, err := tr.ReadLine(); err != nil {
		t.Fatal(err)
	}
	h, err := tr.ReadMIMEHeader()
	if err != nil {
		t.Fatal(err)
	}
	return http.Header(h)
}
