package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"sort"
	"strings"
	"time"
)

const hdrTwilio = "X-Twilio-Signature"

type formPair struct{ name, value string }

// twilioSignedURL is the URL the sender signed: behind a tunnel that is the
// public one, so the configured base replaces scheme://host.
func twilioSignedURL(raw, base string) string {
	if base == "" {
		return raw
	}
	base = strings.TrimRight(base, "/")
	rest := raw
	if _, _, r, ok := splitURL(raw); ok {
		rest = r
	} else if !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, "?") {
		rest = "/" + rest
	}
	return base + rest
}

// splitURL cuts an absolute URL into scheme, authority and the rest (path,
// query, fragment) without re-encoding anything, since the sender signed
// the exact characters.
func splitURL(raw string) (scheme, authority, rest string, ok bool) {
	i := strings.Index(raw, "://")
	if i <= 0 {
		return "", "", "", false
	}
	scheme, after := raw[:i], raw[i+3:]
	j := strings.IndexAny(after, "/?#")
	if j < 0 {
		return scheme, after, "", true
	}
	return scheme, after[:j], after[j:], true
}

func splitHostPort(hp string) (host, port string) {
	if strings.HasPrefix(hp, "[") {
		i := strings.Index(hp, "]")
		if i < 0 {
			return hp, ""
		}
		host, rest := hp[:i+1], hp[i+1:]
		if strings.HasPrefix(rest, ":") {
			port = rest[1:]
		}
		return host, port
	}
	if i := strings.LastIndex(hp, ":"); i >= 0 {
		return hp[:i], hp[i+1:]
	}
	return hp, ""
}

// twilioURLVariants mirrors Twilio's SDKs: the URL as given, with the
// default port added when it has none, and with any port removed — proxies
// disagree on whether the port is part of the URL.
func twilioURLVariants(u string) []string {
	out := []string{u}
	scheme, auth, rest, ok := splitURL(u)
	if !ok {
		return out
	}
	userinfo := ""
	if i := strings.LastIndex(auth, "@"); i >= 0 {
		userinfo, auth = auth[:i+1], auth[i+1:]
	}
	host, port := splitHostPort(auth)
	add := func(v string) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	if port == "" {
		switch strings.ToLower(scheme) {
		case "https":
			add(scheme + "://" + userinfo + host + ":443" + rest)
		case "http":
			add(scheme + "://" + userinfo + host + ":80" + rest)
		}
	}
	add(scheme + "://" + userinfo + host + rest)
	return out
}

// parseForm decodes an urlencoded body into pairs. plusAsSpace is how
// servers decode it; false reproduces a sender that signed a literal '+'.
func parseForm(body []byte, plusAsSpace bool) []formPair {
	var out []formPair
	unesc := func(s string) string {
		var v string
		var err error
		if plusAsSpace {
			v, err = url.QueryUnescape(s)
		} else {
			v, err = url.PathUnescape(s)
		}
		if err != nil {
			return s
		}
		return v
	}
	for _, part := range strings.Split(string(body), "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		out = append(out, formPair{unesc(k), unesc(v)})
	}
	return out
}

// twilioContent is the URL followed by each field's name and value, sorted
// by name and then by value. Sorting the joined name+value strings instead
// is a classic bug: it differs once a name is a prefix of another.
func twilioContent(u string, pairs []formPair) []byte {
	sorted := append([]formPair(nil), pairs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].name != sorted[j].name {
			return sorted[i].name < sorted[j].name
		}
		return sorted[i].value < sorted[j].value
	})
	b := []byte(u)
	for _, p := range sorted {
		b = append(b, p.name...)
		b = append(b, p.value...)
	}
	return b
}

func twilioJoinSortedContent(u string, pairs []formPair) []byte {
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p.name + p.value
	}
	sort.Strings(joined)
	return []byte(u + strings.Join(joined, ""))
}

func queryParam(u, name string) string {
	q, _ := url.ParseQuery(rawQuery(u))
	return q.Get(name)
}

func isFormBody(r Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		b := strings.TrimSpace(string(r.Body))
		return b != "" && b[0] != '{' && b[0] != '['
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func verifyTwilio(r Request, c Config, now time.Time, res *Result) {
	sig, ok := header(r.Header, hdrTwilio)
	if !canCheck(res, c, hdrTwilio, sig, ok) {
		return
	}
	if len(looseCandidates(sig)) == 0 {
		res.Status = MalformedHeader
		res.Reason = "X-Twilio-Signature cannot be read as a base64-encoded HMAC-SHA1."
		return
	}
	u := twilioSignedURL(r.URL, c.PublicBaseURL)
	bodyHash := queryParam(u, "bodySHA256")
	var pairs []formPair
	what := " (URL alone)"
	switch {
	case bodyHash != "":
		what = " (URL alone; its bodySHA256 covers the JSON body)"
	case isFormBody(r):
		pairs = parseForm(r.Body, true)
		what = fmt.Sprintf(" + %d form fields", len(pairs))
	}

	key := []byte(c.Secret)
	strict, _ := decodeStrict("base64", sig)
	urls := twilioURLVariants(u)
	matched := -1
	for i, v := range urls {
		if hmacEqual(strict, mac("sha1", key, twilioContent(v, pairs))) {
			matched = i
			break
		}
	}
	shown := 0
	if matched >= 0 {
		shown = matched
	}
	content := twilioContent(urls[shown], pairs)
	setSignedContent(res, content)
	res.Computed = encode("base64", mac("sha1", key, content))

	hashOK := bodyHash == "" || ctEqualString(strings.ToLower(bodyHash), sha256Hex(r.Body))
	switch {
	case matched >= 0 && hashOK:
		res.Status = Valid
		res.Reason = fmt.Sprintf("HMAC-SHA1 of %s%s matches X-Twilio-Signature.", urls[matched], what)
		if bodyHash != "" {
			res.Reason = fmt.Sprintf("HMAC-SHA1 of %s matches X-Twilio-Signature and bodySHA256 matches the body.", urls[matched])
		}
	case matched >= 0:
		res.Status = Invalid
		res.Reason = "The URL signature matches, but its bodySHA256 is not the SHA-256 of the body received — the body differs from what was signed."
		res.Hint = bodyHashHint(r.Body, bodyHash)
	default:
		res.Status = Invalid
		res.Reason = fmt.Sprintf("Checked HMAC-SHA1 of %s%s against X-Twilio-Signature, with and without the default port: no match.", u, what)
		if c.PublicBaseURL == "" && isLocalURL(u) {
			res.Reason = fmt.Sprintf("Checked HMAC-SHA1 of the local URL %s%s against X-Twilio-Signature: no match — the auth token differs, or Twilio signed the public URL it called (behind a tunnel, set the public base URL).", u, what)
		}
		res.Hint = twilioHint(r, c, u, urls, pairs, sig)
	}
}

func isLocalURL(u string) bool {
	_, auth, _, ok := splitURL(u)
	if !ok {
		return true
	}
	if i := strings.LastIndex(auth, "@"); i >= 0 {
		auth = auth[i+1:]
	}
	host, _ := splitHostPort(auth)
	host = strings.ToLower(strings.Trim(host, "[]"))
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" || host == "0.0.0.0"
}

func bodyHashHint(body []byte, want string) string {
	for _, v := range bodyVariants(body) {
		if ctEqualString(sha256Hex(v.body), strings.ToLower(want)) {
			return strings.Replace(v.hint, "It would match", "bodySHA256 would match", 1)
		}
	}
	return ""
}

func twilioHint(r Request, c Config, u string, urls []string, pairs []formPair, sig string) string {
	key := []byte(c.Secret)
	var trials []trial
	forURLs := func(hint, alg string, k []byte, us []string, content func(string) []byte) {
		for _, v := range us {
			trials = append(trials, trial{hint, alg, k, content(v)})
		}
	}
	normal := func(v string) []byte { return twilioContent(v, pairs) }
	forURLs("", "sha1", key, urls, normal)
	for i, p := range c.PreviousSecrets {
		if p != "" && p != c.Secret {
			forURLs(fmt.Sprintf("It matches a previous secret of this project (#%d) — the sender has not picked up the rotated auth token.", i+1), "sha1", []byte(p), urls, normal)
		}
	}
	forURLs("It would match HMAC-SHA256 — Twilio signs with HMAC-SHA1.", "sha256", key, urls, normal)
	if len(pairs) > 1 {
		forURLs("It would match if the form fields were sorted as joined name+value strings — sort by name, then by value, as Twilio does; the orders differ when one name is a prefix of another (Sid, SidAccount).", "sha1", key, urls,
			func(v string) []byte { return twilioJoinSortedContent(v, pairs) })
	}
	if strings.Contains(string(r.Body), "+") && pairs != nil {
		literal := parseForm(r.Body, false)
		forURLs("It would match if '+' in the form body were a literal plus — the sender signed '+' but sent it unencoded, so it decodes as a space; it must be sent as %2B.", "sha1", key, urls,
			func(v string) []byte { return twilioContent(v, literal) })
	}
	if fh := r.Header.Get("X-Forwarded-Host"); fh != "" {
		proto := r.Header.Get("X-Forwarded-Proto")
		if proto == "" {
			proto = "https"
		}
		base := proto + "://" + fh
		pub := twilioSignedURL(r.URL, base)
		forURLs(fmt.Sprintf("It would match the public URL %s (from X-Forwarded-Host) — set the public base URL to %s.", pub, base), "sha1", key, twilioURLVariants(pub), normal)
	}
	if scheme, auth, rest, ok := splitURL(u); ok {
		other := map[string]string{"http": "https", "https": "http"}[strings.ToLower(scheme)]
		if other != "" {
			forURLs(fmt.Sprintf("It would match with %s:// instead of %s:// — a proxy changed the scheme; set the public base URL to %s://%s.", other, scheme, other, auth), "sha1", key, twilioURLVariants(other+"://"+auth+rest), normal)
		}
	}
	if c.PublicBaseURL != "" && r.URL != u {
		forURLs("It would match the URL as received, without the public base URL — the sender signed the local URL; clear the public base URL.", "sha1", key, twilioURLVariants(r.URL), normal)
	}
	if pairs != nil {
		forURLs("It would match the URL alone — the sender did not include the form fields in the signature.", "sha1", key, urls, func(v string) []byte { return []byte(v) })
	} else if len(r.Body) > 0 {
		form := parseForm(r.Body, true)
		forURLs("It would match the URL followed by the body's form fields — the body is form data, though its Content-Type does not say so.", "sha1", key, urls, func(v string) []byte { return twilioContent(v, form) })
	}
	return firstMatch(looseCandidates(sig), "base64", "", trials)
}

// setQueryParam sets name=value in the query of u without touching the
// rest of it, because the signature covers the exact characters.
func setQueryParam(u, name, value string) string {
	frag := ""
	if i := strings.Index(u, "#"); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	base, q, hasQ := strings.Cut(u, "?")
	if !hasQ {
		return base + "?" + name + "=" + value + frag
	}
	parts := strings.Split(q, "&")
	found := false
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); k == name {
			parts[i] = name + "=" + value
			found = true
		}
	}
	if !found {
		parts = append(parts, name+"="+value)
	}
	return base + "?" + strings.Join(parts, "&") + frag
}

func signTwilio(r *Request, c Config, now time.Time) error {
	var pairs []formPair
	if isFormBody(*r) {
		pairs = parseForm(r.Body, true)
	} else if len(r.Body) > 0 {
		r.URL = setQueryParam(r.URL, "bodySHA256", sha256Hex(r.Body))
	}
	u := twilioSignedURL(r.URL, c.PublicBaseURL)
	r.Header.Set(hdrTwilio, encode("base64", mac("sha1", []byte(c.Secret), twilioContent(u, pairs))))
	return nil
}
