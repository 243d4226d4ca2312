package ui

import (
	"hookscope/delivery"
	"hookscope/store"
)

// listenAddr is where the receiver listens, or will when it starts.
func (w *Window) listenAddr() string {
	if addr := w.srv.Addr(); addr != "" {
		return addr
	}
	return w.addr
}

// withOwnReceiverErrors adds to errs (which may be nil) the webhook URLs of
// p that point at this receiver: forwarding to one would capture its own
// forwards, and the API refuses them the same way (delivery.OwnReceiverErrors).
// A field's own format error stays first.
func (w *Window) withOwnReceiverErrors(p store.Project, errs map[string]string) map[string]string {
	for path, msg := range delivery.OwnReceiverErrors(p, w.listenAddr()) {
		if errs == nil {
			errs = map[string]string{}
		}
		if _, ok := errs[path]; !ok {
			errs[path] = msg
		}
	}
	return errs
}
