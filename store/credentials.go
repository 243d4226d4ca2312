package store

import (
	"net/http"
	"slices"
	"strings"
)

// SetKeepCredentialsInHistory says whether attempts recorded from now on keep
// their credential headers whole (see Options.KeepCredentialsInHistory).
func (s *Store) SetKeepCredentialsInHistory(keep bool) {
	s.optMu.Lock()
	defer s.optMu.Unlock()
	s.opts.KeepCredentialsInHistory = keep
}

// KeepCredentialsInHistory reports the setting in force.
func (s *Store) KeepCredentialsInHistory() bool {
	s.optMu.Lock()
	defer s.optMu.Unlock()
	return s.opts.KeepCredentialsInHistory
}

// IsCredentialHeader reports whether a header carries a credential that the
// delivery history masks: the authentication headers of RFC 9110 §11.6–11.7
// (and any other name with "auth" in it), cookies (RFC 6265), and names that
// say token, secret, API or access key, password or session — the names the
// local API masks in its answers too. A signature header is not one: it is
// computed for one body and a user needs it to debug a replay.
func IsCredentialHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Cookie", "Set-Cookie":
		return true
	}
	lower := strings.ToLower(name)
	for _, word := range []string{"auth", "token", "secret", "password", "api-key", "apikey", "api_key", "access-key", "session"} {
		if strings.Contains(lower, word) {
			return true
		}
	}
	return false
}

// minScrubbed is the shortest credential also masked where the answer echoes
// it: a shorter one would be masked inside unrelated words.
const minScrubbed = 6

// scrubAttempt is a as the history stores it: its credential headers
// masked, and, where the answer echoes one of their values (a debugging
// endpoint does), masked there too.
func scrubAttempt(a Attempt) Attempt {
	var echoed []string
	for name, vs := range a.Request.Header {
		if !IsCredentialHeader(name) {
			continue
		}
		for _, v := range vs {
			if len(v) >= minScrubbed {
				echoed = append(echoed, v)
			}
			if _, token, ok := strings.Cut(v, " "); ok && len(token) >= minScrubbed {
				echoed = append(echoed, token)
			}
		}
	}
	// Longest first, so a whole value goes before the token it holds.
	slices.SortFunc(echoed, func(x, y string) int { return len(y) - len(x) })
	a.Request.Header = maskCredentials(a.Request.Header)
	a.ResponseHeader = maskCredentials(a.ResponseHeader)
	if len(echoed) == 0 {
		return a
	}
	var header http.Header
	for name, vs := range a.ResponseHeader {
		for i, v := range vs {
			if masked := replaceAll(v, echoed); masked != v {
				if header == nil {
					header = a.ResponseHeader.Clone()
				}
				header[name][i] = masked
			}
		}
	}
	if header != nil {
		a.ResponseHeader = header
	}
	if body := replaceAll(string(a.ResponseBody), echoed); body != string(a.ResponseBody) {
		a.ResponseBody = []byte(body)
	}
	return a
}

func replaceAll(s string, creds []string) string {
	for _, c := range creds {
		if strings.Contains(s, c) {
			s = strings.ReplaceAll(s, c, MaskCredential(c))
		}
	}
	return s
}

// maskCredentials returns a copy of h whose credential headers are masked,
// or h itself when it has none.
func maskCredentials(h http.Header) http.Header {
	var out http.Header
	for name, vs := range h {
		if !IsCredentialHeader(name) {
			continue
		}
		if out == nil {
			out = h.Clone()
		}
		masked := make([]string, len(vs))
		for i, v := range vs {
			masked[i] = MaskCredential(v)
		}
		out[name] = masked
	}
	if out == nil {
		return h
	}
	return out
}

// maskDots stand for the hidden part of a credential.
const maskDots = "••••"

// MaskCredential hides a credential but its scheme (RFC 9110 §11.4: "Bearer",
// "Basic"…) and, when it is long enough that they give nothing away, its
// last four characters: "Bearer ••••c3f9", enough to tell two tokens apart.
func MaskCredential(v string) string {
	scheme, rest := "", strings.TrimSpace(v)
	if i := strings.IndexByte(rest, ' '); i > 0 && !strings.ContainsAny(rest[:i], "=;") {
		scheme, rest = rest[:i+1], strings.TrimSpace(rest[i+1:])
	}
	if rest == "" {
		return v
	}
	if len(rest) < 12 {
		return scheme + maskDots
	}
	return scheme + maskDots + rest[len(rest)-4:]
}
