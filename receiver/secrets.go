package receiver

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"hookscope/store"
)

// maskDots stands for what a mask hides: a fixed run, so a mask does not
// tell the secret's length either.
const maskDots = "••••••••"

// maskSecret hides s but for what lets a person recognise it: the prefix up
// to its first '_' ("whsec_") and its last 4 characters, never more than a
// quarter of it in all, so a secret under 16 characters is wholly hidden
// and the tail comes before the prefix when both do not fit.
func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	n := utf8.RuneCountInString(s)
	budget := n / 4
	tail := ""
	if budget >= 4 {
		r := []rune(s)
		tail = string(r[n-4:])
	}
	prefix := ""
	if i := strings.IndexByte(s, '_'); i >= 0 && utf8.RuneCountInString(s[:i+1])+utf8.RuneCountInString(tail) <= budget {
		prefix = s[:i+1]
	}
	return prefix + maskDots + tail
}

// isMasked reports whether v is, or holds, a mask maskSecret made.
func isMasked(v string) bool { return strings.Contains(v, maskDots) }

// revealAsked reports whether the request asks for secrets in clear
// (?reveal=1). loopbackOnly has refused other machines and proxied requests
// already; the forwarding check is repeated so that no handler can reveal
// to them should a route ever be served without it.
func revealAsked(r *http.Request) bool {
	switch r.URL.Query().Get("reveal") {
	case "1", "true":
		return forwardingHeader(r.Header) == ""
	}
	return false
}

// publicHeaders are the webhook headers whose values are not secrets; the
// value of any other header a webhook sets (Authorization, X-Api-Key, a
// tenant id…) is masked, since a name cannot tell what is secret.
var publicHeaders = map[string]bool{
	"accept": true, "accept-encoding": true, "accept-language": true, "cache-control": true,
	"content-encoding": true, "content-language": true, "content-type": true, "user-agent": true,
}

func secretHeader(name string) bool { return !publicHeaders[strings.ToLower(name)] }

// maskProject is p with its secrets masked: the secret, the previous ones
// and the values of its webhooks' headers (see publicHeaders).
func maskProject(p store.Project) store.Project {
	p.Secret = maskSecret(p.Secret)
	if p.PreviousSecrets != nil {
		prev := make([]string, len(p.PreviousSecrets))
		for i, s := range p.PreviousSecrets {
			prev[i] = maskSecret(s)
		}
		p.PreviousSecrets = prev
	}
	if p.Webhooks != nil {
		hooks := make([]store.Webhook, len(p.Webhooks))
		for i, w := range p.Webhooks {
			if w.Headers != nil {
				hs := make([]store.HeaderField, len(w.Headers))
				for j, h := range w.Headers {
					if secretHeader(h.Name) {
						h.Value = maskSecret(h.Value)
					}
					hs[j] = h
				}
				w.Headers = hs
			}
			hooks[i] = w
		}
		p.Webhooks = hooks
	}
	return p
}

// unmaskProject puts the stored secrets back where p, about to replace old,
// carries their masks — a GET, edit, PUT round trip — and returns a message
// per masked value that is the mask of no stored secret: saved as it is, it
// would destroy the secret.
func unmaskProject(p *store.Project, old store.Project) map[string]string {
	fields := map[string]string{}
	if isMasked(p.Secret) {
		if old.Secret != "" && maskSecret(old.Secret) == p.Secret {
			p.Secret = old.Secret
		} else {
			fields["secret"] = "this is a masked secret, and not the mask of the project's secret: send the secret itself"
		}
	}
	for i := range p.Webhooks {
		w := &p.Webhooks[i]
		seen := map[string]int{} // occurrences of each name so far
		for j := range w.Headers {
			h := &w.Headers[j]
			nth := seen[strings.ToLower(h.Name)]
			seen[strings.ToLower(h.Name)]++
			if !isMasked(h.Value) {
				continue
			}
			if v, ok := storedHeaderValue(old, w.Action, h.Name, nth, h.Value); ok {
				h.Value = v
				continue
			}
			fields[fmt.Sprintf("webhooks[%d].headers[%d].value", i, j)] = "this is a masked value that matches no stored value of " + h.Name + ": send the value itself"
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// storedHeaderValue finds the stored value of a header named name whose
// mask is masked: the nth of that name in the webhook of action first (two
// short values have the same mask), then any in it, then any in the others
// (the action may have been renamed in the same edit).
func storedHeaderValue(old store.Project, action, name string, nth int, masked string) (string, bool) {
	find := func(w store.Webhook) (string, bool) {
		for _, h := range w.Headers {
			if strings.EqualFold(h.Name, name) && maskSecret(h.Value) == masked {
				return h.Value, true
			}
		}
		return "", false
	}
	if w, ok := old.Webhook(action); ok {
		for _, h := range w.Headers {
			if !strings.EqualFold(h.Name, name) {
				continue
			}
			if nth == 0 && maskSecret(h.Value) == masked {
				return h.Value, true
			}
			nth--
		}
		if v, ok := find(w); ok {
			return v, true
		}
	}
	for _, w := range old.Webhooks {
		if v, ok := find(w); ok {
			return v, true
		}
	}
	return "", false
}
