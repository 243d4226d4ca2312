package receiver

import (
	"testing"

	"hookscope/export"
)

// The Raw tab shows the header fields in the order the sender wrote them,
// not sorted: a field's position can be what a bug is about. The order
// survives the store.
func TestRawTextKeepsTheHeaderOrderReceived(t *testing.T) {
	srv, st := start(t, Options{})
	raw := "POST /hooks/order HTTP/1.1\r\nX-Zulu: 1\r\nHost: x\r\nuser-agent: test/1\r\nX-Alpha: a\r\nContent-Type: application/json\r\nX-Zulu: 2\r\nContent-Length: 2\r\n\r\n{}"
	answers, _ := exchange(t, srv.Addr(), raw, 1)
	if len(answers) != 1 || answers[0].status != 200 {
		t.Fatalf("answers %+v", answers)
	}
	c := storedFor(t, st, answers[0].header)
	got := export.RawRequest(c, string(c.Body))
	// Names as net/http keys them; a repeated field goes with its first.
	want := "POST /hooks/order HTTP/1.1\r\nX-Zulu: 1\r\nX-Zulu: 2\r\nHost: x\r\nUser-Agent: test/1\r\nX-Alpha: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
	if got != want {
		t.Fatalf("raw text\n%q\nwant\n%q", got, want)
	}
}
