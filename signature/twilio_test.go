package signature

import (
	"crypto/sha1"
	"crypto/sha256"
	"strings"
	"testing"
)

const twilioURL = "https://mycompany.com/myapp.php?foo=1&bar=2"

func twilioReq(u, body, sig string, kv ...string) Request {
	h := hdr(append([]string{"Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", sig}, kv...)...)
	return Request{Method: "POST", URL: u, Header: h, Body: []byte(body)}
}

func TestTwilio(t *testing.T) {
	cfg := Config{Scheme: SchemeTwilio, Secret: "12345"}
	// Both orders of the same fields, computed by the two sorting rules.
	dupBody := "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234"
	dupPairs := parseForm([]byte(dupBody), true)
	joinSorted := b64(macOf(sha1.New, []byte("12345"), twilioJoinSortedContent(twilioURL, dupPairs)))
	plusLiteral := b64(macOf(sha1.New, []byte("12345"), []byte(twilioURL+"From+14158675309")))

	tests := map[string]struct {
		cfg    Config
		req    Request
		status Status
		hint   string
		reason string
	}{
		// twilio-python test_compute_signature_duplicate_multi_dict: pairs sorted by name, then value.
		"sid-sidaccount-pairs":                  {cfg: cfg, req: twilioReq(twilioURL, dupBody, "IK+Dwps556ElfBT0I3Rgjkr1wJU="), status: Valid},
		"sid-sidaccount-field-order-irrelevant": {cfg: cfg, req: twilioReq(twilioURL, "Digits=1234&SidAccount=AC123&Digits=5678&Sid=CA123", "IK+Dwps556ElfBT0I3Rgjkr1wJU="), status: Valid},
		"sid-sidaccount-joined-sort-trap": {cfg: cfg, req: twilioReq(twilioURL, dupBody, joinSorted), status: Invalid,
			hint: "sorted as joined name+value strings"},
		// '+' sent as %2B decodes to '+': the twilio-python vector above.
		"plus-as-%2B": {cfg: cfg, req: twilioReq(twilioURL, "From=%2B14158675309", plusLiteral), status: Valid},
		// A bare '+' decodes to a space, so a signature over '+' cannot match; the hint names it.
		"bare-plus": {cfg: cfg, req: twilioReq(twilioURL, "From=+14158675309", plusLiteral), status: Invalid,
			hint: "literal plus"},
		"with-443-received-without": {cfg: cfg, req: twilioReq(twilioURL, twilioParamsForm, "kvajT1Ptam85bY51eRf/AJRuM3w="), status: Valid},
		"without-443-received-with": {cfg: cfg, req: twilioReq(strings.Replace(twilioURL, ".com", ".com:443", 1), twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Valid},
		"public-base-url": {
			cfg: Config{Scheme: SchemeTwilio, Secret: "12345", PublicBaseURL: "https://mycompany.com/"},
			req: twilioReq("http://127.0.0.1:8787/myapp.php?foo=1&bar=2", twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Valid},
		"local-url-without-public-base": {cfg: cfg, reason: "set the public base URL",
			req: twilioReq("http://127.0.0.1:8787/myapp.php?foo=1&bar=2", twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Invalid},
		"local-url-forwarded-host-hint": {cfg: cfg,
			req: twilioReq("http://127.0.0.1:8787/myapp.php?foo=1&bar=2", twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
				"X-Forwarded-Host", "mycompany.com", "X-Forwarded-Proto", "https"), status: Invalid,
			hint: "set the public base URL to https://mycompany.com"},
		"tls-terminated-scheme-hint": {cfg: cfg,
			req: twilioReq("http://mycompany.com/myapp.php?foo=1&bar=2", twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Invalid,
			hint: "https:// instead of http://"},
		"body-byte-changed": {cfg: cfg, req: twilioReq(twilioURL, strings.Replace(twilioParamsForm, "1234", "1235", 1), "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Invalid},
		"wrong-token":       {cfg: Config{Scheme: SchemeTwilio, Secret: "54321"}, req: twilioReq(twilioURL, twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Invalid},
		"previous-token": {cfg: Config{Scheme: SchemeTwilio, Secret: "54321", PreviousSecrets: []string{"12345"}},
			req: twilioReq(twilioURL, twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), status: Invalid, hint: "previous secret of this project (#1)"},
		"sha256-instead-of-sha1": {cfg: cfg, status: Invalid, hint: "Twilio signs with HMAC-SHA1",
			req: twilioReq(twilioURL, "A=1", b64(macOf(sha256.New, []byte("12345"), []byte(twilioURL+"A1"))))},
		"hex-instead-of-base64": {cfg: cfg, status: Invalid, hint: "hex-encoded where this scheme expects base64",
			req: twilioReq(twilioURL, "A=1", "1bd5f3b8f0c3c1f1ad0bbf1b4a4cd2cbf8cbd3a0")},
		"missing": {cfg: cfg, req: Request{URL: twilioURL, Header: hdr("Content-Type", "application/x-www-form-urlencoded")}, status: MissingHeader},
		"garbage": {cfg: cfg, req: twilioReq(twilioURL, twilioParamsForm, "not base64!"), status: MalformedHeader},
		// twilio-python test_validation_of_body_succeeds, with the body changed after signing.
		"json-body-changed": {cfg: cfg, status: Invalid, hint: "trailing newline",
			req: Request{URL: twilioURL + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
				Header: hdr("Content-Type", "application/json", "X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4="),
				Body:   []byte("{\"property\": \"value\", \"boolean\": true}\n")}},
	}
	// hex-instead-of-base64 needs the real MAC in hex.
	hexCase := tests["hex-instead-of-base64"]
	hexCase.req.Header.Set("X-Twilio-Signature", hexOf(macOf(sha1.New, []byte("12345"), []byte(twilioURL+"A1"))))
	tests["hex-instead-of-base64"] = hexCase

	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res := Verify(tc.req, tc.cfg, t0)
			if res.Status != tc.status {
				t.Fatalf("status = %s, want %s (reason: %s; hint: %s)", res.Status, tc.status, res.Reason, res.Hint)
			}
			if !strings.Contains(res.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", res.Hint, tc.hint)
			}
			if !strings.Contains(res.Reason, tc.reason) {
				t.Errorf("reason %q does not contain %q", res.Reason, tc.reason)
			}
			if tc.hint == "" && res.Status == Invalid && res.Hint != "" {
				t.Errorf("unexpected hint %q", res.Hint)
			}
		})
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestTwilioURLVariants(t *testing.T) {
	tests := map[string][]string{
		"https://a.com/x?y=1":          {"https://a.com/x?y=1", "https://a.com:443/x?y=1"},
		"http://a.com":                 {"http://a.com", "http://a.com:80"},
		"https://a.com:8443/x":         {"https://a.com:8443/x", "https://a.com/x"},
		"https://u:p@a.com/x":          {"https://u:p@a.com/x", "https://u:p@a.com:443/x"},
		"http://[::1]:8787/x":          {"http://[::1]:8787/x", "http://[::1]/x"},
		"/relative/only":               {"/relative/only"},
		"https://a.com:443/x#frag?q=1": {"https://a.com:443/x#frag?q=1", "https://a.com/x#frag?q=1"},
	}
	for in, want := range tests {
		got := twilioURLVariants(in)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	if got := twilioSignedURL("http://127.0.0.1:8787/p?q=1", "https://pub.example/"); got != "https://pub.example/p?q=1" {
		t.Errorf("twilioSignedURL = %s", got)
	}
	if got := setQueryParam("https://a/b?x=1&bodySHA256=old#f", "bodySHA256", "new"); got != "https://a/b?x=1&bodySHA256=new#f" {
		t.Errorf("setQueryParam = %s", got)
	}
}
