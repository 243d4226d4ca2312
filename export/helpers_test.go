package export

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"hookscope/store"
	"hookscope/store/storetest"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	return storetest.Open(t, store.Options{})
}

// base is a receive time with nanoseconds, so a format that rounds shows.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.UTC)

// fixtures are the captures the round-trip tests carry, by name.
func fixtures() map[string]*store.Capture {
	resp := func(status int, ct string, body []byte) store.Response {
		return store.Response{Status: status, Header: http.Header{"Content-Type": {ct}, "X-Hookscope-Capture-Id": {"0000000000000001"}}, Body: body}
	}
	multipartBody := "--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue one\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\xff\r\n--XyZ--\r\n"
	return map[string]*store.Capture{
		"json": {
			ReceivedAt: base, Method: "POST", Path: "/stripe/hook%2Fx", RawQuery: "a=1&a=2&b=%20x+y&flag", Proto: "HTTP/1.1",
			Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:50123", Project: "stripe", Via: "cloudflared",
			Header: http.Header{
				"Content-Type":     {"application/json; charset=utf-8"},
				"Content-Length":   {"45"},
				"Stripe-Signature": {"t=1,v1=abc"},
				"X-Trace":          {"one", "two", "three"},
				"Cookie":           {"a=1; b=2"},
			},
			Body:     []byte(`{"id":"evt_1","text":"<b>&amp;</b> \u00e9 ü"}`),
			Response: resp(200, "application/json", []byte("{\"ok\":true}\n")),
		},
		"form with repeated keys": {
			ReceivedAt: base.Add(time.Second), Method: "POST", Path: "/forms", Proto: "HTTP/1.1",
			Host: "127.0.0.1:8787", RemoteAddr: "[::1]:4000",
			Header:   http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:     []byte("tag=a&tag=b&name=J%C3%B6rg+M&empty="),
			Response: store.Response{Status: 302, Header: http.Header{"Location": {"/done"}, "Set-Cookie": {"s=1; Path=/; HttpOnly", "t=2"}}},
		},
		"binary": {
			ReceivedAt: base.Add(2 * time.Second), Method: "PUT", Path: "/blob", Proto: "HTTP/1.1",
			Host: "hooks.example.com", RemoteAddr: "10.0.0.2:1",
			Header:   http.Header{"Content-Type": {"application/octet-stream"}},
			Body:     []byte{0x00, 0xff, 0xfe, 'a', 0x80, '\n', 0x1b},
			Response: resp(201, "application/octet-stream", []byte{0xde, 0xad, 0xbe, 0xef, 0x00}),
		},
		"truncated": {
			ReceivedAt: base.Add(3 * time.Second), Method: "POST", Path: "/big", Proto: "HTTP/1.1",
			Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:2", Project: "big", Truncated: true,
			Header:   http.Header{"Content-Type": {"text/plain"}, "Content-Length": {"99999"}},
			Body:     []byte("first bytes only"),
			Response: resp(413, "application/json", []byte(`{"error":"too large"}`)),
		},
		"multipart": {
			ReceivedAt: base.Add(4 * time.Second), Method: "POST", Path: "/upload", Proto: "HTTP/1.1",
			Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:3",
			Header:   http.Header{"Content-Type": {"multipart/form-data; boundary=XyZ"}},
			Body:     []byte(multipartBody),
			Response: resp(200, "application/json", nil),
		},
		"empty GET": {
			ReceivedAt: base.Add(5 * time.Second), Method: "GET", Path: "/", Proto: "HTTP/1.1",
			Host: "127.0.0.1:8787", RemoteAddr: "127.0.0.1:4",
			Response: resp(200, "application/json", []byte("{}")),
		},
	}
}

// sameCapture reports every field of got that differs from want, ignoring
// the ID (a new store issues its own) and the signature (not exported).
func sameCapture(t *testing.T, name string, got, want *store.Capture) {
	t.Helper()
	check := func(field string, ok bool, g, w any) {
		if !ok {
			t.Errorf("%s: %s = %#v, want %#v", name, field, g, w)
		}
	}
	check("ReceivedAt", got.ReceivedAt.Equal(want.ReceivedAt), got.ReceivedAt, want.ReceivedAt)
	check("Method", got.Method == want.Method, got.Method, want.Method)
	check("Path", got.Path == want.Path, got.Path, want.Path)
	check("RawQuery", got.RawQuery == want.RawQuery, got.RawQuery, want.RawQuery)
	check("Proto", got.Proto == want.Proto, got.Proto, want.Proto)
	check("Host", got.Host == want.Host, got.Host, want.Host)
	check("RemoteAddr", got.RemoteAddr == want.RemoteAddr, got.RemoteAddr, want.RemoteAddr)
	check("Project", got.Project == want.Project, got.Project, want.Project)
	check("Via", got.Via == want.Via, got.Via, want.Via)
	check("Header", reflect.DeepEqual(got.Header, want.Header), got.Header, want.Header)
	check("Body", bytes.Equal(got.Body, want.Body), got.Body, want.Body)
	check("Truncated", got.Truncated == want.Truncated, got.Truncated, want.Truncated)
	check("Response.Status", got.Response.Status == want.Response.Status, got.Response.Status, want.Response.Status)
	check("Response.Header", reflect.DeepEqual(got.Response.Header, want.Response.Header), got.Response.Header, want.Response.Header)
	check("Response.Body", bytes.Equal(got.Response.Body, want.Response.Body), got.Response.Body, want.Response.Body)
}

// errorNames checks that reading a bad file failed with an error that names
// each of want: where the fault is, in the file's own terms.
func errorNames(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %q", err, w)
		}
	}
}
