package delivery

import (
	"bytes"
	"net/http"
	"slices"
	"sort"
	"unicode/utf8"

	"hookscope/signature"
	"hookscope/store"
)

// Draft is a replay of a capture as it would go before anyone edits it:
// what an edit-and-replay form starts from. Sent unchanged (ReplayOptions
// with URL Target, Header and Body as they are, Edited) it is the request
// Replay sends to the project's webhook.
type Draft struct {
	// Method is the captured method, POST when the capture has none.
	Method string
	// Target is the URL of the project's webhook the capture goes to by
	// default (see replayTarget), and Webhook that webhook's action; both ""
	// when the capture's project has no webhook with a URL for it.
	Target  string
	Webhook string
	// Header is what would be sent, one field a value: the captured
	// headers less those of the connection (see forwardHeader), with the
	// target webhook's own headers; in the order the sender sent them, then
	// the webhook's, then any other by name.
	Header []store.HeaderField
	// Body is the captured body; Binary says it is not UTF-8 text (or holds
	// a NUL) and Truncated that the receiver kept only its first bytes.
	Body      []byte
	Binary    bool
	Truncated bool
	// Resign is how the draft would be re-signed; its Scheme is "" when it
	// cannot be.
	Resign Resign
}

// Resign says how a replay would be re-signed.
type Resign struct {
	// Scheme is the project's scheme, or the one the captured headers
	// reveal when the project names none; "" when there is no project or
	// no secret to sign with.
	Scheme string
	// Title is the scheme's name for people.
	Title string
	// FreshTimestamp says the scheme signs a timestamp, so a re-signed
	// replay carries a new one; FreshID that it signs a message id too
	// (Standard Webhooks: https://www.standardwebhooks.com/ "webhook-id").
	FreshTimestamp bool
	FreshID        bool
}

// NewReplayDraft is the replay of capture that an edit-and-replay form
// starts from. project may be nil (an Unsorted capture, or a project
// deleted since).
func NewReplayDraft(capture *store.Capture, project *store.Project) Draft {
	d := Draft{
		Method:    capture.Method,
		Body:      slices.Clone(capture.Body),
		Binary:    !utf8.Valid(capture.Body) || bytes.IndexByte(capture.Body, 0) >= 0,
		Truncated: capture.Truncated,
	}
	if d.Method == "" {
		d.Method = http.MethodPost
	}
	header := forwardHeader(capture.Header)
	var hook store.Webhook
	if w, ok := replayTarget(project, capture); ok {
		hook = w
		d.Target, d.Webhook = w.URL, w.Action
		header = withWebhookHeaders(header, w)
	}
	d.Header = orderedFields(header, capture.HeaderOrder, hook.Headers)
	d.Resign = resignOf(project, capture.Header)
	return d
}

// resignOf describes how a replay of a request with header would be
// re-signed for the project.
func resignOf(project *store.Project, header http.Header) Resign {
	r := Resign{Scheme: resignScheme(project, header)}
	if r.Scheme == "" {
		return r
	}
	r.Title = r.Scheme
	for _, s := range signature.Schemes() {
		if s.Name == r.Scheme {
			r.Title, r.FreshTimestamp = s.Title, s.Timestamped
		}
	}
	r.FreshID = r.Scheme == signature.SchemeStandardWebhooks
	return r
}

// orderedFields lists h one value a field: first the names in order (as the
// sender sent them), then those of the webhook's fields, then the rest by
// name. A name's values keep their order.
func orderedFields(h http.Header, order []string, webhook []store.HeaderField) []store.HeaderField {
	names := make([]string, 0, len(h))
	seen := map[string]bool{}
	add := func(name string) {
		name = http.CanonicalHeaderKey(name)
		if _, ok := h[name]; ok && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	for _, n := range order {
		add(n)
	}
	for _, f := range webhook {
		add(f.Name)
	}
	var rest []string
	for n := range h {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	names = append(names, rest...)
	var out []store.HeaderField
	for _, n := range names {
		for _, v := range h[n] {
			out = append(out, store.HeaderField{Name: n, Value: v})
		}
	}
	return out
}
