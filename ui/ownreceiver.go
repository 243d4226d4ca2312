package ui

// listenAddr is where the receiver listens, or will when it starts: a
// webhook pointing there would capture its own forwards, which
// projects.Validate refuses.
func (w *Window) listenAddr() string {
	if addr := w.srv.Addr(); addr != "" {
		return addr
	}
	return w.addr
}
