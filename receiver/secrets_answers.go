package receiver

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"hookscope/store"
)

// answerProject is p as an answer shows it: masked, unless the request
// asks to reveal. A webhook's lastError body is what its target answered,
// which may echo the request's credentials.
func answerProject(r *http.Request, p store.Project) store.Project {
	if revealAsked(r) {
		return p
	}
	scrub := newScrubber(r, &p)
	p = maskProject(p)
	for i, w := range p.Webhooks {
		if w.LastError != nil {
			e := *w.LastError
			e.Body = scrub.text(e.Body)
			p.Webhooks[i].LastError = &e
		}
	}
	return p
}

// answerWebhook is NewWebhookJSON of p's webhook w with the Authorization
// value masked and p's secrets scrubbed from the lastError body, unless the
// request asks to reveal.
func answerWebhook(r *http.Request, p store.Project, w store.Webhook) WebhookJSON {
	if !revealAsked(r) {
		w = maskProject(store.Project{Webhooks: []store.Webhook{w}}).Webhooks[0]
		if e := w.LastError; e != nil {
			scrubbed := *e
			scrubbed.Body = newScrubber(r, &p).text(e.Body)
			w.LastError = &scrubbed
		}
	}
	return NewWebhookJSON(w)
}

// scrubber hides credentials in what an answer echoes of the requests
// Hookscope sent and of their answers: the values of credential headers
// (a replayed capture's own Authorization included), and any of a
// project's secrets in a header value or a text answer body.
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
	sortLongestFirst(s.secrets)
	return s
}

// attempt is NewAttemptJSON of a, scrubbed.
func (s scrubber) attempt(a store.Attempt) AttemptJSON { return NewAttemptJSON(s.scrubAttempt(a)) }

// scrubAttempt is a with its headers scrubbed, and its response body when
// it is text: a target may echo what it got, so the credentials masked in
// the request are masked in the answer too.
func (s scrubber) scrubAttempt(a store.Attempt) store.Attempt {
	if s.reveal {
		return a
	}
	s = s.with(credentials(a.Request.Header))
	a.Request.Header = s.header(a.Request.Header)
	a.ResponseHeader = s.header(a.ResponseHeader)
	if len(s.secrets) > 0 && utf8.Valid(a.ResponseBody) {
		a.ResponseBody = []byte(s.text(string(a.ResponseBody)))
	}
	return a
}

// with is s scrubbing more secrets as well.
func (s scrubber) with(more []string) scrubber {
	if len(more) == 0 {
		return s
	}
	s.secrets = append(slices.Clone(s.secrets), more...)
	sortLongestFirst(s.secrets)
	return s
}

// credentials are the values of h's credential headers.
func credentials(h http.Header) []string {
	var out []string
	for name, values := range h {
		if store.IsCredentialHeader(name) {
			for _, v := range values {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

func sortLongestFirst(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
}

// text is v with each of the secrets in it masked.
func (s scrubber) text(v string) string {
	for _, secret := range s.secrets {
		if v == secret || len(secret) >= minScrubbed {
			v = strings.ReplaceAll(v, secret, maskSecret(secret))
		}
	}
	return v
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
	if store.IsCredentialHeader(name) {
		return maskSecret(v)
	}
	return s.text(v)
}
