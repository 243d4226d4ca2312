package signature

import (
	"fmt"
	"strings"
	"time"
)

// This file holds the schemes that sign the raw body alone: the two users of
// X-Hub-Signature-256, Shopify, the generic HMAC and the header token.

const (
	hdrHub256   = "X-Hub-Signature-256"
	hdrHubSHA1  = "X-Hub-Signature"
	hdrShopify  = "X-Shopify-Hmac-Sha256"
	defHMACHdr  = "X-Signature"
	defTokenHdr = "Authorization"
)

func bodySpec(alg, enc, prefix, hdr, value string) *macSpec {
	return &macSpec{
		alg: alg, enc: enc, prefix: prefix, header: hdr, what: "the raw body",
		key: rawKey, content: identity, sigs: []string{value},
	}
}

func verifyHubBase64(r Request, c Config, now time.Time, res *Result) {
	v, ok := header(r.Header, hdrHub256)
	res.Received = v
	if c.Secret == "" {
		noSecret(res, hdrHub256, ok)
		return
	}
	if !ok {
		res.Status = MissingHeader
		res.Reason = "The request has no X-Hub-Signature-256 header although a secret is configured — this sender omits it only when it has no key."
		return
	}
	bodySpec("sha256", "base64", "", hdrHub256, v).finish(res, r, c)
}

func signHubBase64(r *Request, c Config, now time.Time) error {
	r.Header.Set(hdrHub256, encode("base64", mac("sha256", []byte(c.Secret), r.Body)))
	return nil
}

func verifyGitHub(r Request, c Config, now time.Time, res *Result) {
	hdr, alg, prefix := hdrHub256, "sha256", "sha256="
	v, ok := header(r.Header, hdr)
	if !ok {
		// Only the legacy header: GitHub still sends it next to the new one.
		if lv, lok := header(r.Header, hdrHubSHA1); lok {
			hdr, alg, prefix, v, ok = hdrHubSHA1, "sha1", "sha1=", lv, true
		}
	}
	if !canCheck(res, c, hdrHub256, v, ok) {
		return
	}
	bodySpec(alg, "hex", prefix, hdr, v).finish(res, r, c)
}

func signGitHub(r *Request, c Config, now time.Time) error {
	key := []byte(c.Secret)
	r.Header.Set(hdrHub256, "sha256="+encode("hex", mac("sha256", key, r.Body)))
	r.Header.Set(hdrHubSHA1, "sha1="+encode("hex", mac("sha1", key, r.Body)))
	return nil
}

func verifyShopify(r Request, c Config, now time.Time, res *Result) {
	v, ok := header(r.Header, hdrShopify)
	if !canCheck(res, c, hdrShopify, v, ok) {
		return
	}
	bodySpec("sha256", "base64", "", hdrShopify, v).finish(res, r, c)
}

func signShopify(r *Request, c Config, now time.Time) error {
	r.Header.Set(hdrShopify, encode("base64", mac("sha256", []byte(c.Secret), r.Body)))
	return nil
}

// hmacParams applies the generic scheme's defaults and rejects values it
// cannot compute.
func hmacParams(c Config) (hdr, alg, enc string, err error) {
	hdr, alg, enc = c.Header, strings.ToLower(c.Algorithm), strings.ToLower(c.Encoding)
	if hdr == "" {
		hdr = defHMACHdr
	}
	if alg == "" {
		alg = "sha256"
	}
	if enc == "" {
		enc = "hex"
	}
	if hashFunc(alg) == nil {
		return "", "", "", fmt.Errorf("unsupported algorithm %q (use sha1, sha256 or sha512)", c.Algorithm)
	}
	if enc != "hex" && enc != "base64" {
		return "", "", "", fmt.Errorf("unsupported encoding %q (use hex or base64)", c.Encoding)
	}
	return hdr, alg, enc, nil
}

func verifyGenericHMAC(r Request, c Config, now time.Time, res *Result) {
	hdr, alg, enc, err := hmacParams(c)
	if err != nil {
		res.Status = Invalid
		res.Reason = "The generic HMAC scheme is misconfigured: " + err.Error() + "."
		return
	}
	v, ok := header(r.Header, hdr)
	if !canCheck(res, c, hdr, v, ok) {
		return
	}
	bodySpec(alg, enc, c.Prefix, hdr, v).finish(res, r, c)
}

func signGenericHMAC(r *Request, c Config, now time.Time) error {
	hdr, alg, enc, err := hmacParams(c)
	if err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	r.Header.Set(hdr, c.Prefix+encode(enc, mac(alg, []byte(c.Secret), r.Body)))
	return nil
}

func verifyHeaderToken(r Request, c Config, now time.Time, res *Result) {
	hdr := c.Header
	if hdr == "" {
		hdr = defTokenHdr
	}
	v, ok := header(r.Header, hdr)
	res.Received = mask(v)
	if c.Secret == "" {
		noSecret(res, hdr, ok)
		return
	}
	if !ok {
		missing(res, hdr)
		res.Hint = tokenElsewhere(r, c, hdr)
		return
	}
	if ctEqualString(v, c.Secret) {
		res.Status = Valid
		res.Reason = fmt.Sprintf("%s carries exactly the configured token.", hdr)
		return
	}
	res.Status = Invalid
	res.Reason = fmt.Sprintf("%s does not carry the configured token.", hdr)
	res.Hint = tokenHint(r, c, hdr, v)
}

// tokenHint names the usual ways a constant token is sent wrongly, without
// ever showing it.
func tokenHint(r Request, c Config, hdr, v string) string {
	if word, rest, ok := strings.Cut(v, " "); ok && isLetters(word) && ctEqualString(rest, c.Secret) {
		return fmt.Sprintf("The header carries %q followed by the token, but the configured value has no %q prefix — configure the full header value.", word, word+" ")
	}
	if word, rest, ok := strings.Cut(c.Secret, " "); ok && isLetters(word) && ctEqualString(rest, v) {
		return fmt.Sprintf("The header carries the bare token, but the configured value expects the %q prefix — the sender omitted it.", word+" ")
	}
	if t := strings.TrimSpace(v); t != v && ctEqualString(t, c.Secret) {
		return "The token matches once surrounding whitespace is removed — the sender adds spaces or a line break."
	}
	for i, p := range c.PreviousSecrets {
		if p != "" && ctEqualString(v, p) {
			return fmt.Sprintf("It matches a previous secret of this project (#%d) — the sender has not picked up the rotated secret.", i+1)
		}
	}
	return tokenElsewhere(r, c, hdr)
}

func tokenElsewhere(r Request, c Config, hdr string) string {
	for name, vs := range r.Header {
		if strings.EqualFold(name, hdr) {
			continue
		}
		for _, v := range vs {
			if ctEqualString(strings.TrimSpace(v), c.Secret) {
				return fmt.Sprintf("The token is sent in the %s header instead of %s.", name, hdr)
			}
		}
	}
	return ""
}

func signHeaderToken(r *Request, c Config, now time.Time) error {
	hdr := c.Header
	if hdr == "" {
		hdr = defTokenHdr
	}
	r.Header.Set(hdr, c.Secret)
	return nil
}
