// Package receivertest picks addresses for the tests of the packages that
// start a receiver (the binary's --addr, the window's address, a tunnel's
// capture address): one that nothing listens on yet.
package receivertest

import (
	"net"
	"testing"
)

// FreeAddr is a loopback address ("127.0.0.1:PORT") free when it returns:
// the port the system gave a listener that is closed again. Another process
// may take it before the test listens there; on loopback in a test run that
// does not happen in practice.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
