package receiver

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// An event stream never ends by itself: Stop must end it rather than wait
// for it until its context gives up.
func TestStopEndsEventStreams(t *testing.T) {
	srv, _ := start(t, Options{})
	resp, err := http.Get(srv.URL() + "/_hookscope/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !bufio.NewScanner(resp.Body).Scan() { // the opening comment: the stream is up
		t.Fatal("no stream")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		t.Fatalf("Stop with a client on the event stream: %v", err)
	}
}

// Summaries say which tunnel a capture came through: in the list and in
// the event stream.
func TestSummariesSayVia(t *testing.T) {
	srv, st := start(t, Options{})
	sc := bufio.NewScanner(openEvents(t, srv, 10*time.Second).Body)
	sc.Scan()
	base := captureOnly(t, srv, "cloudflared")
	capturedFrom(t, st, send(t, "POST", base+"/hook", []byte("x"), nil))
	var list ListJSON
	getJSON(t, srv.URL()+"/_hookscope/api/captures", 200, &list)
	if len(list.Captures) != 1 || list.Captures[0].Via != "cloudflared" {
		t.Fatalf("list %+v", list)
	}
	_, data, ok := nextEvent(sc)
	if !ok {
		t.Fatalf("no capture event: %v", sc.Err())
	}
	var s SummaryJSON
	json.Unmarshal([]byte(data), &s)
	if s.Via != "cloudflared" {
		t.Fatalf("capture event %s", data)
	}
}

// CONNECT asks for a proxy: it is answered 405 and not captured, through
// the receiver and through a tunnel alike.
func TestConnectIsRefusedNotCaptured(t *testing.T) {
	srv, st := start(t, Options{})
	for _, base := range []string{srv.URL(), captureOnly(t, srv, "ngrok")} {
		req, _ := http.NewRequest("CONNECT", base, nil)
		req.URL.Opaque = "example.com:443"
		req.Host = "example.com:443"
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Fatalf("CONNECT through %s: %d", base, resp.StatusCode)
		}
	}
	if n, _ := st.Count(); n != 0 {
		t.Fatalf("%d CONNECT requests were captured", n)
	}
}
