package receiver

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
)

// The API's search finds a word inside a gzip body sent over HTTP, as the
// store's search does.
func TestAPISearchFindsTextInsideAGzipBody(t *testing.T) {
	srv, _ := start(t, Options{})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"type":"charge.refunded","reason":"duplicate-capybara"}`))
	zw.Close()
	resp := send(t, "POST", srv.URL()+"/hooks/stripe", buf.Bytes(), http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}})
	id := resp.Header.Get(CaptureIDHeader)
	send(t, "POST", srv.URL()+"/hooks/other", []byte(`{"type":"charge.succeeded"}`), http.Header{"Content-Type": {"application/json"}})

	var page ListJSON
	getJSON(t, srv.URL()+"/_hookscope/api/captures?q=DUPLICATE-capybara", 200, &page)
	if len(page.Captures) != 1 || page.Captures[0].ID != id {
		t.Fatalf("search for a word in the gzip body found %+v, want capture %s", page.Captures, id)
	}
}
