package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hookscope/receiver"
	"hookscope/store"
	"hookscope/tunnel"
)

func TestDetailMarksWhatTheTunnelAdded(t *testing.T) {
	h, _ := newTunnelHarness(t, nil)
	// Through the receiver's capture-only handler, as a tunnel delivers.
	edge := httptest.NewServer(h.srv.CaptureHandler(tunnel.Cloudflared))
	defer edge.Close()
	req, err := http.NewRequest("POST", edge.URL+"/twilio/sms", strings.NewReader("Body=hi"))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "calm-river.trycloudflare.com"
	req.Header = http.Header{
		"Content-Type":       {"application/x-www-form-urlencoded"},
		"X-Twilio-Signature": {"abc="},
		"Cf-Ray":             {"8c1f2e3d4a5b6c7d-CDG"},
		"Cf-Connecting-Ip":   {"203.0.113.9"},
		"X-Forwarded-Proto":  {"https"},
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get(receiver.CaptureIDHeader))
	if err != nil {
		t.Fatal(err)
	}
	h.w.detail.show(id)
	h.q.until(t, "the capture shown", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == id })
	if s := h.w.detail.summary.Text; !strings.Contains(s, " via cloudflared ·") {
		t.Fatalf("summary %q does not say the capture came through cloudflared", s)
	}
	if got := h.w.detail.title.Text; got != "POST https://calm-river.trycloudflare.com/twilio/sms" {
		t.Fatalf("title %q, want the public https URL the sender called", got)
	}
	tags := map[string]string{}
	table := findTable(t, h.w.detail.headers)
	rows, cols := table.Length()
	if cols != 3 {
		t.Fatalf("%d columns, want name, tag, value", cols)
	}
	for r := range rows {
		name, tag := table.CreateCell().(*widget.Label), table.CreateCell().(*widget.Label)
		table.UpdateCell(widget.TableCellID{Row: r, Col: 0}, name)
		table.UpdateCell(widget.TableCellID{Row: r, Col: 1}, tag)
		tags[name.Text] = tag.Text
	}
	want := map[string]string{"Content-Type": "", "X-Twilio-Signature": "", "Cf-Ray": addedTag, "Cf-Connecting-Ip": addedTag, "X-Forwarded-Proto": addedTag}
	for n, tag := range want {
		if got, ok := tags[n]; !ok || got != tag {
			t.Errorf("header %s: tag %q (shown %v), want %q", n, got, ok, tag)
		}
	}

	// A capture sent to the local receiver has no tags.
	id = h.post("/local", "text/plain", "x")
	h.w.detail.show(id)
	h.q.until(t, "the local capture shown", func() bool { return h.w.detail.capture != nil && h.w.detail.capture.ID == id })
	if _, cols := findTable(t, h.w.detail.headers).Length(); cols != 2 {
		t.Fatalf("a local capture's headers have %d columns", cols)
	}
	if strings.Contains(h.w.detail.summary.Text, " via ") {
		t.Fatalf("local summary %q says via", h.w.detail.summary.Text)
	}
}

func findTable(t *testing.T, o fyne.CanvasObject) *widget.Table {
	t.Helper()
	tb := findTableIn(o)
	if tb == nil {
		t.Fatal("no table")
	}
	return tb
}

func findTableIn(o fyne.CanvasObject) *widget.Table {
	switch v := o.(type) {
	case *widget.Table:
		return v
	case *escTable:
		return &v.Table
	case *fyne.Container:
		for _, c := range v.Objects {
			if tb := findTableIn(c); tb != nil {
				return tb
			}
		}
	}
	return nil
}

func TestSummarySaysTheSenderNotTheTunnel(t *testing.T) {
	c := &store.Capture{
		Method: "POST", Path: "/stripe", Proto: "HTTP/1.1", RemoteAddr: "127.0.0.1:49696", Via: tunnel.Cloudflared,
		Header: http.Header{"Cf-Connecting-Ip": {"203.0.113.5"}, "X-Forwarded-For": {"203.0.113.5"}},
	}
	if s := summaryText(c, c.ReceivedAt); !strings.Contains(s, "from 203.0.113.5 via cloudflared ·") {
		t.Fatalf("summary %q does not name the sender from Cf-Connecting-Ip", s)
	}
	c.Via = tunnel.Ngrok
	c.Header = http.Header{"X-Forwarded-For": {"198.51.100.7, 10.0.0.1"}}
	if s := summaryText(c, c.ReceivedAt); !strings.Contains(s, "from 198.51.100.7 via ngrok ·") {
		t.Fatalf("summary %q does not name the first X-Forwarded-For", s)
	}
	c.Via = tunnel.Custom
	if s := summaryText(c, c.ReceivedAt); !strings.Contains(s, "from 198.51.100.7 via your own URL ·") {
		t.Fatalf("summary %q: want \"via your own URL\"", s)
	}
	c.Via = ""
	c.RemoteAddr = "127.0.0.1:5000"
	if s := summaryText(c, c.ReceivedAt); !strings.Contains(s, "from 127.0.0.1:5000 ·") {
		t.Fatalf("summary %q: a local capture's sender is its connection", s)
	}
}

func TestListMarksTunnelledCapturesWithoutNarrowingThePath(t *testing.T) {
	h, _ := newTunnelHarness(t, nil)
	edge := httptest.NewServer(h.srv.CaptureHandler(tunnel.Cloudflared))
	defer edge.Close()
	resp, err := http.Post(edge.URL+"/stripe", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h.post("/stripe", "application/json", `{}`)
	h.q.until(t, "two rows", func() bool { return h.rows() == 2 })
	marks := map[bool]int{}
	var widths, lefts []float32
	for row := range 2 {
		r := h.w.list.newRow().(*captureRow)
		test.NewTempWindow(t, r).Resize(fyne.NewSize(420, 40))
		h.w.list.updateRow(row, r)
		marks[r.via.Resource != nil]++
		widths = append(widths, r.path.Size().Width)
		lefts = append(lefts, r.path.Position().X)
	}
	if marks[true] != 1 || marks[false] != 1 {
		t.Fatalf("marks %v: want the tunnelled row marked and the local one not", marks)
	}
	// The path keeps its room: the mark sits in the badge's 78 px column.
	if widths[0] != widths[1] || lefts[0] != 78+theme.Padding() || lefts[1] != lefts[0] {
		t.Fatalf("path widths %v, starting at %v: want the same, after the 78 px badge column", widths, lefts)
	}
}
