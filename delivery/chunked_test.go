package delivery

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"hookscope/store"
)

// framing is how a test server saw one request framed.
type framing struct {
	te            []string
	contentLength int64
	body          string
	trailer       http.Header
	declared      string
}

func framingServer(t *testing.T) (*httptest.Server, <-chan framing) {
	got := make(chan framing, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		declared := ""
		for name := range r.Trailer {
			declared += name + ";"
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the replay: %v", err)
		}
		got <- framing{r.TransferEncoding, r.ContentLength, string(body), r.Trailer, declared}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// A capture that arrived chunked is replayed chunked, its trailer fields
// after the body; edited or not, and with an empty body too.
func TestReplayOfAChunkedCaptureIsChunkedWithItsTrailers(t *testing.T) {
	c := newClient(t)
	srv, got := framingServer(t)
	capture := putCapture(t, c.Store, &store.Capture{
		Method: "POST", Path: "/in", Header: http.Header{"Content-Type": {"text/plain"}, "Trailer": {"X-Checksum"}},
		Body: []byte("hello world"), TransferEncoding: []string{"chunked"},
		Trailer: http.Header{"X-Checksum": {"sha256=abc"}},
	})
	empty := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/empty", TransferEncoding: []string{"chunked"}})
	plain := putCapture(t, c.Store, &store.Capture{Method: "POST", Path: "/plain", Body: []byte("abc")})
	tests := []struct {
		name    string
		capture *store.Capture
		opt     ReplayOptions
		want    framing
	}{
		{"as captured", capture, ReplayOptions{URL: srv.URL}, framing{[]string{"chunked"}, -1, "hello world", http.Header{"X-Checksum": {"sha256=abc"}}, "X-Checksum;"}},
		{"edited", capture, ReplayOptions{URL: srv.URL, Edited: true, Body: []byte("edited")}, framing{[]string{"chunked"}, -1, "edited", http.Header{"X-Checksum": {"sha256=abc"}}, "X-Checksum;"}},
		{"empty body", empty, ReplayOptions{URL: srv.URL}, framing{[]string{"chunked"}, -1, "", nil, ""}},
		{"Content-Length", plain, ReplayOptions{URL: srv.URL}, framing{nil, 3, "abc", nil, ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := c.Replay(context.Background(), tc.capture, nil, tc.opt)
			if err != nil || a.StatusCode != 200 {
				t.Fatalf("replay: %v %+v", err, a)
			}
			if f := <-got; !reflect.DeepEqual(f, tc.want) {
				t.Errorf("arrived as %+v, want %+v", f, tc.want)
			}
		})
	}
}
