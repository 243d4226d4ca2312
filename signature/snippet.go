package signature

import (
	"fmt"
	"strings"
)

// Snippet returns a short verification snippet for scheme in lang ("go" or
// "python") that a developer can paste into a receiver. Go snippets define
// verify(r *http.Request, body []byte, secret string) bool and Python ones
// verify(headers, body: bytes, secret: str) -> bool, where headers is a
// case-insensitive mapping (Flask, Django, Starlette); Twilio's take the
// full public URL first because that is what Twilio signs.
func Snippet(scheme, lang string) (string, error) {
	s, ok := snippets[scheme]
	if !ok {
		return "", fmt.Errorf("signature: unknown scheme %q", scheme)
	}
	switch lang {
	case "go":
		return s.golang, nil
	case "python":
		return s.python, nil
	}
	return "", fmt.Errorf("signature: no snippet for language %q (use go or python)", lang)
}

type snippetPair struct{ golang, python string }

var snippets = map[string]snippetPair{
	SchemeHubSHA256Base64: base64BodySnippet("X-Hub-Signature-256",
		"X-Hub-Signature-256 = base64(HMAC-SHA256(secret, raw body)), no prefix"),

	SchemeGitHub: {golang: hmacGo("sha256", "encoding/hex", "hex.DecodeString", "X-Hub-Signature-256", "sha256=",
		`// verify checks GitHub's X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body)).`),
		python: `import hashlib, hmac


def verify(headers, body: bytes, secret: str) -> bool:
    """GitHub: X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, raw body))."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), headers.get("X-Hub-Signature-256", "").encode())
`},

	SchemeStandardWebhooks: {golang: `import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verify checks Standard Webhooks / Svix: any "v1,<base64>" entry of the
// signature header equals HMAC-SHA256 of "id.timestamp.body", keyed with the
// base64-DECODED secret after "whsec_", and the timestamp is within ±5 min.
func verify(r *http.Request, body []byte, secret string) bool {
	get := func(name string) string { // svix-* first, as Svix's libraries do
		if v := r.Header.Get("svix-" + name); v != "" {
			return v
		}
		return r.Header.Get("webhook-" + name)
	}
	id, ts := get("id"), get("timestamp")
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || math.Abs(time.Since(time.Unix(t, 0)).Seconds()) > 300 {
		return false
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	want := m.Sum(nil)
	for _, entry := range strings.Fields(get("signature")) {
		version, sig, _ := strings.Cut(entry, ",")
		got, err := base64.StdEncoding.DecodeString(sig)
		if version == "v1" && err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}
`, python: `import base64, hashlib, hmac, time


def verify(headers, body: bytes, secret: str) -> bool:
    """Standard Webhooks / Svix: any "v1,<base64>" entry equals HMAC-SHA256 of
    "id.timestamp.body" keyed with the base64-DECODED secret after "whsec_"."""
    def get(name):  # svix-* first, as Svix's libraries do
        return headers.get("svix-" + name) or headers.get("webhook-" + name) or ""
    msg_id, ts = get("id"), get("timestamp")
    try:
        if abs(time.time() - int(ts)) > 300:
            return False
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except ValueError:
        return False
    expected = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    for entry in get("signature").split():
        version, _, sig = entry.partition(",")
        try:
            if version == "v1" and hmac.compare_digest(base64.b64decode(sig, validate=True), expected):
                return True
        except ValueError:
            continue
    return False
`},

	SchemeStripe: {golang: `import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verify checks Stripe-Signature "t=…,v1=…[,v1=…]": any v1 equals
// hex(HMAC-SHA256 of "t.body") keyed with the whole "whsec_…" string as
// text (NOT base64-decoded), and t is at most 5 minutes old.
func verify(r *http.Request, body []byte, secret string) bool {
	var ts string
	var sigs [][]byte
	for _, item := range strings.Split(r.Header.Get("Stripe-Signature"), ",") {
		k, v, _ := strings.Cut(item, "=")
		switch k {
		case "t":
			ts = v
		case "v1": // several while a secret rolls; v0 is ignored
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(t, 0)) > 5*time.Minute {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	want := m.Sum(nil)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return true
		}
	}
	return false
}
`, python: `import hashlib, hmac, time


def verify(headers, body: bytes, secret: str) -> bool:
    """Stripe: any v1 in Stripe-Signature equals hex(HMAC-SHA256 of "t.body") keyed
    with the whole "whsec_..." string as text (NOT base64-decoded); t at most 5 min old."""
    ts, sigs = "", []
    for item in headers.get("Stripe-Signature", "").split(","):
        key, _, value = item.partition("=")
        if key == "t":
            ts = value
        elif key == "v1":  # several while a secret rolls; v0 is ignored
            sigs.append(value)
    try:
        if time.time() - int(ts) > 300:
            return False
    except ValueError:
        return False
    expected = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected.encode(), s.encode()) for s in sigs)
`},

	SchemeSlack: {golang: `import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// verify checks Slack: X-Slack-Signature = "v0=" + hex(HMAC-SHA256 of
// "v0:timestamp:body"), with X-Slack-Request-Timestamp within ±5 min.
func verify(r *http.Request, body []byte, secret string) bool {
	ts := r.Header.Get("X-Slack-Request-Timestamp")
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || math.Abs(time.Since(time.Unix(t, 0)).Seconds()) > 300 {
		return false
	}
	sig, ok := strings.CutPrefix(r.Header.Get("X-Slack-Signature"), "v0=")
	got, err := hex.DecodeString(sig)
	if !ok || err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
`, python: `import hashlib, hmac, time


def verify(headers, body: bytes, secret: str) -> bool:
    """Slack: X-Slack-Signature = "v0=" + hex(HMAC-SHA256 of "v0:timestamp:body"), ±5 min."""
    ts = headers.get("X-Slack-Request-Timestamp", "")
    try:
        if abs(time.time() - int(ts)) > 300:
            return False
    except ValueError:
        return False
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return hmac.compare_digest(("v0=" + mac.hexdigest()).encode(), headers.get("X-Slack-Signature", "").encode())
`},

	SchemeShopify: base64BodySnippet("X-Shopify-Hmac-Sha256",
		"Shopify: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app secret, raw body))"),

	SchemeTwilio: {golang: `import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// verify checks X-Twilio-Signature = base64(HMAC-SHA1(auth token, fullURL +
// each form field's name and value, sorted by name then value)). fullURL is
// the public URL Twilio called (not 127.0.0.1 behind a tunnel). For JSON
// bodies the URL alone is signed and its bodySHA256 must hash the body.
func verify(fullURL string, r *http.Request, body []byte, authToken string) bool {
	got, err := base64.StdEncoding.DecodeString(r.Header.Get("X-Twilio-Signature"))
	u, uerr := url.Parse(fullURL)
	if err != nil || uerr != nil {
		return false
	}
	var data strings.Builder
	data.WriteString(fullURL)
	if h := u.Query().Get("bodySHA256"); h != "" {
		sum := sha256.Sum256(body)
		if !hmac.Equal([]byte(hex.EncodeToString(sum[:])), []byte(h)) {
			return false
		}
	} else {
		form, err := url.ParseQuery(string(body)) // decodes %2B to '+', '+' to ' '
		if err != nil {
			return false
		}
		names := make([]string, 0, len(form))
		for name := range form {
			names = append(names, name)
		}
		sort.Strings(names) // pairs, not joined strings: Sid before SidAccount
		for _, name := range names {
			values := append([]string(nil), form[name]...)
			sort.Strings(values)
			for _, v := range values {
				data.WriteString(name + v)
			}
		}
	}
	m := hmac.New(sha1.New, []byte(authToken))
	m.Write([]byte(data.String()))
	return hmac.Equal(got, m.Sum(nil))
}
`, python: `import base64, hashlib, hmac
from urllib.parse import parse_qs, parse_qsl, urlsplit


def verify(url: str, headers, body: bytes, auth_token: str) -> bool:
    """Twilio: X-Twilio-Signature = base64(HMAC-SHA1(auth token, url + each form field's
    name and value, sorted by name then value)). url is the public URL Twilio called.
    For JSON bodies the URL alone is signed and its bodySHA256 must hash the body."""
    data = url
    body_hash = parse_qs(urlsplit(url).query).get("bodySHA256")
    if body_hash:
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest().encode(), body_hash[0].encode()):
            return False
    else:
        # Sort (name, value) pairs, not joined strings: Sid before SidAccount.
        for name, value in sorted(parse_qsl(body.decode(), keep_blank_values=True)):
            data += name + value
    expected = base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest())
    return hmac.compare_digest(expected, headers.get("X-Twilio-Signature", "").encode())
`},

	SchemeHMAC: {golang: hmacGo("sha256", "encoding/hex", "hex.DecodeString", "X-Signature", "",
		`// verify checks a generic HMAC of the raw body. Adjust the header, the
// prefix, the hash (sha1.New, sha256.New, sha512.New) and the encoding
// (hex.DecodeString or base64.StdEncoding.DecodeString) to the sender.`),
		python: `import hashlib, hmac


def verify(headers, body: bytes, secret: str) -> bool:
    """Generic HMAC of the raw body. Adjust header, prefix, digest (hashlib.sha1,
    sha256, sha512) and encoding (.hexdigest() or base64 of .digest()) to the sender."""
    header, prefix = "X-Signature", ""
    expected = prefix + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), headers.get(header, "").encode())
`},

	SchemeHeaderToken: {golang: `import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// verify checks that the Authorization header carries exactly the shared
// token. Hashing both sides keeps the comparison from leaking the length.
func verify(r *http.Request, body []byte, secret string) bool {
	got := sha256.Sum256([]byte(r.Header.Get("Authorization")))
	want := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}
`, python: `import hashlib, hmac


def verify(headers, body: bytes, secret: str) -> bool:
    """The Authorization header must carry exactly the shared token."""
    got = hashlib.sha256(headers.get("Authorization", "").encode()).digest()
    return hmac.compare_digest(got, hashlib.sha256(secret.encode()).digest())
`},
}

// base64BodySnippet is the snippet of a sender that puts
// base64(HMAC-SHA256(secret, raw body)) in header with no prefix, as
// Shopify and the X-Hub-Signature-256 base64 variant do; what says so in
// the snippet's comment.
func base64BodySnippet(header, what string) snippetPair {
	return snippetPair{golang: fmt.Sprintf(`import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// verify checks %[2]s.
// body must be the raw bytes as received, never re-serialized JSON.
func verify(r *http.Request, body []byte, secret string) bool {
	got, err := base64.StdEncoding.DecodeString(r.Header.Get(%[1]q))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
`, header, what), python: fmt.Sprintf(`import base64, hashlib, hmac


def verify(headers, body: bytes, secret: str) -> bool:
    """%[2]s."""
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, headers.get(%[1]q, "").encode())
`, header, what)}
}

// hmacGo is the Go snippet for an HMAC of the raw body sent in header after
// prefix: alg names the hash's package (crypto/sha256), decode the function
// of encPkg that reads the signature, and comment is the doc comment.
func hmacGo(alg, encPkg, decode, header, prefix, comment string) string {
	return fmt.Sprintf(`import (
	"crypto/hmac"
	"crypto/%[1]s"
	"%[2]s"
	"net/http"
	"strings"
)

%[3]s
func verify(r *http.Request, body []byte, secret string) bool {
	const header, prefix = %[4]q, %[5]q
	sig, ok := strings.CutPrefix(r.Header.Get(header), prefix)
	got, err := %[6]s(sig)
	if !ok || err != nil {
		return false
	}
	m := hmac.New(%[1]s.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
`, alg, encPkg, comment, header, prefix, decode)
}

// ConfiguredSnippet is Snippet for a project's configuration: the generic
// HMAC scheme's code is written for its header, algorithm, encoding and
// prefix (Snippet's is for X-Signature, sha256, hex, no prefix, and did not
// verify a project set up otherwise); every other scheme has one form.
func ConfiguredSnippet(c Config, lang string) (string, error) {
	if c.Scheme != SchemeHMAC {
		return Snippet(c.Scheme, lang)
	}
	header, alg, enc := c.Header, strings.ToLower(c.Algorithm), strings.ToLower(c.Encoding)
	if header == "" {
		header = "X-Signature"
	}
	if alg == "" {
		alg = "sha256"
	}
	if enc == "" {
		enc = "hex"
	}
	if hashFunc(alg) == nil || (enc != "hex" && enc != "base64") {
		return "", fmt.Errorf("signature: no snippet for %s in %s", alg, enc)
	}
	what := fmt.Sprintf("%s of the raw body in %s, %s-encoded%s", algTitle(alg), header, enc, prefixNote(c.Prefix))
	switch lang {
	case "go":
		encPkg, decode := "encoding/hex", "hex.DecodeString"
		if enc == "base64" {
			encPkg, decode = "encoding/base64", "base64.StdEncoding.DecodeString"
		}
		comment := fmt.Sprintf("// verify checks %s,\n// as this project is set up. body must be the raw bytes as received.", what)
		return hmacGo(alg, encPkg, decode, header, c.Prefix, comment), nil
	case "python":
		encode := "digest.hex()"
		if enc == "base64" {
			encode = "base64.b64encode(digest).decode()"
		}
		return fmt.Sprintf(`import base64, hashlib, hmac


def verify(headers, body: bytes, secret: str) -> bool:
    """%[1]s, as this project is set up.
    body must be the raw bytes as received."""
    header, prefix = %[2]q, %[3]q
    digest = hmac.new(secret.encode(), body, hashlib.%[4]s).digest()
    expected = prefix + %[5]s
    return hmac.compare_digest(expected.encode(), headers.get(header, "").encode())
`, capitalize(what), header, c.Prefix, alg, encode), nil
	}
	return "", fmt.Errorf("signature: no snippet for language %q (use go or python)", lang)
}
