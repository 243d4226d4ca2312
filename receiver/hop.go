package receiver

import (
	"net/http"

	"hookscope/delivery"
)

// notForwarded refuses API requests that Hookscope itself sent (a forward,
// a replay, a test event: they carry delivery.HopHeader). A capture on
// /{slug}/_hookscope/api/captures replayed to the receiver with its path
// would otherwise become a request to this API from loopback — a DELETE of
// every capture, say.
func notForwarded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, sent := r.Header[delivery.HopHeader]; sent {
			writeJSONError(w, http.StatusForbidden, "the Hookscope API refuses requests sent by Hookscope itself (they carry "+delivery.HopHeader+"): a replayed or forwarded capture must not act on the API")
			return
		}
		next.ServeHTTP(w, r)
	})
}
