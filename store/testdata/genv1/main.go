// Command genv1 writes the schema version 1 fixture of the store tests: a
// store file written by the Hookscope that kept each body in the bodies
// bucket, and what that Hookscope read back from it, as JSON. Run it from a
// checkout of a commit before schema version 2 (for example with
// `git archive main | tar -x -C DIR`), from the module root:
//
//	go run ./store/testdata/genv1 -db v1.db -json v1.json && gzip -9 v1.db
//
// The go tool skips testdata directories, so this file builds only when run
// by its path.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"hookscope/store"
)

func main() {
	db := flag.String("db", "v1.db", "the store file to write (must not exist)")
	out := flag.String("json", "v1.json", "where to write the captures as read back")
	flag.Parse()
	if err := run(*db, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genv1:", err)
		os.Exit(1)
	}
}

func run(db, out string) error {
	st, err := store.Open(db, store.Options{MaxCount: -1})
	if err != nil {
		return err
	}
	var got []*store.Capture
	for _, c := range captures() {
		if err := st.Put(c); err != nil {
			return err
		}
		back, err := st.Get(c.ID)
		if err != nil {
			return err
		}
		got = append(got, back)
	}
	if err := st.Close(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// captures are one of each kind the tests read back: every field set, a
// gzip body, no body, chunked with a trailer, truncated, and plain ones for
// retention to prune.
func captures() []*store.Capture {
	at := time.Date(2026, 11, 30, 9, 0, 0, 123456789, time.UTC)
	next := func() time.Time { at = at.Add(time.Second); return at }
	answer := store.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}` + "\n")}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"animal":"pelican","note":"only inside the gzip body"}`))
	zw.Close()
	cs := []*store.Capture{
		{
			ReceivedAt: next(), Method: "POST", Path: "/shop/orders", RawQuery: "a=1&a=2", Proto: "HTTP/1.1",
			Host: "abc.ngrok.app", RemoteAddr: "127.0.0.1:40001", Project: "shop", Via: "ngrok",
			Header: http.Header{
				"Content-Type":      {"application/json"},
				"Stripe-Signature":  {"t=1,v1=deadbeef"},
				"X-Multi":           {"first", "second"},
				"X-Forwarded-Proto": {"https"},
			},
			HeaderOrder: []string{"Host", "X-Multi", "Stripe-Signature", "Content-Type", "X-Forwarded-Proto"},
			Body:        []byte(`{"id":"evt_1","type":"order.created","amount":4200}`),
			Response:    store.Response{Status: 500, Header: http.Header{"Content-Type": {"text/plain"}, "Retry-After": {"3"}}, Body: []byte("rule says no\n")},
			Signature: store.Signature{Scheme: "stripe", Detected: true, Status: "invalid", Reason: "signature does not match",
				Received: "deadbeef", Computed: "c0ffee", Hint: "wrong secret?", SignedContentLen: 51, SignedContentStart: "1.{\"id\"",
				Skew: -3 * time.Second, HasSkew: true},
			AnsweredBy: &store.AnsweredBy{Rule: "fail-orders", Step: 1, Action: "respond", Detail: "status 500"},
		},
		{
			ReceivedAt: next(), Method: "POST", Path: "/gz", Proto: "HTTP/1.1", Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:40002",
			Header:      http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"application/json"}},
			HeaderOrder: []string{"Host", "Content-Encoding", "Content-Type"},
			Body:        gz.Bytes(), Response: answer,
		},
		{
			ReceivedAt: next(), Method: "GET", Path: "/ping", RawQuery: "q=nobody", Proto: "HTTP/1.1", Host: "127.0.0.1:8787",
			RemoteAddr: "127.0.0.1:40003", Header: http.Header{"User-Agent": {"probe/1.0"}}, Response: answer,
			AnsweredBy: &store.AnsweredBy{Action: "respond"},
		},
		{
			ReceivedAt: next(), Method: "PUT", Path: "/chunked", Proto: "HTTP/1.1", Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:40004",
			Header: http.Header{"Trailer": {"X-Checksum"}}, TransferEncoding: []string{"chunked"},
			Trailer: http.Header{"X-Checksum": {"abc123"}}, Body: []byte("chunk one, chunk two"), Response: answer, Project: "shop",
		},
		{
			ReceivedAt: next(), Method: "POST", Path: "/big", Proto: "HTTP/1.1", Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:40005",
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: bytes.Repeat([]byte("walrus "), 300), Truncated: true,
			Response: store.Response{Status: 413, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"error":"too large"}`)},
		},
	}
	for i := range 5 {
		cs = append(cs, &store.Capture{
			ReceivedAt: next(), Method: "POST", Path: fmt.Sprintf("/plain/%d", i), Proto: "HTTP/1.1", Host: "127.0.0.1:8787",
			RemoteAddr: "127.0.0.1:40010", Header: http.Header{"Content-Type": {"application/json"}},
			Body: fmt.Appendf(nil, `{"n":%d,"word":"heron"}`, i), Response: answer,
		})
	}
	return cs
}
