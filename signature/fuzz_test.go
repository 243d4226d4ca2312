package signature

import (
	"regexp"
	"strings"
	"testing"
)

var maskShape = regexp.MustCompile(`^•••• \(\d+ chars\)$`)

const fuzzSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var knownStatus = map[Status]bool{Valid: true, Invalid: true, MissingHeader: true, MalformedHeader: true, TimestampOutOfTolerance: true, NoSecret: true, Unsigned: true}

// checkResult holds the invariants every Verify result keeps, whatever the input.
func checkResult(t *testing.T, res Result, secret string) {
	t.Helper()
	if !knownStatus[res.Status] {
		t.Fatalf("unknown status %q", res.Status)
	}
	if res.Reason == "" {
		t.Fatal("empty Reason")
	}
	if len(secret) >= 8 && (strings.Contains(res.Reason, secret) || strings.Contains(res.Hint, secret)) {
		t.Fatalf("secret in Reason/Hint: %q / %q", res.Reason, res.Hint)
	}
}

func FuzzStripeHeader(f *testing.F) {
	f.Add("t=1614265330,v1=af4ead0627a34a8cca29808e8de9ada8e41a92e6237c63cef6eacf51d36cca34", []byte("{}"))
	f.Add("t=1,v1=zz,v0=00,v1=", []byte(""))
	f.Add("t=-9223372036854775808,v1=00", []byte("x"))
	f.Add("t=9223372036854775807", []byte("x"))
	f.Add(",,,=,t=", []byte("{\"a\":1}\n"))
	f.Add("garbage", []byte(nil))
	f.Fuzz(func(t *testing.T, h string, body []byte) {
		for _, secret := range []string{fuzzSecret, ""} {
			res := Verify(Request{Header: hdr("Stripe-Signature", h), Body: body}, Config{Scheme: SchemeStripe, Secret: secret}, t0)
			checkResult(t, res, secret)
		}
	})
}

func FuzzStandardWebhooksHeader(f *testing.F) {
	f.Add("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", []byte(`{"test": 2432232314}`))
	f.Add("", "", "", []byte(""))
	f.Add("id", "99999999999999999999", "v1a,xx v2,yy v1,", []byte("{}"))
	f.Add("id", "-1", "v1=abc  v1,,", []byte("[]"))
	f.Add("id", "1700000000", "garbage", []byte("{\"a\":[1,2,{\"b\":null}]}"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		for _, secret := range []string{fuzzSecret, "not base64!", ""} {
			h := hdr("webhook-id", id, "webhook-timestamp", ts, "svix-signature", sig)
			res := Verify(Request{Header: h, Body: body}, Config{Scheme: SchemeStandardWebhooks, Secret: secret, PreviousSecrets: []string{"whsec_AAAA", "x"}}, t0)
			checkResult(t, res, secret)
		}
	})
}

func FuzzSlackHeaders(f *testing.F) {
	f.Add("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "1531420618", []byte(slackBody))
	f.Add("v0=", "", []byte(""))
	f.Add("v1=00", "1e9", []byte("x"))
	f.Add("v0=zz", "-9223372036854775808", []byte("{}"))
	f.Fuzz(func(t *testing.T, sig, ts string, body []byte) {
		res := Verify(Request{Header: hdr(hdrSlackSig, sig, hdrSlackTS, ts), Body: body}, Config{Scheme: SchemeSlack, Secret: "8f742231b10e8888abcd99yyyzzz85a5"}, t0)
		checkResult(t, res, "8f742231b10e8888abcd99yyyzzz85a5")
	})
}

func FuzzGitHubHeader(f *testing.F) {
	f.Add("sha256=e3eccac34c43c7dc1cbb905488b1b81347fcc700a7b025697a9d07862256023f", "", []byte("{\n  \"foo\": \"bar\"\n}\n"))
	f.Add("", "sha1=d03207e4b030cf234e3447bac4d93add4c6643d8", []byte(`{"foo":"bar"}`))
	f.Add("sha256=", "sha1=", []byte(""))
	f.Add("xDIo1V+MXrch+M11WZF1TTbBc5FWQSOyBNpkLxMR27k=", "", []byte(unitaryErrorJSON))
	f.Fuzz(func(t *testing.T, v256, v1 string, body []byte) {
		h := hdr("X-Hub-Signature", v1)
		if v256 != "" {
			h.Set("X-Hub-Signature-256", v256)
		}
		for _, scheme := range []string{SchemeGitHub, SchemeHubSHA256Base64, SchemeShopify, ""} {
			res := Verify(Request{URL: "https://x/y?z=1", Header: h, Body: body}, Config{Scheme: scheme, Secret: "mysecret-longer"}, t0)
			checkResult(t, res, "mysecret-longer")
		}
	})
}

func FuzzShopifyHeader(f *testing.F) {
	f.Add("B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=", []byte(`{"foo": "bar"}`))
	f.Add("%%%", []byte(""))
	f.Add("sha256=00", []byte("{}"))
	f.Fuzz(func(t *testing.T, v string, body []byte) {
		res := Verify(Request{Header: hdr(hdrShopify, v), Body: body}, Config{Scheme: SchemeShopify, Secret: "test_secret_key"}, t0)
		checkResult(t, res, "test_secret_key")
	})
}

func FuzzTwilioHeader(f *testing.F) {
	f.Add("RSOYDt4T1cUTdK1PDd93/VVr8B8=", twilioURL, twilioParamsForm, "application/x-www-form-urlencoded", "")
	f.Add("a9nBmqA0ju/hNViExpshrM61xv4=", twilioURL+"&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", `{"property": "value", "boolean": true}`, "application/json", "")
	f.Add("", "http://[::1", "%zz=%&&=", "", "h")
	f.Add("x", "://", "a=+&b=%2B", "text/plain; charset=\"", "https://pub.example/")
	f.Fuzz(func(t *testing.T, sig, u, body, ct, base string) {
		h := hdr("X-Twilio-Signature", sig, "Content-Type", ct, "X-Forwarded-Host", "pub.example")
		res := Verify(Request{URL: u, Header: h, Body: []byte(body)}, Config{Scheme: SchemeTwilio, Secret: "12345678", PublicBaseURL: base}, t0)
		checkResult(t, res, "12345678")
	})
}

func FuzzGenericHMACHeader(f *testing.F) {
	f.Add("sha512=abc", "sha512", "base64", "sha512=", []byte("{}"))
	f.Add("", "", "", "", []byte(""))
	f.Add("00", "md5", "hex", "", []byte("x"))
	f.Fuzz(func(t *testing.T, v, alg, enc, prefix string, body []byte) {
		cfg := Config{Scheme: SchemeHMAC, Secret: "generic-secret", Header: "X-Sig", Algorithm: alg, Encoding: enc, Prefix: prefix}
		res := Verify(Request{Header: hdr("X-Sig", v), Body: body}, cfg, t0)
		checkResult(t, res, "generic-secret")
	})
}

func FuzzHeaderToken(f *testing.F) {
	f.Add("Bearer tok_9f8e7d6c5b4a", "tok_9f8e7d6c5b4a")
	f.Add("", "x")
	f.Add(" \t", "Bearer  ")
	f.Fuzz(func(t *testing.T, v, secret string) {
		res := Verify(Request{Header: hdr("Authorization", v)}, Config{Scheme: SchemeHeaderToken, Secret: secret}, t0)
		checkResult(t, res, "")
		// Received may show an Authorization scheme word, never token characters.
		shown := res.Received
		if word, rest, ok := strings.Cut(shown, " "); ok && authSchemes[strings.ToLower(word)] {
			shown = rest
		}
		if shown != "" && !maskShape.MatchString(shown) {
			t.Fatalf("Received shows more than the token's shape: %q", res.Received)
		}
	})
}

func FuzzDetect(f *testing.F) {
	f.Add("X-Hub-Signature-256", "sha256=00")
	f.Add("Stripe-Signature", "t=1")
	f.Add("webhook-signature", "")
	f.Fuzz(func(t *testing.T, name, value string) {
		h := hdr(name, value)
		d := Detect(h)
		if d == "" {
			return
		}
		if _, ok := lookup(d); !ok {
			t.Fatalf("Detect returned unknown scheme %q", d)
		}
		res := Verify(Request{Header: h}, Config{}, t0)
		if !res.Detected || res.Scheme != d {
			t.Fatalf("Verify did not use the detected scheme: %+v", res)
		}
	})
}
