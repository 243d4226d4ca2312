package receiver

import (
	"bufio"
	"net/http"
	"testing"

	"hookscope/store"
)

// "OPTIONS *" reaches the capture handler (net/http would otherwise answer
// it itself) and is stored with the path "*".
func TestOptionsAsteriskIsCaptured(t *testing.T) {
	srv, st := start(t, Options{})
	conn := dial(t, srv.Addr())
	defer conn.Close()
	if _, err := conn.Write([]byte("OPTIONS * HTTP/1.1\r\nHost: example.test\r\nContent-Length: 0\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get(CaptureIDHeader) == "" {
		t.Fatalf("OPTIONS * answered %d, capture id %q", resp.StatusCode, resp.Header.Get(CaptureIDHeader))
	}
	c := capturedFrom(t, st, resp)
	if c.Method != "OPTIONS" || c.Path != "*" || c.RawQuery != "" {
		t.Fatalf("stored %s %q ?%q, want OPTIONS *", c.Method, c.Path, c.RawQuery)
	}
	page, _, err := st.List(store.Filter{}, 0, 10)
	if err != nil || len(page) != 1 || page[0].URI() != "*" {
		t.Fatalf("list: %v %+v", err, page)
	}
}
