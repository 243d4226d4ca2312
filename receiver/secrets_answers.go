package receiver

import (
	"net/http"
	"sort"
	"strings"

	"hookscope/store"
)

// answerProject is p as an answer shows it: masked, unless the request
// asks to reveal.
func answerProject(r *http.Request, p store.Project) store.Project {
	if revealAsked(r) {
		return p
	}
	return maskProject(p)
}

// answerWebhook is NewWebhookJSON with the Authorization value masked,
// unless the request asks to reveal.
func answerWebhook(r *http.Request, w store.Webhook) WebhookJSON {
	out := NewWebhookJSON(w)
	if !revealAsked(r) {
		out.Header = maskSecret(out.Header)
	}
	return out
}

// scrubber hides credentials in what an answer echoes of the requests
// Hookscope sent and of their answers: the values of credential headers
// (a replayed capture's own Authorization included), and any of a
// project's secrets wherever it is in a header value.
type scrubber struct {
	reveal bool
	// secrets are longest first, so a secret is replaced before a shorter
	// one it holds.
	secrets []string
}

// minScrubbed is the shortest secret replaced inside a longer value; a
// shorter one is masked only as a whole value (a 3-letter secret would
// otherwise be masked inside unrelated words).
const minScrubbed = 6

// newScrubber scrubs p's secrets (p may be nil) unless r asks to reveal.
func newScrubber(r *http.Request, p *store.Project) scrubber {
	s := scrubber{reveal: revealAsked(r)}
	if p == nil || s.reveal {
		return s
	}
	add := func(v string) {
		if v != "" {
			s.secrets = append(s.secrets, v)
		}
	}
	add(p.Secret)
	for _, v := range p.PreviousSecrets {
		add(v)
	}
	for _, w := range p.Webhooks {
		for _, h := range w.Headers {
			if secretHeader(h.Name) {
				add(h.Value)
			}
		}
	}
	sort.SliceStable(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
	return s
}

// attempt is NewAttemptJSON of a with its headers scrubbed.
func (s scrubber) attempt(a store.Attempt) AttemptJSON {
	a.Request.Header = s.header(a.Request.Header)
	a.ResponseHeader = s.header(a.ResponseHeader)
	return NewAttemptJSON(a)
}

func (s scrubber) header(h http.Header) http.Header {
	if s.reveal || h == nil {
		return h
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		scrubbed := make([]string, len(values))
		for i, v := range values {
			scrubbed[i] = s.value(name, v)
		}
		out[name] = scrubbed
	}
	return out
}

func (s scrubber) value(name, v string) string {
	if credentialHeader(name) {
		return maskSecret(v)
	}
	for _, secret := range s.secrets {
		switch {
		case v == secret:
			return maskSecret(v)
		case len(secret) >= minScrubbed:
			v = strings.ReplaceAll(v, secret, maskSecret(secret))
		}
	}
	return v
}

// credentialHeader reports whether a header's name says its value is a
// credential: Authorization, Proxy-Authorization, cookies, and names such
// as X-Auth-Token, X-Api-Key or X-Client-Secret.
func credentialHeader(name string) bool {
	lower := strings.ToLower(name)
	if lower == "cookie" || lower == "set-cookie" {
		return true
	}
	for _, part := range []string{"auth", "token", "secret", "password", "api-key", "apikey", "access-key", "session"} {
		if strings.Contains(lower, part) {
			return true
		}
	}
	return false
}
