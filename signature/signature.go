// Package signature verifies, diagnoses and produces webhook signatures for
// the schemes webhook senders commonly use (GitHub, Standard Webhooks/Svix,
// Stripe, Slack, Shopify, Twilio, a generic HMAC and a constant header token).
//
// It works on the raw request as received — body bytes are never
// re-serialized — and, when a signature does not match, tries the usual
// mistakes (wrong encoding, undecoded secret, re-serialized JSON, rotated
// secret, …) to tell the developer which one the sender made.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Request is an HTTP request as the sender sent it.
type Request struct {
	Method string
	// URL is the full URL the sender used, e.g. http://127.0.0.1:8787/shop/x?a=1.
	// Twilio signs it, so it must not be reduced to the path.
	URL    string
	Header http.Header
	// Body holds the raw bytes as received; signatures cover exactly these.
	Body []byte
}

// Config says how a request is expected to be signed.
type Config struct {
	// Scheme is one of the names listed by Schemes; "" means detect it from the headers.
	Scheme string
	Secret string
	// PreviousSecrets are older secrets of the project; they never make a
	// request valid, they only feed the diagnosis hint.
	PreviousSecrets []string

	// Header is the signature header of the generic "hmac" scheme (default
	// X-Signature) and the token header of "header-token" (default Authorization).
	Header string
	// Algorithm is sha1, sha256 (default) or sha512, for the "hmac" scheme.
	Algorithm string
	// Encoding is hex (default) or base64, for the "hmac" scheme.
	Encoding string
	// Prefix precedes the encoded MAC in the header, e.g. "sha256=", for the "hmac" scheme.
	Prefix string

	// PublicBaseURL is the public base URL the sender signed (Twilio behind a
	// tunnel); it replaces scheme://host of Request.URL.
	PublicBaseURL string
}

// Status is the outcome of a verification.
type Status string

// Verification outcomes.
const (
	Valid                   Status = "valid"
	Invalid                 Status = "invalid"
	MissingHeader           Status = "missing_header"
	MalformedHeader         Status = "malformed_header"
	TimestampOutOfTolerance Status = "timestamp_out_of_tolerance"
	NoSecret                Status = "no_secret"
	Unsigned                Status = "unsigned"
)

// Scheme names accepted in Config.Scheme.
const (
	SchemeHubSHA256Base64  = "hub-sha256-base64"
	SchemeGitHub           = "github"
	SchemeStandardWebhooks = "standard-webhooks"
	SchemeStripe           = "stripe"
	SchemeSlack            = "slack"
	SchemeShopify          = "shopify"
	SchemeTwilio           = "twilio"
	SchemeHMAC             = "hmac"
	SchemeHeaderToken      = "header-token"
)

// Result is the outcome of Verify with everything a developer needs to see
// why a signature does or does not match. It never contains a secret.
type Result struct {
	Scheme   string
	Detected bool // the scheme came from Detect, not from the config
	Status   Status
	// Reason is one human sentence: what was checked and what failed.
	Reason string
	// Received is the signature as received (masked for header-token).
	Received string
	// Computed is what we computed, in the format the header should carry.
	Computed string

	SignedContentLen int
	// SignedContentStart is the first ~200 bytes of the signed content with
	// non-printable bytes escaped.
	SignedContentStart string

	// Skew is now minus the signed timestamp, for timestamped schemes.
	Skew    time.Duration
	HasSkew bool

	// Hint names the first usual mistake that reproduces the received
	// signature; "" when none did.
	Hint string
}

// Scheme describes a supported signature scheme for pickers.
type Scheme struct {
	Name        string
	Title       string
	Timestamped bool
}

// tolerance is the replay window every timestamped scheme here documents.
const tolerance = 5 * time.Minute

type schemeImpl struct {
	info   Scheme
	verify func(r Request, c Config, now time.Time, res *Result)
	sign   func(r *Request, c Config, now time.Time) error
}

var registry = []schemeImpl{
	{Scheme{SchemeHubSHA256Base64, "X-Hub-Signature-256, base64 without prefix", false}, verifyHubBase64, signHubBase64},
	{Scheme{SchemeGitHub, "GitHub (X-Hub-Signature-256: sha256=…)", false}, verifyGitHub, signGitHub},
	{Scheme{SchemeStandardWebhooks, "Standard Webhooks / Svix", true}, verifyStandardWebhooks, signStandardWebhooks},
	{Scheme{SchemeStripe, "Stripe", true}, verifyStripe, signStripe},
	{Scheme{SchemeSlack, "Slack", true}, verifySlack, signSlack},
	{Scheme{SchemeShopify, "Shopify", false}, verifyShopify, signShopify},
	{Scheme{SchemeTwilio, "Twilio", false}, verifyTwilio, signTwilio},
	{Scheme{SchemeHMAC, "Generic HMAC", false}, verifyGenericHMAC, signGenericHMAC},
	{Scheme{SchemeHeaderToken, "Constant header token", false}, verifyHeaderToken, signHeaderToken},
}

func lookup(name string) (schemeImpl, bool) {
	for _, s := range registry {
		if s.info.Name == name {
			return s, true
		}
	}
	return schemeImpl{}, false
}

// Schemes lists the supported schemes in a stable order.
func Schemes() []Scheme {
	out := make([]Scheme, len(registry))
	for i, s := range registry {
		out[i] = s.info
	}
	return out
}

// Detect names the scheme whose signature header h carries, or "" when no
// known signature header is present. The generic "hmac" and "header-token"
// schemes are never detected: their headers say nothing about the scheme.
func Detect(h http.Header) string {
	has := func(name string) bool { return len(h.Values(name)) > 0 }
	switch {
	case has("Stripe-Signature"):
		return SchemeStripe
	case has("Svix-Signature") || has("Webhook-Signature"):
		return SchemeStandardWebhooks
	case has("X-Slack-Signature"):
		return SchemeSlack
	case has("X-Shopify-Hmac-Sha256"):
		return SchemeShopify
	case has("X-Twilio-Signature"):
		return SchemeTwilio
	case has("X-Hub-Signature-256"):
		// Same header, two formats: GitHub prefixes hex with "sha256=",
		// others (Unitary's "Integrating Webhooks") put bare base64 there.
		v := strings.TrimSpace(h.Get("X-Hub-Signature-256"))
		if strings.HasPrefix(strings.ToLower(v), "sha256=") {
			return SchemeGitHub
		}
		return SchemeHubSHA256Base64
	case has("X-Hub-Signature"):
		return SchemeGitHub
	}
	return ""
}

// Verify checks r against c at time now. With c.Scheme empty the scheme is
// detected from the headers.
func Verify(r Request, c Config, now time.Time) Result {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	res := Result{Scheme: c.Scheme}
	if res.Scheme == "" {
		res.Scheme = Detect(r.Header)
		res.Detected = res.Scheme != ""
	}
	if res.Scheme == "" {
		res.Status = Unsigned
		res.Reason = "No signature scheme is configured and the request carries no known signature header."
		return res
	}
	s, ok := lookup(res.Scheme)
	if !ok {
		res.Status = Invalid
		res.Reason = fmt.Sprintf("The configured signature scheme %q is unknown.", res.Scheme)
		return res
	}
	s.verify(r, c, now, &res)
	return res
}

var errNoSecret = errors.New("signature: no secret configured")

// Sign sets the headers of c's scheme on r for r.Body, with a fresh
// timestamp (and message id) taken from now for timestamped schemes. For
// Twilio with a non-form body it also sets the bodySHA256 query parameter of
// r.URL. With c.Scheme empty the scheme is detected from r's headers.
func Sign(r *Request, c Config, now time.Time) error {
	if r == nil {
		return errors.New("signature: nil request")
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	name := c.Scheme
	if name == "" {
		name = Detect(r.Header)
	}
	if name == "" {
		return errors.New("signature: no scheme configured and none detected")
	}
	s, ok := lookup(name)
	if !ok {
		return fmt.Errorf("signature: unknown scheme %q", name)
	}
	if c.Secret == "" {
		return errNoSecret
	}
	return s.sign(r, c, now)
}

// header returns the first value of name and whether the header is present
// at all: an empty header is malformed, an absent one is missing.
func header(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return strings.TrimSpace(vs[0]), true
}

// canCheck records the signature header's value and says whether it can be
// checked: not without a secret, and not when the header is missing.
func canCheck(res *Result, c Config, hdr, value string, present bool) bool {
	res.Received = value
	if c.Secret == "" {
		noSecret(res, hdr, present)
		return false
	}
	if !present {
		missing(res, hdr)
		return false
	}
	return true
}

func noSecret(res *Result, hdr string, present bool) {
	res.Status = NoSecret
	if present {
		res.Reason = fmt.Sprintf("The request carries %s but no secret is configured, so it cannot be checked.", hdr)
	} else {
		res.Reason = fmt.Sprintf("No secret is configured (and the request carries no %s).", hdr)
	}
}

func missing(res *Result, hdrs ...string) {
	res.Status = MissingHeader
	if len(hdrs) == 1 {
		res.Reason = fmt.Sprintf("The request has no %s header although a secret is configured.", hdrs[0])
		return
	}
	res.Reason = fmt.Sprintf("The request lacks the %s headers although a secret is configured.", strings.Join(hdrs, ", "))
}

func setSignedContent(res *Result, content []byte) {
	res.SignedContentLen = len(content)
	res.SignedContentStart = printable(content, 200)
}

// printable renders up to max bytes of b for display, escaping what a
// terminal or label would swallow or garble.
func printable(b []byte, max int) string {
	var sb strings.Builder
	n := 0
	for len(b) > 0 && n < max {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[0])
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r == '\t':
			sb.WriteString(`\t`)
		case unicode.IsPrint(r):
			sb.WriteRune(r)
		case r < utf8.RuneSelf:
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			fmt.Fprintf(&sb, `\u%04x`, r)
		}
		b = b[size:]
		n += size
	}
	if len(b) > 0 {
		sb.WriteString("…")
	}
	return sb.String()
}

// ctEqualString compares through SHA-256 so that neither the content nor the
// length of a secret leaks through timing.
func ctEqualString(a, b string) bool {
	ha := sha256.Sum256([]byte(a))
	hb := sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// mask shows the shape of a credential without any of its characters.
func mask(v string) string {
	if v == "" {
		return ""
	}
	word, rest, ok := strings.Cut(v, " ")
	if ok && rest != "" && authSchemes[strings.ToLower(word)] {
		return word + " " + dots(rest)
	}
	return dots(v)
}

// authSchemes are the Authorization schemes whose name is safe to show.
var authSchemes = map[string]bool{"bearer": true, "basic": true, "token": true, "bot": true, "digest": true, "apikey": true, "key": true, "hmac": true}

func dots(s string) string {
	return fmt.Sprintf("•••• (%d chars)", utf8.RuneCountInString(s))
}

func isLetters(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func hmacEqual(a, b []byte) bool { return len(a) > 0 && hmac.Equal(a, b) }
