package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"
)

func hashFunc(alg string) func() hash.Hash {
	switch alg {
	case "sha1":
		return sha1.New
	case "sha256":
		return sha256.New
	case "sha512":
		return sha512.New
	}
	return nil
}

func algTitle(alg string) string {
	return "HMAC-" + strings.ToUpper(strings.Replace(alg, "sha", "SHA-", 1))
}

func mac(alg string, key, msg []byte) []byte {
	m := hmac.New(hashFunc(alg), key)
	m.Write(msg)
	return m.Sum(nil)
}

func encode(enc string, b []byte) string {
	if enc == "base64" {
		return base64.StdEncoding.EncodeToString(b)
	}
	return hex.EncodeToString(b)
}

// decodeStrict accepts only the encoding the scheme documents; anything
// looser is left to the diagnosis so that it gets named.
func decodeStrict(enc, s string) ([]byte, bool) {
	var b []byte
	var err error
	if enc == "base64" {
		b, err = base64.StdEncoding.DecodeString(s)
	} else {
		b, err = hex.DecodeString(s)
	}
	return b, err == nil && len(b) > 0
}

// macSpec describes one HMAC check: how the key and the signed content are
// derived, and how each received signature is expected to look. Content and
// key are functions so that the diagnosis can rebuild them from variants.
type macSpec struct {
	alg    string // sha1 | sha256 | sha512
	enc    string // hex | base64
	prefix string // expected before each encoded MAC
	header string // for sentences
	what   string // what is signed, for sentences, e.g. "the raw body"

	key     func(secret string) ([]byte, error)
	content func(body []byte) []byte
	sigs    []string // received signatures, prefix included as received
	// looseSigs are received values that are not even shaped like a
	// signature of this scheme but may still reveal the mistake.
	looseSigs []string

	keyTrials    func(secret string) []trial // scheme-specific key mistakes
	bodyAlone    string                      // hint when the sender signed the bare body; "" when content is the body
	noBodyTrials bool                        // the signed content does not contain the body
	extraTrials  func() []trial
}

func rawKey(secret string) ([]byte, error) { return []byte(secret), nil }
func identity(b []byte) []byte             { return b }

// strictSigs decodes the received signatures that have the documented shape.
func (s *macSpec) strictSigs() [][]byte {
	var out [][]byte
	for _, v := range s.sigs {
		v = strings.TrimSpace(v)
		if !strings.HasPrefix(v, s.prefix) {
			continue
		}
		if b, ok := decodeStrict(s.enc, v[len(s.prefix):]); ok {
			out = append(out, b)
		}
	}
	return out
}

// shapeless reports that nothing received can be read as a MAC in any
// encoding: then the header is malformed rather than merely wrong.
func (s *macSpec) shapeless() bool {
	for _, v := range append(append([]string{}, s.sigs...), s.looseSigs...) {
		if len(looseCandidates(v)) > 0 {
			return false
		}
	}
	return true
}

// check computes the MAC, fills Computed and the signed content, and
// reports whether any received signature matches. On mismatch it also
// fills Hint. keyErr is set when the secret itself cannot be turned into a key.
func (s *macSpec) check(res *Result, r Request, c Config) (matched bool, keyErr error) {
	key, keyErr := s.key(c.Secret)
	content := s.content(r.Body)
	setSignedContent(res, content)
	if keyErr == nil {
		m := mac(s.alg, key, content)
		res.Computed = s.prefix + encode(s.enc, m)
		for _, got := range s.strictSigs() {
			if hmac.Equal(got, m) {
				matched = true
			}
		}
	}
	if !matched {
		res.Hint = s.diagnose(r, c, key, keyErr == nil)
	}
	return matched, keyErr
}

// mismatchReason is the sentence for a signature that does not match.
func (s *macSpec) mismatchReason(keyErr error) string {
	if keyErr != nil {
		return fmt.Sprintf("The configured secret cannot be used (%v), so %s could not be checked.", keyErr, s.header)
	}
	if len(s.strictSigs()) == 0 {
		return fmt.Sprintf("Checked %s of %s against %s, but the header does not hold a %s-encoded MAC%s.",
			algTitle(s.alg), s.what, s.header, s.enc, prefixNote(s.prefix))
	}
	return fmt.Sprintf("Checked %s of %s against %s: the signature does not match.", algTitle(s.alg), s.what, s.header)
}

func prefixNote(p string) string {
	if p == "" {
		return " without prefix"
	}
	return fmt.Sprintf(" prefixed with %q", p)
}

// finish applies the common verdict of a non-timestamped MAC scheme.
func (s *macSpec) finish(res *Result, r Request, c Config) {
	if s.shapeless() {
		res.Status = MalformedHeader
		res.Reason = fmt.Sprintf("%s cannot be read as a %s-encoded %s%s.", s.header, s.enc, algTitle(s.alg), prefixNote(s.prefix))
		return
	}
	matched, keyErr := s.check(res, r, c)
	if matched {
		res.Status = Valid
		res.Reason = fmt.Sprintf("%s of %s matches %s.", algTitle(s.alg), s.what, s.header)
		return
	}
	res.Status = Invalid
	res.Reason = s.mismatchReason(keyErr)
}

// finishTimestamped is finish for schemes whose replay window is checked
// before the signature, as the providers' libraries do; the sentence still
// tells whether the signature itself matches.
func (s *macSpec) finishTimestamped(res *Result, r Request, c Config, outside bool, window string) {
	if s.shapeless() {
		res.Status = MalformedHeader
		res.Reason = fmt.Sprintf("%s cannot be read as a %s-encoded %s%s.", s.header, s.enc, algTitle(s.alg), prefixNote(s.prefix))
		return
	}
	matched, keyErr := s.check(res, r, c)
	switch {
	case outside:
		res.Status = TimestampOutOfTolerance
		verdict := "the signature itself does not match either"
		if matched {
			verdict = "the signature itself matches (a replayed or delayed delivery?)"
		}
		res.Reason = fmt.Sprintf("The timestamp is %s away from now, outside the %s window; %s.", roundSkew(res.Skew), window, verdict)
	case matched && res.Skew < -tolerance:
		// Only Stripe gets here: its libraries reject old timestamps only.
		res.Status = Valid
		res.Reason = fmt.Sprintf("%s of %s matches %s; the timestamp is %s of the receive time, which Stripe's libraries accept (they reject old timestamps only).", algTitle(s.alg), s.what, s.header, roundSkew(res.Skew))
	case matched:
		res.Status = Valid
		res.Reason = fmt.Sprintf("%s of %s matches %s and the timestamp is within %s.", algTitle(s.alg), s.what, s.header, window)
	default:
		res.Status = Invalid
		res.Reason = s.mismatchReason(keyErr)
	}
	if res.Hint == "" && res.HasSkew && res.Skew < -100*365*24*time.Hour {
		res.Hint = "The timestamp looks like milliseconds: webhook timestamps are whole seconds since 1970 (10 digits today)."
	}
}
