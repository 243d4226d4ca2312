package receiver

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

// actOnRule carries out a rule's drop, reset, hang or partial answer once
// the capture is stored: these break the connection on purpose, the way a
// failing consumer does, so they take it over from net/http (Hijack) and
// write or close it themselves.
func (s *Server) actOnRule(w http.ResponseWriter, r *http.Request, c *store.Capture, plan *rulePlan) {
	if !waitToAnswer(r, plan.delay) {
		return // the sender gave up first
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not a connection of ours to take (HTTP/2 would be one): abort
		// the answer, which net/http does by closing the connection or
		// resetting the stream.
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	switch plan.action {
	case rules.ActionDrop:
		// Close sends a FIN: the sender reads EOF where the answer should be.
	case rules.ActionReset:
		resetOnClose(conn)
	case rules.ActionPartial:
		writePartial(conn, r, &c.Response)
	case rules.ActionHang:
		by := plan.by
		by.Detail = hang(r.Context(), conn, plan.hang)
		// The capture says how the hang ended; a store closed meanwhile
		// keeps the "hanging" it was stored with.
		_ = s.store.UpdateAnsweredBy(c.ID, by)
	}
}

// waitToAnswer sleeps d before an answer unless the sender gives up first
// (it then reports false: there is no one to answer). A stopping server cuts
// the wait short and the answer goes out at once.
func waitToAnswer(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-shuttingDown(r.Context()):
	case <-r.Context().Done():
		return false
	}
	return true
}

// lingerer is a connection whose close can be made abortive.
type lingerer interface{ SetLinger(sec int) error }

// SetLinger reaches the TCP connection under the framing wrapper.
func (c *framingConn) SetLinger(sec int) error {
	if l, ok := c.Conn.(lingerer); ok {
		return l.SetLinger(sec)
	}
	return fmt.Errorf("a %T cannot be reset", c.Conn)
}

// resetOnClose makes the coming Close send a TCP RST instead of a FIN: with
// SO_LINGER at zero, close discards unsent data and aborts the connection
// (RFC 9293, section 3.10.5; socket(7)). A connection that is not TCP (a
// tunnel's in-process stream) is closed as for a drop.
func resetOnClose(conn net.Conn) {
	if l, ok := conn.(lingerer); ok {
		_ = l.SetLinger(0)
	}
}

// writePartial sends the status line, the headers (Content-Length saying
// the whole body) and half the body, then returns for the caller to close:
// the sender reads an unexpected EOF. A body-less answer is cut in the
// middle of its header block instead.
func writePartial(conn net.Conn, r *http.Request, resp *store.Response) {
	var head bytes.Buffer
	fmt.Fprintf(&head, "HTTP/%d.%d %03d %s\r\n", r.ProtoMajor, r.ProtoMinor, resp.Status, http.StatusText(resp.Status))
	h := resp.Header.Clone()
	if h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	h.Write(&head)
	head.WriteString("\r\n")
	bw := bufio.NewWriter(conn)
	if n := partialLen(resp.Body); n > 0 {
		bw.Write(head.Bytes())
		bw.Write(resp.Body[:n])
	} else {
		bw.Write(head.Bytes()[:head.Len()/2])
	}
	_ = bw.Flush()
}

// hang sends nothing, reading (and discarding) whatever the sender sends,
// until it closes the connection, the bound passes, or the server stops;
// it says which, for the capture.
func hang(ctx context.Context, conn net.Conn, bound time.Duration) string {
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(bound))
	stopped := make(chan struct{})
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-shuttingDown(ctx):
			close(stopped)
			conn.Close() // ends the Read below
		case <-done:
		}
	}()
	buf := make([]byte, 4096)
	var err error
	for err == nil {
		_, err = conn.Read(buf)
	}
	took := time.Since(start).Round(100 * time.Millisecond)
	select {
	case <-stopped:
		return fmt.Sprintf("hung %s, then closed the connection as the receiver stopped", took)
	default:
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return fmt.Sprintf("hung %s (the most a hang lasts), then closed the connection", bound)
	}
	return fmt.Sprintf("hung %s until the sender gave up", took)
}
