// Package signaturetest builds requests signed the way a provider signs
// them, for the tests of the packages that receive and check them.
package signaturetest

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"hookscope/signature"
)

// Request is a JSON POST of body to url, signed for scheme with secret as
// of now.
func Request(t testing.TB, scheme, secret, url string, body []byte, now time.Time) *http.Request {
	t.Helper()
	sr := signature.Request{Method: "POST", URL: url, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
	if err := signature.Sign(&sr, signature.Config{Scheme: scheme, Secret: secret}, now); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = sr.Header
	return req
}
