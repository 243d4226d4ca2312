package signature

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// candidate is one way of reading a received signature as MAC bytes.
const minMAC = 16

type candidate struct {
	enc    string // hex | base64 | unpadded base64 | base64url
	prefix string
	raw    []byte
}

// looseCandidates reads s in every encoding and prefix form a sender might
// have used, so that a MAC that is right but formatted wrongly is found.
// Readings shorter than any MAC (16 bytes) do not count: they are what
// makes a header malformed rather than merely wrong.
func looseCandidates(s string) []candidate {
	s = strings.TrimSpace(s)
	type form struct{ prefix, body string }
	forms := []form{{"", s}}
	if i := strings.IndexAny(s, "=,"); i > 0 && i <= 10 && i < len(s)-1 && isAlnum(s[:i]) {
		forms = append(forms, form{s[:i+1], s[i+1:]})
	}
	var out []candidate
	for _, f := range forms {
		if b, err := hex.DecodeString(f.body); err == nil && len(b) >= minMAC {
			out = append(out, candidate{"hex", f.prefix, b})
		}
		for _, e := range []struct {
			name string
			enc  *base64.Encoding
		}{
			{"base64", base64.StdEncoding},
			{"unpadded base64", base64.RawStdEncoding},
			{"base64url", base64.URLEncoding},
			{"base64url", base64.RawURLEncoding},
		} {
			if b, err := e.enc.DecodeString(f.body); err == nil && len(b) >= minMAC {
				out = append(out, candidate{e.name, f.prefix, b})
				// The base64 of the digest's hex text, not of the digest:
				// `openssl dgst -hmac` without -binary, piped to base64.
				if h, err := hex.DecodeString(string(b)); err == nil && len(h) >= minMAC {
					out = append(out, candidate{encBase64OfHex, f.prefix, h})
				}
			}
		}
	}
	return out
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func candidatesOf(sigs []string) []candidate {
	var out []candidate
	for _, s := range sigs {
		out = append(out, looseCandidates(s)...)
	}
	return out
}

// trial is one usual mistake: the MAC the sender would have produced had it
// made that mistake. An empty hint means "no mistake but the format".
type trial struct {
	hint    string
	alg     string
	key     []byte
	content []byte
}

// formatNote describes how a matching candidate's format differs from the
// scheme's, or "" when it does not.
// encBase64OfHex names the double encoding a shell one-liner often gives.
const encBase64OfHex = "base64 of hex"

func formatNote(c candidate, enc, prefix string) string {
	var notes []string
	switch {
	case c.enc == encBase64OfHex:
		notes = append(notes, fmt.Sprintf("the signature is the base64 of the digest's hex text (what `openssl dgst -hmac` without -binary, piped to base64, gives) where this scheme expects the %s of the digest itself", enc))
	case c.enc != enc:
		notes = append(notes, fmt.Sprintf("the signature is %s-encoded where this scheme expects %s", c.enc, enc))
	}
	switch {
	case c.prefix == prefix:
	case prefix == "":
		notes = append(notes, fmt.Sprintf("it carries a %q prefix this scheme does not use", c.prefix))
	case c.prefix == "":
		notes = append(notes, fmt.Sprintf("it lacks the %q prefix", prefix))
	default:
		notes = append(notes, fmt.Sprintf("it carries the prefix %q where %q is expected", c.prefix, prefix))
	}
	return strings.Join(notes, ", and ")
}

// firstMatch returns the hint of the first trial whose MAC equals one of the
// candidates. Order matters: the simplest explanation is tried first.
func firstMatch(cands []candidate, enc, prefix string, trials []trial) string {
	for _, t := range trials {
		if hashFunc(t.alg) == nil {
			continue
		}
		m := mac(t.alg, t.key, t.content)
		for _, c := range cands {
			if !hmac.Equal(c.raw, m) {
				continue
			}
			note := formatNote(c, enc, prefix)
			switch {
			case t.hint == "" && note == "":
				continue // not a mistake at all
			case t.hint == "":
				return capitalize(note) + " — the HMAC itself is right, only its format differs."
			case note == "":
				return t.hint
			default:
				return t.hint + " (Also, " + note + ".)"
			}
		}
	}
	return ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// diagnose tries the usual mistakes in order and names the first that
// reproduces a received signature.
func (s *macSpec) diagnose(r Request, c Config, key []byte, keyOK bool) string {
	cands := candidatesOf(append(append([]string{}, s.sigs...), s.looseSigs...))
	if len(cands) == 0 {
		return ""
	}
	var trials []trial
	content := s.content(r.Body)
	if keyOK {
		trials = append(trials, trial{"", s.alg, key, content})
	}
	if s.keyTrials != nil {
		trials = append(trials, s.keyTrials(c.Secret)...)
	}
	trials = append(trials, s.previousSecretTrials(c, content)...)
	if keyOK {
		for _, a := range []string{"sha256", "sha1", "sha512"} {
			if a != s.alg {
				trials = append(trials, trial{
					fmt.Sprintf("It would match %s — the sender used %s where this scheme expects %s.", algTitle(a), algTitle(a), algTitle(s.alg)),
					a, key, content})
			}
		}
		if !s.noBodyTrials {
			for _, v := range bodyVariants(r.Body) {
				trials = append(trials, trial{v.hint, s.alg, key, s.content(v.body)})
			}
		}
		if s.bodyAlone != "" {
			trials = append(trials, trial{s.bodyAlone, s.alg, key, r.Body})
		}
		if !s.noBodyTrials {
			if q := rawQuery(r.URL); q != "" {
				trials = append(trials, trial{"It would match a signature of the query string instead of the body — the sender signed the wrong part of the request.", s.alg, key, s.content([]byte(q))})
			}
			if r.URL != "" {
				trials = append(trials, trial{"It would match a signature of the URL instead of the body — the sender signed the wrong part of the request.", s.alg, key, s.content([]byte(r.URL))})
			}
		}
		if s.extraTrials != nil {
			trials = append(trials, s.extraTrials()...)
		}
	}
	return firstMatch(cands, s.enc, s.prefix, trials)
}

func (s *macSpec) previousSecretTrials(c Config, content []byte) []trial {
	var out []trial
	for i, p := range c.PreviousSecrets {
		if p == "" || p == c.Secret {
			continue
		}
		k, err := s.key(p)
		if err != nil {
			continue
		}
		out = append(out, trial{
			fmt.Sprintf("It matches a previous secret of this project (#%d) — the sender has not picked up the rotated secret.", i+1),
			s.alg, k, content})
	}
	return out
}

func rawQuery(u string) string {
	_, q, ok := strings.Cut(u, "?")
	if !ok {
		return ""
	}
	q, _, _ = strings.Cut(q, "#")
	return q
}

type bodyVariant struct {
	hint string
	body []byte
}

// bodyVariants are the bodies a sender commonly signs instead of the bytes
// it sends: a line ending more or less, or the JSON serialized another way.
func bodyVariants(body []byte) []bodyVariant {
	var out []bodyVariant
	seen := map[string]bool{string(body): true}
	add := func(hint string, b []byte) {
		if b == nil || seen[string(b)] {
			return
		}
		seen[string(b)] = true
		out = append(out, bodyVariant{hint, b})
	}
	switch {
	case bytes.HasSuffix(body, []byte("\r\n")):
		add("It would match the body without its trailing CRLF — the sender signed the body without the line ending it then sent.", body[:len(body)-2])
	case bytes.HasSuffix(body, []byte("\n")):
		add("It would match the body without its trailing newline — the sender signed the body without the newline it then sent.", body[:len(body)-1])
	}
	add("It would match the body with a trailing newline added — the sender signed a newline it did not send.", append(bytes.Clone(body), '\n'))

	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || !json.Valid(trimmed) {
		return out
	}
	const tail = " — the sender signed a re-serialized body, not the bytes it sent; sign and verify the raw body."
	var compact bytes.Buffer
	if json.Compact(&compact, trimmed) == nil {
		add("It would match if the body were compact JSON"+tail, compact.Bytes())
		add(`It would match if the body were JSON with ", " and ": " separators (Python's json.dumps default)`+tail, pythonSpaced(compact.Bytes()))
	}
	for _, ind := range []struct{ name, indent string }{{"2-space", "  "}, {"4-space", "    "}, {"tab", "\t"}} {
		var b bytes.Buffer
		if json.Indent(&b, trimmed, "", ind.indent) == nil {
			add("It would match if the body were "+ind.name+"-indented JSON"+tail, bytes.Clone(b.Bytes()))
			add("It would match if the body were "+ind.name+"-indented JSON with a trailing newline"+tail, append(bytes.Clone(b.Bytes()), '\n'))
		}
	}
	if sorted := sortedKeysJSON(trimmed); sorted != nil {
		add("It would match if the body were JSON re-encoded with sorted keys (as Go's encoding/json does)"+tail, sorted)
	}
	return out
}

// pythonSpaced adds a space after each ',' and ':' outside strings, as
// Python's json.dumps does by default.
func pythonSpaced(compact []byte) []byte {
	var b bytes.Buffer
	inStr, esc := false, false
	for _, c := range compact {
		b.WriteByte(c)
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case !inStr && (c == ',' || c == ':'):
			b.WriteByte(' ')
		}
	}
	return b.Bytes()
}

func sortedKeysJSON(b []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return nil
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}
