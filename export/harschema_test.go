package export

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"hookscope/export/hartest"
	"hookscope/store"
)

// schemaCases are captures of every kind a HAR export meets, by name: each
// must give HAR that validates against the public HAR 1.2 schema.
func schemaCases(t *testing.T) map[string]*store.Capture {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"event":"compressed"}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ok := store.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}`)}
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	post := func(i int, path, ct string, body []byte) *store.Capture {
		return &store.Capture{
			ReceivedAt: at(i), Method: "POST", Path: path, Proto: "HTTP/1.1", Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:5000",
			Header: http.Header{"Content-Type": {ct}}, Body: body, Response: ok,
		}
	}
	cases := map[string]*store.Capture{
		"json":   post(0, "/stripe/events", "application/json", []byte(`{"id":"evt_1","amount":1200}`)),
		"form":   post(1, "/twilio/sms", "application/x-www-form-urlencoded", []byte("From=%2B15551234567&Body=hi+there&Body=again")),
		"binary": post(2, "/blob", "application/octet-stream", []byte{0x00, 0xff, 0xfe, 'a', 0x80, '\n', 0x1b}),
		"gzip":   post(3, "/github/push", "application/json", gz.Bytes()),
		"query": {
			ReceivedAt: at(4), Method: "GET", Path: "/search", RawQuery: "q=a+b&q=c&empty=&flag&enc=%E6%97%A5", Proto: "HTTP/1.1",
			Host: "hooks.example.com:8443", Header: http.Header{}, Response: ok,
		},
		"same-name headers": post(5, "/trace", "application/json", []byte(`{}`)),
		"non-ASCII": post(6, "/intl/日本", "application/json; charset=utf-8",
			[]byte(`{"cjk":"日本語の本文","emoji":"🎉🚀","arabic":"مرحبا بالعالم","hebrew":"שלום עולם"}`)),
		"empty body": post(7, "/ping", "", nil),
		"dropped":    post(8, "/flaky/drop", "application/json", []byte(`{"n":1}`)),
		"hung":       post(9, "/flaky/hang", "application/json", []byte(`{"n":2}`)),
		"tunnel":     post(10, "/shop/orders", "application/json", []byte(`{"order":7}`)),
		// RFC 9110 §9.3.7: OPTIONS * asks about the server, not a resource.
		"OPTIONS *": {ReceivedAt: at(11), Method: "OPTIONS", Path: "*", Proto: "HTTP/1.1", Host: "127.0.0.1:8787", Header: http.Header{}, Response: ok},
		// net/http takes any Host made of the bytes a host may hold
		// (httpguts.ValidHostHeader), so one that is no URL authority can
		// be received as it is.
		"odd Host": {ReceivedAt: at(12), Method: "POST", Path: "/x", Proto: "HTTP/1.1", Host: "127.0.0.1:8787:9", Header: http.Header{}, Response: ok},
	}
	cases["gzip"].Header.Set("Content-Encoding", "gzip")
	cases["same-name headers"].Header["X-Trace"] = []string{"one", "two", "three"}
	cases["same-name headers"].Response.Header = http.Header{"Set-Cookie": {"a=1; Path=/; HttpOnly", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"}}
	nonASCII := cases["non-ASCII"]
	nonASCII.RawQuery = "name=" + "Jörg" + "&city=תל אביב"
	nonASCII.Header.Set("X-Greeting", "こんにちは 👋 مرحبا שלום")
	nonASCII.Response = store.Response{Status: 200, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, Body: []byte("受け取りました ✅")}
	cases["empty body"].Header = http.Header{"Content-Length": {"0"}}
	cases["dropped"].Response = store.Response{}
	cases["dropped"].AnsweredBy = &store.AnsweredBy{Rule: "flaky", Action: "drop", Detail: "dropped the connection without a byte"}
	cases["hung"].Response = store.Response{}
	cases["hung"].AnsweredBy = &store.AnsweredBy{Rule: "flaky", Step: 1, Action: "hang", Detail: "hung 2.5 s until the sender gave up"}
	cases["tunnel"].Host, cases["tunnel"].Via = "words-four.trycloudflare.com", "cloudflared"
	return cases
}

// harURLs are the request URLs of a HAR document's entries.
func harURLs(t *testing.T, doc []byte) []string {
	t.Helper()
	var har struct {
		Log struct {
			Entries []struct{ Request struct{ URL string } }
		}
	}
	if err := json.Unmarshal(doc, &har); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range har.Log.Entries {
		out = append(out, e.Request.URL)
	}
	return out
}

// TestHARValidatesAgainstThePublicSchema: the HAR every surface writes — a
// query's export (the window's Export, the API's captures/export and the
// export subcommand all call ExportHAR without a base URL) and one capture's
// (the window's Export of the selected capture: WriteHAR) — validates
// against har-schema, and each entry's URL is the capture's own, with its
// Host as received.
func TestHARValidatesAgainstThePublicSchema(t *testing.T) {
	st := openStore(t)
	names, stored := putAll(t, st, schemaCases(t))

	var all bytes.Buffer
	n, err := ExportHAR(&all, st, store.Filter{}, "")
	if err != nil || n != len(stored) {
		t.Fatalf("ExportHAR = %d, %v; want %d", n, err, len(stored))
	}
	hartest.Validate(t, all.Bytes())
	urls := harURLs(t, all.Bytes())
	if len(urls) != len(stored) {
		t.Fatalf("%d entries for %d captures", len(urls), len(stored))
	}
	back, err := ReadHAR(bytes.NewReader(all.Bytes()))
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	// Two have no URL as they stand: OPTIONS * is its origin alone (RFC
	// 9112 §3.2.4), and a Host that is no authority leaves the URL to
	// localhost, the Host header keeping it (read back by sameCapture).
	noURL := map[string]string{"OPTIONS *": "http://127.0.0.1:8787", "odd Host": "http://localhost/x"}
	for i, c := range stored {
		t.Run(names[i], func(t *testing.T) {
			sameCapture(t, names[i], back[i], c)
			want, ok := noURL[names[i]]
			if !ok {
				want = c.URL()
			}
			if urls[i] != want {
				t.Errorf("query export: url %q, want the capture's own %q", urls[i], want)
			}
			var one bytes.Buffer
			if err := WriteHAR(&one, []*store.Capture{c}, ""); err != nil {
				t.Fatal(err)
			}
			hartest.Validate(t, one.Bytes())
			if got := harURLs(t, one.Bytes()); len(got) != 1 || got[0] != want {
				t.Errorf("one capture's export: urls %q, want [%q]", got, want)
			}
		})
	}
}
