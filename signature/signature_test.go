package signature

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var t0 = time.Unix(1700000000, 0)

const (
	jsonCompact  = `{"event":"order.created","data":{"id":42,"note":"a+b & c"}}`
	jsonIndented = "{\n  \"event\": \"order.created\",\n  \"data\": {\n    \"id\": 42,\n    \"note\": \"a+b & c\"\n  }\n}"
	swSecret     = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
)

func macOf(h func() hash.Hash, key, msg []byte) []byte {
	m := hmac.New(h, key)
	m.Write(msg)
	return m.Sum(nil)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// signed returns a request for body signed by Sign with cfg at now.
func signed(t *testing.T, cfg Config, body string, now time.Time) Request {
	t.Helper()
	r := Request{Method: "POST", URL: "https://hooks.example.com/in/x?src=test", Header: http.Header{}, Body: []byte(body)}
	if cfg.Scheme == SchemeTwilio {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if err := Sign(&r, cfg, now); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return r
}

func roundTripConfig(name string) Config {
	c := Config{Scheme: name, Secret: "s3cr3t-value"}
	switch name {
	case SchemeStandardWebhooks, SchemeStripe:
		c.Secret = swSecret
	}
	return c
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for _, s := range Schemes() {
		t.Run(s.Name, func(t *testing.T) {
			cfg := roundTripConfig(s.Name)
			body := jsonIndented
			if s.Name == SchemeTwilio {
				body = "From=%2B14158675309&Body=hi+there&Sid=CA1&SidAccount=AC1"
			}
			r := signed(t, cfg, body, t0)
			res := Verify(r, cfg, t0.Add(10*time.Second))
			if res.Status != Valid {
				t.Fatalf("status %s: %s (hint %q)", res.Status, res.Reason, res.Hint)
			}
			if s.Timestamped != res.HasSkew {
				t.Errorf("HasSkew = %v for Timestamped = %v", res.HasSkew, s.Timestamped)
			}
			if s.Timestamped && res.Skew != 10*time.Second {
				t.Errorf("Skew = %v, want 10s", res.Skew)
			}
			// Detectable schemes also verify with detection.
			if d := Detect(r.Header); d != "" {
				if d != s.Name {
					t.Fatalf("Detect = %q, want %q", d, s.Name)
				}
				cfg.Scheme = ""
				res := Verify(r, cfg, t0)
				if res.Status != Valid || !res.Detected || res.Scheme != s.Name {
					t.Errorf("detected verify: %+v", res)
				}
			}
		})
	}
}

func TestSignFreshTimestampAndID(t *testing.T) {
	cfg := Config{Scheme: SchemeStandardWebhooks, Secret: swSecret}
	r := signed(t, cfg, "{}", t0)
	id1 := r.Header.Get("webhook-id")
	if err := Sign(&r, cfg, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r.Header.Get("webhook-id") == id1 || r.Header.Get("webhook-timestamp") != "1700003600" {
		t.Fatalf("replay kept stale id/timestamp: %v", r.Header)
	}
	if res := Verify(r, cfg, t0.Add(time.Hour)); res.Status != Valid {
		t.Fatalf("re-signed request: %s %s", res.Status, res.Reason)
	}
	// A Svix delivery keeps its svix-* headers when re-signed.
	sv := Request{Header: hdr("svix-id", "msg_old", "svix-timestamp", "1", "svix-signature", "v1,AAAA"), Body: []byte("{}")}
	if err := Sign(&sv, cfg, t0); err != nil {
		t.Fatal(err)
	}
	if sv.Header.Get("svix-timestamp") != "1700000000" || sv.Header.Get("webhook-signature") != "" {
		t.Fatalf("svix family not kept: %v", sv.Header)
	}
	if res := Verify(sv, cfg, t0); res.Status != Valid {
		t.Fatalf("svix re-signed: %s %s", res.Status, res.Reason)
	}
}

func TestTwilioSignJSONSetsBodyHash(t *testing.T) {
	cfg := Config{Scheme: SchemeTwilio, Secret: "tok", PublicBaseURL: "https://abc.ngrok.app"}
	r := Request{URL: "http://127.0.0.1:8787/voice?x=1", Header: hdr("Content-Type", "application/json"), Body: []byte(`{"a":1}`)}
	if err := Sign(&r, cfg, t0); err != nil {
		t.Fatal(err)
	}
	want := "http://127.0.0.1:8787/voice?x=1&bodySHA256=" + sha256Hex(r.Body)
	if r.URL != want {
		t.Fatalf("URL = %s, want %s", r.URL, want)
	}
	if res := Verify(r, cfg, t0); res.Status != Valid {
		t.Fatalf("%s: %s", res.Status, res.Reason)
	}
	r.Body = []byte(`{"a":2}`)
	res := Verify(r, cfg, t0)
	if res.Status != Invalid || !strings.Contains(res.Reason, "bodySHA256") {
		t.Fatalf("tampered JSON: %s %s", res.Status, res.Reason)
	}
}

func TestSignErrors(t *testing.T) {
	r := Request{Body: []byte("x")}
	for name, c := range map[string]Config{
		"no-scheme":      {Secret: "x"},
		"unknown-scheme": {Scheme: "nope", Secret: "x"},
		"no-secret":      {Scheme: SchemeGitHub},
		"bad-sw-secret":  {Scheme: SchemeStandardWebhooks, Secret: "whsec_!!!"},
		"bad-hmac-alg":   {Scheme: SchemeHMAC, Secret: "x", Algorithm: "md5"},
	} {
		if err := Sign(&r, c, t0); err == nil {
			t.Errorf("%s: Sign succeeded", name)
		}
	}
	if err := Sign(nil, Config{Scheme: SchemeGitHub, Secret: "x"}, t0); err == nil {
		t.Error("nil request: Sign succeeded")
	}
}

type negCase struct {
	cfg    Config
	req    func(t *testing.T) Request
	now    time.Time
	status Status
	hint   string // key phrase; "" means the hint must be empty
	reason string // optional key phrase of Reason
}

// withHeader returns a request whose only header is name: value.
func withHeader(body, name, value string) func(*testing.T) Request {
	return func(*testing.T) Request {
		return Request{URL: "https://hooks.example.com/in/x?src=test", Header: hdr(name, value), Body: []byte(body)}
	}
}

func mutate(cfg Config, body string, now time.Time, f func(r *Request)) func(*testing.T) Request {
	return func(t *testing.T) Request {
		r := signed(t, cfg, body, now)
		f(&r)
		return r
	}
}

func TestNegativeAndHints(t *testing.T) {
	hubCfg := Config{Scheme: SchemeHubSHA256Base64, Secret: "test_key"}
	ghCfg := Config{Scheme: SchemeGitHub, Secret: "gh-secret"}
	swCfg := Config{Scheme: SchemeStandardWebhooks, Secret: swSecret}
	stCfg := Config{Scheme: SchemeStripe, Secret: swSecret}
	slCfg := Config{Scheme: SchemeSlack, Secret: "slack-secret"}
	shCfg := Config{Scheme: SchemeShopify, Secret: "shop-secret"}
	hmCfg := Config{Scheme: SchemeHMAC, Secret: "hm", Header: "X-Sig", Algorithm: "sha512", Encoding: "base64", Prefix: "sha512="}
	key := func(c Config) []byte { return []byte(c.Secret) }
	swKeyBytes, _ := swKey(swSecret)
	body := []byte(jsonIndented)
	changeByte := func(r *Request) { r.Body = bytes.Clone(r.Body); r.Body[5] ^= 0x01 }

	tests := map[string]negCase{
		// --- hub-sha256-base64 ---
		"hub/body-byte-changed": {cfg: hubCfg, req: mutate(hubCfg, jsonIndented, t0, changeByte), status: Invalid},
		"hub/wrong-secret": {cfg: hubCfg, status: Invalid,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, []byte("other"), body)))},
		"hub/base64-of-the-hex-digest": {cfg: hubCfg, status: Invalid,
			hint: "base64 of the digest's hex text",
			req:  withHeader(jsonIndented, "X-Hub-Signature-256", base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(macOf(sha256.New, []byte("test_key"), body)))))},
		"hub/previous-secret": {cfg: Config{Scheme: SchemeHubSHA256Base64, Secret: "test_key", PreviousSecrets: []string{"older", "other"}}, status: Invalid,
			hint: "previous secret of this project (#2)",
			req:  withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, []byte("other"), body)))},
		"hub/missing-header": {cfg: hubCfg, status: MissingHeader,
			req: func(*testing.T) Request { return Request{Header: http.Header{}, Body: body} }},
		"hub/garbage-header": {cfg: hubCfg, status: MalformedHeader,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "not a signature!")},
		"hub/hex-instead-of-base64": {cfg: hubCfg, status: Invalid, hint: "hex-encoded where this scheme expects base64",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", hex.EncodeToString(macOf(sha256.New, key(hubCfg), body)))},
		"hub/github-format": {cfg: hubCfg, status: Invalid, hint: `"sha256=" prefix`,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256="+hex.EncodeToString(macOf(sha256.New, key(hubCfg), body)))},
		"hub/trailing-newline-added": {cfg: hubCfg, status: Invalid, hint: "trailing newline added",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), append(bytes.Clone(body), '\n'))))},
		"hub/trailing-newline-removed": {cfg: hubCfg, status: Invalid, hint: "without its trailing newline",
			req: withHeader(jsonIndented+"\n", "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), body)))},
		"hub/signed-compact-sent-indented": {cfg: hubCfg, status: Invalid, hint: "compact JSON",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), []byte(jsonCompact))))},
		"hub/signed-indented-sent-compact": {cfg: hubCfg, status: Invalid, hint: "2-space-indented JSON",
			req: withHeader(jsonCompact, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), body)))},
		"hub/signed-4-space": {cfg: hubCfg, status: Invalid, hint: "4-space-indented JSON",
			req: withHeader(jsonCompact, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), []byte(strings.ReplaceAll(jsonIndented, "  ", "    ")))))},
		"hub/signed-python-dumps": {cfg: hubCfg, status: Invalid, hint: "json.dumps",
			req: withHeader(jsonCompact, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), []byte(`{"event": "order.created", "data": {"id": 42, "note": "a+b & c"}}`))))},
		"hub/signed-query-string": {cfg: hubCfg, status: Invalid, hint: "query string instead of the body",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), []byte("src=test"))))},
		"hub/signed-url": {cfg: hubCfg, status: Invalid, hint: "URL instead of the body",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", b64(macOf(sha256.New, key(hubCfg), []byte("https://hooks.example.com/in/x?src=test"))))},
		"hub/no-secret": {cfg: Config{Scheme: SchemeHubSHA256Base64}, status: NoSecret,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "xDIo1V+MXrch+M11WZF1TTbBc5FWQSOyBNpkLxMR27k=")},

		// --- github ---
		"github/body-byte-changed": {cfg: ghCfg, req: mutate(ghCfg, jsonIndented, t0, changeByte), status: Invalid},
		"github/sha1-in-256-header": {cfg: ghCfg, status: Invalid, hint: "sender used HMAC-SHA-1",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256="+hex.EncodeToString(macOf(sha1.New, key(ghCfg), body)))},
		"github/sha512": {cfg: ghCfg, status: Invalid, hint: "HMAC-SHA-512",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256="+hex.EncodeToString(macOf(sha512.New, key(ghCfg), body)))},
		"github/base64-instead-of-hex": {cfg: ghCfg, status: Invalid, hint: "base64-encoded where this scheme expects hex",
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256="+b64(macOf(sha256.New, key(ghCfg), body)))},
		"github/missing-prefix": {cfg: ghCfg, status: Invalid, hint: `lacks the "sha256=" prefix`,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", hex.EncodeToString(macOf(sha256.New, key(ghCfg), body)))},
		"github/wrong-secret": {cfg: ghCfg, status: Invalid,
			req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256="+hex.EncodeToString(macOf(sha256.New, []byte("nope"), body)))},
		"github/garbage": {cfg: ghCfg, status: MalformedHeader, req: withHeader(jsonIndented, "X-Hub-Signature-256", "sha256=zzzz")},
		"github/missing": {cfg: ghCfg, status: MissingHeader, req: withHeader(jsonIndented, "X-Other", "1")},

		// --- standard-webhooks ---
		"sw/body-byte-changed": {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0, changeByte), status: Invalid},
		"sw/wrong-secret": {cfg: swCfg, status: Invalid,
			req: mutate(Config{Scheme: SchemeStandardWebhooks, Secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, jsonIndented, t0, func(*Request) {})},
		"sw/literal-whsec-secret": {cfg: swCfg, status: Invalid, hint: "signed with the whole whsec_ string instead of its base64-decoded bytes",
			req: func(*testing.T) Request {
				return Request{Body: body, Header: hdr("webhook-id", "msg_1", "webhook-timestamp", "1700000000",
					"webhook-signature", "v1,"+b64(macOf(sha256.New, []byte(swSecret), joinBytes("msg_1.1700000000.", body))))}
			}},
		"sw/hex-encoded": {cfg: swCfg, status: Invalid, hint: "hex-encoded where this scheme expects base64",
			req: func(*testing.T) Request {
				return Request{Body: body, Header: hdr("webhook-id", "msg_1", "webhook-timestamp", "1700000000",
					"webhook-signature", "v1,"+hex.EncodeToString(macOf(sha256.New, swKeyBytes, joinBytes("msg_1.1700000000.", body))))}
			}},
		"sw/body-alone": {cfg: swCfg, status: Invalid, hint: `left out the "id.timestamp." part`,
			req: func(*testing.T) Request {
				return Request{Body: body, Header: hdr("webhook-id", "msg_1", "webhook-timestamp", "1700000000",
					"webhook-signature", "v1,"+b64(macOf(sha256.New, swKeyBytes, body)))}
			}},
		"sw/expired":  {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0.Add(-6*time.Minute), func(*Request) {}), status: TimestampOutOfTolerance, reason: "signature itself matches"},
		"sw/future":   {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0.Add(6*time.Minute), func(*Request) {}), status: TimestampOutOfTolerance},
		"sw/edge-ok":  {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0.Add(-5*time.Minute), func(*Request) {}), status: Valid},
		"sw/missing":  {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0, func(r *Request) { r.Header.Del("webhook-id") }), status: MissingHeader, reason: "webhook-id"},
		"sw/garbage":  {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0, func(r *Request) { r.Header.Set("webhook-signature", "garbage") }), status: MalformedHeader},
		"sw/bad-ts":   {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0, func(r *Request) { r.Header.Set("webhook-timestamp", "soon") }), status: MalformedHeader},
		"sw/only-v1a": {cfg: swCfg, req: mutate(swCfg, jsonIndented, t0, func(r *Request) { r.Header.Set("webhook-signature", "v1a,AAAA v2,BBBB") }), status: Invalid, reason: "no v1 signature"},
		"sw/list-with-v1a-and-unknown": {cfg: swCfg, status: Valid, req: mutate(swCfg, jsonIndented, t0, func(r *Request) {
			r.Header.Set("webhook-signature", "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= xyz,123 "+r.Header.Get("webhook-signature"))
		})},
		"sw/svix-read-first": {cfg: swCfg, status: Valid, req: mutate(swCfg, jsonIndented, t0, func(r *Request) {
			for _, k := range []string{"id", "timestamp", "signature"} {
				r.Header.Set("svix-"+k, r.Header.Get("webhook-"+k))
			}
			r.Header.Set("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")
		})},

		// --- stripe ---
		"stripe/body-byte-changed": {cfg: stCfg, req: mutate(stCfg, jsonIndented, t0, changeByte), status: Invalid},
		"stripe/decoded-secret": {cfg: stCfg, status: Invalid, hint: "the sender used the decoded bytes of the whsec_ secret",
			req: withHeader(jsonIndented, "Stripe-Signature", "t=1700000000,v1="+hex.EncodeToString(macOf(sha256.New, swKeyBytes, joinBytes("1700000000.", body))))},
		"stripe/several-v1-v0-bad-hex": {cfg: stCfg, status: Valid, reason: "One of the 3 v1 signatures", req: mutate(stCfg, jsonIndented, t0, func(r *Request) {
			r.Header.Set("Stripe-Signature", r.Header.Get("Stripe-Signature")+",v1=bad_signature,v1="+strings.Repeat("ab", 32)+",v0="+strings.Repeat("cd", 32))
		})},
		"stripe/rolled-secret-both-v1": {cfg: stCfg, status: Valid, req: mutate(Config{Scheme: SchemeStripe, Secret: "whsec_new"}, jsonIndented, t0, func(r *Request) {
			r.Header.Set("Stripe-Signature", r.Header.Get("Stripe-Signature")+",v1="+hex.EncodeToString(macOf(sha256.New, []byte(swSecret), joinBytes("1700000000.", body))))
		})},
		"stripe/expired":             {cfg: stCfg, req: mutate(stCfg, jsonIndented, t0.Add(-301*time.Second), func(*Request) {}), status: TimestampOutOfTolerance},
		"stripe/future-not-rejected": {cfg: stCfg, req: mutate(stCfg, jsonIndented, t0.Add(time.Hour), func(*Request) {}), status: Valid, reason: "1h0m0s ahead of the receive time, which Stripe's libraries accept"},
		"stripe/milliseconds": {cfg: stCfg, status: Valid, hint: "looks like milliseconds", req: func(t *testing.T) Request {
			ms := strconv.FormatInt(t0.UnixMilli(), 10)
			sig := encode("hex", mac("sha256", []byte(swSecret), joinBytes(ms, ".", []byte(jsonIndented))))
			return withHeader(jsonIndented, "Stripe-Signature", "t="+ms+",v1="+sig)(t)
		}},
		"stripe/missing":      {cfg: stCfg, req: withHeader(jsonIndented, "X-Other", "1"), status: MissingHeader},
		"stripe/garbage":      {cfg: stCfg, req: withHeader(jsonIndented, "Stripe-Signature", "garbage"), status: MalformedHeader},
		"stripe/bad-t":        {cfg: stCfg, req: withHeader(jsonIndented, "Stripe-Signature", "t=soon,v1=00"), status: MalformedHeader},
		"stripe/no-t":         {cfg: stCfg, req: withHeader(jsonIndented, "Stripe-Signature", "v1="+strings.Repeat("ab", 32)), status: MalformedHeader},
		"stripe/v1-not-a-mac": {cfg: stCfg, req: withHeader(jsonIndented, "Stripe-Signature", "t=1700000000,v1=00"), status: Invalid, reason: "None of the v1"},
		"stripe/only-v0":      {cfg: stCfg, req: withHeader(jsonIndented, "Stripe-Signature", "t=1700000000,v0="+strings.Repeat("ab", 32)), status: Invalid, reason: "no v1"},
		"stripe/base64-instead-of-hex": {cfg: stCfg, status: Invalid, hint: "base64-encoded where this scheme expects hex",
			req: withHeader(jsonIndented, "Stripe-Signature", "t=1700000000,v1="+b64(macOf(sha256.New, []byte(swSecret), joinBytes("1700000000.", body))))},
		"stripe/previous-secret": {cfg: Config{Scheme: SchemeStripe, Secret: swSecret, PreviousSecrets: []string{"whsec_old"}}, status: Invalid,
			hint: "previous secret of this project (#1)",
			req:  mutate(Config{Scheme: SchemeStripe, Secret: "whsec_old"}, jsonIndented, t0, func(*Request) {})},

		// --- slack ---
		"slack/body-byte-changed": {cfg: slCfg, req: mutate(slCfg, slackBody, t0, changeByte), status: Invalid},
		"slack/wrong-secret":      {cfg: slCfg, req: mutate(Config{Scheme: SchemeSlack, Secret: "other"}, slackBody, t0, func(*Request) {}), status: Invalid},
		"slack/expired":           {cfg: slCfg, req: mutate(slCfg, slackBody, t0.Add(-10*time.Minute), func(*Request) {}), status: TimestampOutOfTolerance},
		"slack/future":            {cfg: slCfg, req: mutate(slCfg, slackBody, t0.Add(10*time.Minute), func(*Request) {}), status: TimestampOutOfTolerance},
		"slack/missing-ts":        {cfg: slCfg, req: mutate(slCfg, slackBody, t0, func(r *Request) { r.Header.Del(hdrSlackTS) }), status: MissingHeader, reason: hdrSlackTS},
		"slack/garbage":           {cfg: slCfg, req: mutate(slCfg, slackBody, t0, func(r *Request) { r.Header.Set(hdrSlackSig, "v0=nope") }), status: MalformedHeader},
		"slack/base64": {cfg: slCfg, status: Invalid, hint: "base64-encoded where this scheme expects hex",
			req: mutate(slCfg, slackBody, t0, func(r *Request) {
				r.Header.Set(hdrSlackSig, "v0="+b64(macOf(sha256.New, []byte("slack-secret"), joinBytes("v0:1700000000:", slackBody))))
			})},

		// --- shopify ---
		"shopify/body-byte-changed": {cfg: shCfg, req: mutate(shCfg, jsonCompact, t0, changeByte), status: Invalid},
		"shopify/hex": {cfg: shCfg, status: Invalid, hint: "hex-encoded where this scheme expects base64",
			req: withHeader(jsonCompact, hdrShopify, hex.EncodeToString(macOf(sha256.New, []byte("shop-secret"), []byte(jsonCompact))))},
		"shopify/wrong-secret": {cfg: shCfg, req: mutate(Config{Scheme: SchemeShopify, Secret: "x"}, jsonCompact, t0, func(*Request) {}), status: Invalid},
		"shopify/missing":      {cfg: shCfg, req: withHeader(jsonCompact, "X-Other", "1"), status: MissingHeader},
		"shopify/garbage":      {cfg: shCfg, req: withHeader(jsonCompact, hdrShopify, "%%%"), status: MalformedHeader},

		// --- generic hmac ---
		"hmac/body-byte-changed": {cfg: hmCfg, req: mutate(hmCfg, jsonCompact, t0, changeByte), status: Invalid},
		"hmac/sha256-instead-of-sha512": {cfg: hmCfg, status: Invalid, hint: "sender used HMAC-SHA-256",
			req: withHeader(jsonCompact, "X-Sig", "sha512="+b64(macOf(sha256.New, []byte("hm"), []byte(jsonCompact))))},
		"hmac/hex-no-prefix": {cfg: hmCfg, status: Invalid, hint: `hex-encoded where this scheme expects base64, and it lacks the "sha512=" prefix`,
			req: withHeader(jsonCompact, "X-Sig", hex.EncodeToString(macOf(sha512.New, []byte("hm"), []byte(jsonCompact))))},
		"hmac/missing":    {cfg: hmCfg, req: withHeader(jsonCompact, "X-Signature", "x"), status: MissingHeader},
		"hmac/garbage":    {cfg: hmCfg, req: withHeader(jsonCompact, "X-Sig", "sha512=?"), status: MalformedHeader},
		"hmac/bad-config": {cfg: Config{Scheme: SchemeHMAC, Secret: "x", Algorithm: "md5"}, req: withHeader(jsonCompact, "X-Signature", "x"), status: Invalid, reason: "misconfigured"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = t0
			}
			res := Verify(tc.req(t), tc.cfg, now)
			if res.Status != tc.status {
				t.Fatalf("status = %s, want %s (reason: %s; hint: %s)", res.Status, tc.status, res.Reason, res.Hint)
			}
			if tc.hint == "" && res.Hint != "" && res.Status != Valid {
				t.Errorf("unexpected hint %q", res.Hint)
			}
			if !strings.Contains(res.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", res.Hint, tc.hint)
			}
			if !strings.Contains(res.Reason, tc.reason) {
				t.Errorf("reason %q does not contain %q", res.Reason, tc.reason)
			}
			if res.Status == TimestampOutOfTolerance && !res.HasSkew {
				t.Error("timestamp_out_of_tolerance without skew")
			}
			if tc.cfg.Secret != "" && (strings.Contains(res.Reason, tc.cfg.Secret) || strings.Contains(res.Hint, tc.cfg.Secret)) {
				t.Error("secret leaked into Reason or Hint")
			}
		})
	}
}

func TestExpiredSkew(t *testing.T) {
	cfg := Config{Scheme: SchemeStripe, Secret: swSecret}
	r := signed(t, cfg, "{}", t0)
	res := Verify(r, cfg, t0.Add(6*time.Minute))
	if res.Status != TimestampOutOfTolerance || res.Skew != 6*time.Minute || !strings.Contains(res.Reason, "6m0s") {
		t.Fatalf("%+v", res)
	}
}

func TestNoSecretFillsReceived(t *testing.T) {
	for _, s := range Schemes() {
		t.Run(s.Name, func(t *testing.T) {
			cfg := roundTripConfig(s.Name)
			r := signed(t, cfg, "{}", t0)
			cfg.Secret = ""
			res := Verify(r, cfg, t0)
			if res.Status != NoSecret || res.Received == "" {
				t.Fatalf("%s, received %q", res.Status, res.Received)
			}
		})
	}
}

func TestUnsignedAndUnknown(t *testing.T) {
	res := Verify(Request{Header: hdr("Content-Type", "application/json")}, Config{Secret: "x"}, t0)
	if res.Status != Unsigned || res.Detected {
		t.Fatalf("unsigned: %+v", res)
	}
	if res := Verify(Request{}, Config{Scheme: "nope"}, t0); res.Status != Invalid {
		t.Fatalf("unknown scheme: %+v", res)
	}
}

func TestDetect(t *testing.T) {
	tests := map[string]struct {
		h    http.Header
		want string
	}{
		"none":                 {hdr("Content-Type", "application/json"), ""},
		"authorization-only":   {hdr("Authorization", "Bearer x"), ""},
		"github-sha256":        {hdr("X-Hub-Signature-256", "sha256=abcd"), SchemeGitHub},
		"github-sha256-upper":  {hdr("X-Hub-Signature-256", "SHA256=ABCD"), SchemeGitHub},
		"github-legacy-only":   {hdr("X-Hub-Signature", "sha1=abcd"), SchemeGitHub},
		"hub-base64":           {hdr("X-Hub-Signature-256", "xDIo1V+MXrch+M11WZF1TTbBc5FWQSOyBNpkLxMR27k="), SchemeHubSHA256Base64},
		"standard-webhooks":    {hdr("webhook-id", "1", "webhook-timestamp", "1", "webhook-signature", "v1,x"), SchemeStandardWebhooks},
		"svix":                 {hdr("svix-id", "1", "svix-timestamp", "1", "svix-signature", "v1,x"), SchemeStandardWebhooks},
		"stripe":               {hdr("Stripe-Signature", "t=1,v1=00"), SchemeStripe},
		"slack":                {hdr("X-Slack-Signature", "v0=00", "X-Slack-Request-Timestamp", "1"), SchemeSlack},
		"shopify":              {hdr("X-Shopify-Hmac-Sha256", "abc="), SchemeShopify},
		"shopify-odd-case":     {http.Header{"x-shopify-hmac-sha256": nil, "X-Shopify-Hmac-Sha256": {"x"}}, SchemeShopify},
		"twilio":               {hdr("X-Twilio-Signature", "abc="), SchemeTwilio},
		"stripe-beats-hub":     {hdr("Stripe-Signature", "t=1", "X-Hub-Signature-256", "sha256=00"), SchemeStripe},
		"webhook-id-alone-not": {hdr("webhook-id", "1"), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Detect(tc.h); got != tc.want {
				t.Fatalf("Detect = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSchemesStable(t *testing.T) {
	want := []string{SchemeHubSHA256Base64, SchemeGitHub, SchemeStandardWebhooks, SchemeStripe, SchemeSlack, SchemeShopify, SchemeTwilio, SchemeHMAC, SchemeHeaderToken}
	got := Schemes()
	if len(got) != len(want) {
		t.Fatalf("%d schemes", len(got))
	}
	for i, s := range got {
		if s.Name != want[i] || s.Title == "" {
			t.Errorf("#%d = %+v, want name %s", i, s, want[i])
		}
		if s.Timestamped != (s.Name == SchemeStandardWebhooks || s.Name == SchemeStripe || s.Name == SchemeSlack) {
			t.Errorf("%s: Timestamped = %v", s.Name, s.Timestamped)
		}
	}
	got[0].Name = "mutated"
	if Schemes()[0].Name != SchemeHubSHA256Base64 {
		t.Error("Schemes returns shared state")
	}
}

func TestSignedContentStart(t *testing.T) {
	cfg := Config{Scheme: SchemeStandardWebhooks, Secret: swSecret}
	r := signed(t, cfg, "{\"a\":\"\x00\xff\"}\n"+strings.Repeat("x", 300), t0)
	res := Verify(r, cfg, t0)
	id := r.Header.Get("webhook-id")
	if res.SignedContentLen != len(id)+len(".1700000000.")+len(r.Body) {
		t.Errorf("SignedContentLen = %d", res.SignedContentLen)
	}
	want := id + `.1700000000.{"a":"\x00\xff"}\n`
	if !strings.HasPrefix(res.SignedContentStart, want) || !strings.HasSuffix(res.SignedContentStart, "…") {
		t.Errorf("SignedContentStart = %q", res.SignedContentStart)
	}
}
