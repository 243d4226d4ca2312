package delivery

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"hookscope/diff"
	"hookscope/store"
)

func TestParseSide(t *testing.T) {
	for _, s := range []string{"00000000000000ff", "sent:00000000000000ff", "answer:00000000000000ff"} {
		side, err := ParseSide(s)
		if err != nil || side.ID != 0xff || side.String() != s {
			t.Errorf("ParseSide(%q) = %+v, %v", s, side, err)
		}
	}
	for _, s := range []string{"", "ff", "sent:", "replay:00000000000000ff", "sent:answer:00000000000000ff", "0000000000000000"} {
		if _, err := ParseSide(s); !errors.Is(err, ErrInvalidSide) {
			t.Errorf("ParseSide(%q) = %v, want ErrInvalidSide", s, err)
		}
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A capture, what its replay sent and what the replay got back load from
// the store as messages, bodies decoded, with the capture's project.
func TestLoadSide(t *testing.T) {
	st := newStore(t)
	event := `{"type":"annotation","taskId":"t_1"}`
	c := putCapture(t, st, &store.Capture{
		Method: "POST", Host: "127.0.0.1:8787", Path: "/isahit/tasks", RawQuery: "x=1",
		Header: http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}},
		Body:   gzipped(t, event),
	})
	a := store.Attempt{
		Project: HistoryProject(c.Project), Action: ReplayAction, CaptureID: c.ID,
		Request:    store.SentRequest{Method: "PUT", URL: "http://127.0.0.1:9/hook/tasks?y=2", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(event)},
		StatusCode: 202, ResponseHeader: http.Header{"Content-Encoding": {"gzip"}}, ResponseBody: gzipped(t, "accepted"),
	}
	if err := st.RecordDelivery(&a); err != nil {
		t.Fatal(err)
	}
	tests := map[Side]diff.Message{
		{Kind: SideCapture, ID: c.ID}: {Method: "POST", Host: "127.0.0.1:8787", Path: "/isahit/tasks", RawQuery: "x=1", Header: c.Header, Body: []byte(event)},
		{Kind: SideSent, ID: a.ID}: {Method: "PUT", Host: "127.0.0.1:9", Path: "/hook/tasks", RawQuery: "y=2",
			Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"36"}}, Body: []byte(event)},
		{Kind: SideAnswer, ID: a.ID}: {Status: 202, Header: a.ResponseHeader, Body: []byte("accepted")},
	}
	for side, want := range tests {
		got, project, err := LoadSide(st, side)
		if err != nil || project != "" || !reflect.DeepEqual(got, want) {
			t.Errorf("LoadSide(%s) = %+v, %q, %v\nwant %+v", side, got, project, err, want)
		}
	}
	if _, _, err := LoadSide(st, Side{Kind: SideCapture, ID: a.ID}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an attempt's ID as a capture: %v", err)
	}
	if _, _, err := LoadSide(st, Side{Kind: SideAnswer, ID: c.ID}); !errors.Is(err, store.ErrAttemptNotFound) {
		t.Errorf("a capture's ID as an attempt: %v", err)
	}
}

// What a replay sent carries the Content-Length net/http put on the wire,
// so a capture and its untouched replay do not differ by it.
func TestSentMessageCarriesTheContentLengthSent(t *testing.T) {
	body := []byte(`{"type":"review"}`)
	capture := diff.Message{Method: "POST", Path: "/isahit/results",
		Header: http.Header{"Content-Type": {"application/json"}, "Content-Length": {"17"}}, Body: body}
	sent := SentMessage(store.Attempt{Request: store.SentRequest{Method: "POST", URL: "http://127.0.0.1:9/isahit/results",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: body}})
	for _, h := range diff.Compare(capture, sent, diff.Ignore{}).Headers {
		if h.Change != diff.ChangeSame {
			t.Errorf("header %s: %s (%q against %q)", h.Name, h.Change, h.A, h.B)
		}
	}
	get := SentMessage(store.Attempt{Request: store.SentRequest{Method: "GET", URL: "http://127.0.0.1:9/"}})
	if v := get.Header.Get("Content-Length"); v != "" {
		t.Errorf("a GET without a body sent Content-Length %q", v)
	}
}
