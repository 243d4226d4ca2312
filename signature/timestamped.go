package signature

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file holds the schemes that sign a timestamp with the body to bound
// replays: Standard Webhooks (Svix), Stripe and Slack.

const (
	hdrStripe    = "Stripe-Signature"
	hdrSlackSig  = "X-Slack-Signature"
	hdrSlackTS   = "X-Slack-Request-Timestamp"
	whsecPrefix  = "whsec_"
	swToleranceS = "±5 min"
)

func parseUnix(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}

// skewOf is now minus ts, saturated instead of overflowing for absurd
// timestamps (which a fuzzer or a hostile sender will supply).
func skewOf(now time.Time, ts int64) time.Duration {
	const maxSec = math.MaxInt64/int64(time.Second) - 1
	n := now.Unix()
	switch {
	case ts <= n-maxSec:
		return math.MaxInt64
	case ts >= n+maxSec:
		return -math.MaxInt64
	}
	return time.Duration(n-ts)*time.Second + time.Duration(now.Nanosecond())
}

// SkewText says how far a signed timestamp is from the receive time, for
// people: rounded to the second, in days beyond two, "ahead" for the future.
func SkewText(d time.Duration) string { return roundSkew(d) }

func roundSkew(d time.Duration) string {
	if d < 0 {
		return roundSkew(-d) + " ahead"
	}
	switch {
	case d > 100*365*24*time.Hour:
		return "more than a century"
	case d > 48*time.Hour:
		return fmt.Sprintf("%d days", int64(d/(24*time.Hour)))
	}
	return d.Round(time.Second).String()
}

// --- Standard Webhooks / Svix ---

// swHeaders reads each header svix-* first, as Svix's libraries do, then
// webhook-*, and remembers which name it used for sentences.
type swHeaders struct {
	id, ts, sig             string
	idName, tsName, sigName string
	hasID, hasTS, hasSig    bool
}

func readSW(h http.Header) swHeaders {
	var s swHeaders
	get := func(suffix string) (string, string, bool) {
		if v, ok := header(h, "Svix-"+suffix); ok {
			return v, "svix-" + strings.ToLower(suffix), true
		}
		v, ok := header(h, "Webhook-"+suffix)
		return v, "webhook-" + strings.ToLower(suffix), ok
	}
	s.id, s.idName, s.hasID = get("Id")
	s.ts, s.tsName, s.hasTS = get("Timestamp")
	s.sig, s.sigName, s.hasSig = get("Signature")
	return s
}

func swKey(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, whsecPrefix))
	if err != nil {
		return nil, errors.New("the secret is not base64 after its whsec_ prefix")
	}
	return k, nil
}

func verifyStandardWebhooks(r Request, c Config, now time.Time, res *Result) {
	h := readSW(r.Header)
	res.Received = h.sig
	if c.Secret == "" {
		noSecret(res, h.sigName, h.hasSig)
		return
	}
	var absent []string
	for _, x := range []struct {
		name string
		ok   bool
	}{{h.idName, h.hasID}, {h.tsName, h.hasTS}, {h.sigName, h.hasSig}} {
		if !x.ok {
			absent = append(absent, x.name)
		}
	}
	if len(absent) > 0 {
		missing(res, absent...)
		return
	}
	ts, ok := parseUnix(h.ts)
	if !ok {
		res.Status = MalformedHeader
		res.Reason = fmt.Sprintf("%s is not a Unix timestamp in seconds.", h.tsName)
		return
	}
	res.Skew, res.HasSkew = skewOf(now, ts), true

	var v1, loose, others []string
	for _, e := range strings.Fields(h.sig) {
		ver, val, ok := strings.Cut(e, ",")
		switch {
		case !ok:
			loose = append(loose, e)
		case ver == "v1":
			v1 = append(v1, val)
		default:
			others = append(others, ver)
		}
	}
	if len(v1) == 0 && len(others) > 0 {
		res.Status = Invalid
		res.Reason = fmt.Sprintf("%s carries no v1 signature (only %s), and only v1 (HMAC-SHA256) is supported.", h.sigName, strings.Join(others, ", "))
		return
	}
	id, tsRaw := h.id, h.ts
	spec := &macSpec{
		alg: "sha256", enc: "base64", header: h.sigName, what: "id.timestamp.body",
		key:       swKey,
		content:   func(b []byte) []byte { return joinBytes(id, ".", tsRaw, ".", b) },
		sigs:      v1,
		looseSigs: loose,
		keyTrials: func(secret string) []trial {
			var out []trial
			c := joinBytes(id, ".", tsRaw, ".", r.Body)
			out = append(out, trial{"It would match if the secret were used undecoded — the sender signed with the whole whsec_ string instead of its base64-decoded bytes.", "sha256", []byte(secret), c})
			if strings.HasPrefix(secret, whsecPrefix) {
				out = append(out, trial{"It would match if the secret were used undecoded — the sender signed with the base64 text after whsec_ instead of the bytes it decodes to.", "sha256", []byte(strings.TrimPrefix(secret, whsecPrefix)), c})
			}
			return out
		},
		bodyAlone: "It would match a signature of the body alone — the sender left out the \"id.timestamp.\" part of the signed content.",
	}
	if len(v1) == 0 && spec.shapeless() {
		res.Status = MalformedHeader
		res.Reason = fmt.Sprintf("%s holds no \"v1,<base64>\" entry.", h.sigName)
		return
	}
	outside := res.Skew > tolerance || res.Skew < -tolerance
	spec.finishTimestamped(res, r, c, outside, swToleranceS)
	if res.Status == Valid && len(v1) > 1 {
		res.Reason = fmt.Sprintf("One of the %d v1 signatures in %s matches HMAC-SHA256 of id.timestamp.body and the timestamp is within ±5 min.", len(v1), h.sigName)
	}
}

func signStandardWebhooks(r *Request, c Config, now time.Time) error {
	key, err := swKey(c.Secret)
	if err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	id, err := newMessageID()
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	sig := "v1," + encode("base64", mac("sha256", key, joinBytes(id, ".", ts, ".", r.Body)))
	// Keep the header family the request already uses (svix-* on a replayed
	// Svix delivery); both when it carries both, so that neither goes stale.
	hasSvix := len(r.Header.Values("Svix-Signature")) > 0 || len(r.Header.Values("Svix-Id")) > 0
	hasStd := len(r.Header.Values("Webhook-Signature")) > 0 || len(r.Header.Values("Webhook-Id")) > 0
	families := []string{"Webhook-"}
	switch {
	case hasSvix && hasStd:
		families = []string{"Svix-", "Webhook-"}
	case hasSvix:
		families = []string{"Svix-"}
	}
	for _, f := range families {
		r.Header.Set(f+"Id", id)
		r.Header.Set(f+"Timestamp", ts)
		r.Header.Set(f+"Signature", sig)
	}
	return nil
}

func newMessageID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("signature: %w", err)
	}
	return "msg_" + hex.EncodeToString(b), nil
}

func joinBytes(parts ...any) []byte {
	var out []byte
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			out = append(out, v...)
		case []byte:
			out = append(out, v...)
		}
	}
	return out
}

// --- Stripe ---

type stripeHeader struct {
	t      string
	v1     []string
	hasV0  bool
	parsed bool
}

// parseStripeHeader follows stripe-go: every comma-separated item must be
// key=value and t must be an integer; v1 values are kept as text so that
// ones that are not hex can be skipped (and diagnosed) later.
func parseStripeHeader(v string) (stripeHeader, string) {
	var sh stripeHeader
	for _, item := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return sh, fmt.Sprintf("the item %q is not key=value", printable([]byte(item), 40))
		}
		switch k {
		case "t":
			if _, ok := parseUnix(val); !ok {
				return sh, "its t= is not a Unix timestamp"
			}
			sh.t = strings.TrimSpace(val)
		case "v1":
			sh.v1 = append(sh.v1, val)
		case "v0":
			sh.hasV0 = true
		}
	}
	if sh.t == "" {
		return sh, "it has no t= timestamp"
	}
	sh.parsed = true
	return sh, ""
}

func stripeDecodedKey(secret string) ([]byte, bool) {
	if !strings.HasPrefix(secret, whsecPrefix) {
		return nil, false
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, whsecPrefix))
	return k, err == nil && len(k) > 0
}

func verifyStripe(r Request, c Config, now time.Time, res *Result) {
	v, ok := header(r.Header, hdrStripe)
	if !canCheck(res, c, hdrStripe, v, ok) {
		return
	}
	sh, why := parseStripeHeader(v)
	if !sh.parsed {
		res.Status = MalformedHeader
		res.Reason = fmt.Sprintf("Stripe-Signature cannot be parsed: %s.", why)
		return
	}
	ts, _ := parseUnix(sh.t)
	res.Skew, res.HasSkew = skewOf(now, ts), true
	if len(sh.v1) == 0 {
		res.Status = Invalid
		res.Reason = "Stripe-Signature carries no v1 signature (v0 and other schemes are ignored, as Stripe's libraries do)."
		return
	}
	t := sh.t
	spec := &macSpec{
		alg: "sha256", enc: "hex", header: hdrStripe, what: "t.body",
		key:     rawKey,
		content: func(b []byte) []byte { return joinBytes(t, ".", b) },
		sigs:    sh.v1,
		keyTrials: func(secret string) []trial {
			c := joinBytes(t, ".", r.Body)
			var out []trial
			if k, ok := stripeDecodedKey(secret); ok {
				out = append(out, trial{"It would match if the secret were base64-decoded — the sender used the decoded bytes of the whsec_ secret, but Stripe signs with the whole whsec_ string as text.", "sha256", k, c})
			}
			if strings.HasPrefix(secret, whsecPrefix) {
				out = append(out, trial{"It would match the secret without its whsec_ prefix — Stripe signs with the whole whsec_ string, prefix included.", "sha256", []byte(strings.TrimPrefix(secret, whsecPrefix)), c})
			}
			return out
		},
		bodyAlone: "It would match a signature of the body alone — the sender left out the \"t.\" part of the signed content.",
	}
	if spec.shapeless() {
		// stripe-go skips v1 values that are not hex; with none left there
		// is simply no valid signature, not an unreadable header.
		res.Status = Invalid
		res.Reason = "None of the v1 signatures in Stripe-Signature is a hex-encoded HMAC-SHA256."
		return
	}
	// stripe-go does not reject timestamps in the future, only old ones.
	outside := res.Skew > tolerance
	spec.finishTimestamped(res, r, c, outside, "5 min")
	if res.Computed != "" {
		res.Computed = "v1=" + res.Computed
	}
	if res.Status == Valid && len(sh.v1) > 1 {
		res.Reason = fmt.Sprintf("One of the %d v1 signatures in Stripe-Signature matches HMAC-SHA256 of t.body and the timestamp is within 5 min.", len(sh.v1))
	}
}

func signStripe(r *Request, c Config, now time.Time) error {
	t := strconv.FormatInt(now.Unix(), 10)
	sig := encode("hex", mac("sha256", []byte(c.Secret), joinBytes(t, ".", r.Body)))
	r.Header.Set(hdrStripe, "t="+t+",v1="+sig)
	return nil
}

// --- Slack ---

func verifySlack(r Request, c Config, now time.Time, res *Result) {
	sig, okSig := header(r.Header, hdrSlackSig)
	tsRaw, okTS := header(r.Header, hdrSlackTS)
	res.Received = sig
	if c.Secret == "" {
		noSecret(res, hdrSlackSig, okSig)
		return
	}
	var absent []string
	if !okSig {
		absent = append(absent, hdrSlackSig)
	}
	if !okTS {
		absent = append(absent, hdrSlackTS)
	}
	if len(absent) > 0 {
		missing(res, absent...)
		return
	}
	ts, ok := parseUnix(tsRaw)
	if !ok {
		res.Status = MalformedHeader
		res.Reason = "X-Slack-Request-Timestamp is not a Unix timestamp in seconds."
		return
	}
	res.Skew, res.HasSkew = skewOf(now, ts), true
	spec := &macSpec{
		alg: "sha256", enc: "hex", prefix: "v0=", header: hdrSlackSig, what: "v0:timestamp:body",
		key:       rawKey,
		content:   func(b []byte) []byte { return joinBytes("v0:", tsRaw, ":", b) },
		sigs:      []string{sig},
		bodyAlone: "It would match a signature of the body alone — the sender left out the \"v0:timestamp:\" part of the signed content.",
	}
	outside := res.Skew > tolerance || res.Skew < -tolerance
	spec.finishTimestamped(res, r, c, outside, "±5 min")
}

func signSlack(r *Request, c Config, now time.Time) error {
	ts := strconv.FormatInt(now.Unix(), 10)
	r.Header.Set(hdrSlackTS, ts)
	r.Header.Set(hdrSlackSig, "v0="+encode("hex", mac("sha256", []byte(c.Secret), joinBytes("v0:", ts, ":", r.Body))))
	return nil
}
