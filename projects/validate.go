package projects

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"

	"hookscope/delivery"
	"hookscope/projects/rules"
	"hookscope/signature"
	"hookscope/store"
)

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	actionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// Validate checks p and returns a message per invalid field (see
// FieldErrors), or nil when p is valid. others are the other projects: a
// slug one of them uses is a duplicate. listenAddr is where this Hookscope's
// receiver listens ("" when it does not): a webhook pointing at it would
// capture its own forwards.
func Validate(p store.Project, others []store.Project, listenAddr string) FieldErrors {
	errs := FieldErrors{}
	if msg := checkSlug(p.Slug, others); msg != "" {
		errs["slug"] = msg
	}
	if len(p.Name) > 200 {
		errs["name"] = "name must be at most 200 characters"
	}
	if msg := checkScheme(p.Scheme); msg != "" {
		errs["scheme"] = msg
	}
	validateSignatureOptions(p.Signature, errs)
	validateResponse(p.Response, errs)
	validateNotify(p.Notify, errs)
	validateWebhooks(p.Webhooks, listenAddr, errs)
	validateTemplates(p.Templates, errs)
	validateCompare(p.Compare, errs)
	if rs, err := RulesOf(p); err != nil {
		errs["rules"] = err.Error()
	} else {
		maps.Copy(errs, rules.Validate(rs))
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// ValidateWebhook checks one webhook's URL and headers with the rules of a
// project's webhooks, keyed relative to the webhook ("url",
// "headers[2].name"); nil when they pass. The window checks the URL and
// headers it applies to every action with it.
func ValidateWebhook(w store.Webhook, listenAddr string) FieldErrors {
	errs := FieldErrors{}
	validateTarget(w, listenAddr, errs)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkSlug(slug string, others []store.Project) string {
	switch {
	case slug == "":
		return "slug is required"
	case len(slug) > store.MaxSlugLen:
		return fmt.Sprintf("slug must be at most %d characters", store.MaxSlugLen)
	case !slugRE.MatchString(slug):
		return "use lowercase letters, digits and single dashes between them (e.g. my-shop)"
	case slices.ContainsFunc(others, func(o store.Project) bool { return o.Slug == slug }):
		return duplicateSlug(slug)
	}
	return ""
}

func duplicateSlug(slug string) string {
	return fmt.Sprintf("slug %q is already used by another project", slug)
}

// checkScheme returns what is wrong with a project's scheme name, or "": an
// unknown one would mark every capture of the project invalid.
func checkScheme(name string) string {
	if name == "" {
		return ""
	}
	var names []string
	for _, sc := range signature.Schemes() {
		if sc.Name == name {
			return ""
		}
		names = append(names, sc.Name)
	}
	return fmt.Sprintf("unknown scheme %q; use one of %s, or \"\" to detect from the headers", name, strings.Join(names, ", "))
}

func validateSignatureOptions(o store.SignatureOptions, errs FieldErrors) {
	switch strings.ToLower(o.Algorithm) {
	case "", "sha1", "sha256", "sha512":
	default:
		errs["signature.algorithm"] = "algorithm must be sha1, sha256 or sha512"
	}
	switch strings.ToLower(o.Encoding) {
	case "", "hex", "base64":
	default:
		errs["signature.encoding"] = "encoding must be hex or base64"
	}
	if o.Header != "" && !httpguts.ValidHeaderFieldName(o.Header) {
		errs["signature.header"] = "not a valid header name"
	}
	if o.PublicBaseURL != "" {
		if msg := checkURL(o.PublicBaseURL); msg != "" {
			errs["signature.publicBaseURL"] = msg
		}
	}
}

func validateResponse(r store.ProjectResponse, errs FieldErrors) {
	// 1xx answers are not final: a 101 leaves the sender waiting for a
	// protocol switch, a 100 is followed by net/http's own 200.
	if r.Status != 0 && (r.Status < 200 || r.Status > 599) {
		errs["response.status"] = "status must be from 200 to 599 (or 0 for the default answer)"
	}
	if r.DelaySeconds < 0 || r.DelaySeconds > store.MaxResponseDelay.Seconds() {
		errs["response.delaySeconds"] = fmt.Sprintf("delay must be from 0 to %g seconds", store.MaxResponseDelay.Seconds())
	}
	for name, v := range r.Headers {
		path := "response.headers." + name
		if !httpguts.ValidHeaderFieldName(name) {
			errs[path] = "not a valid header name"
		} else if !httpguts.ValidHeaderFieldValue(v) {
			errs[path] = "header value must not contain line breaks or control characters"
		}
	}
}

// validateNotify keys its message under "notify": the error text and the
// form put the path before it, so the message does not name the field again.
func validateNotify(v string, errs FieldErrors) {
	if !slices.Contains(store.NotifyChoices, v) {
		errs["notify"] = `must be "all", "problems", "off", or empty for the default`
	}
}

// validateWebhooks checks each webhook, naming the first of two that share
// an action (compared case-insensitively, as the receiver matches them).
func validateWebhooks(hooks []store.Webhook, listenAddr string, errs FieldErrors) {
	seen := map[string]int{}
	for i, w := range hooks {
		at := fmt.Sprintf("webhooks[%d].", i)
		if msg := checkAction(w.Action); msg != "" {
			errs[at+"action"] = msg
		} else if j, dup := seen[strings.ToLower(w.Action)]; dup {
			errs[at+"action"] = fmt.Sprintf("action %q is already used by webhooks[%d]", w.Action, j)
		} else {
			seen[strings.ToLower(w.Action)] = i
		}
		own := FieldErrors{}
		validateTarget(w, listenAddr, own)
		for k, v := range own {
			errs[at+k] = v
		}
	}
}

func checkAction(action string) string {
	switch {
	case action == "":
		return "action is required"
	case len(action) > 63:
		return "action must be at most 63 characters"
	case !actionRE.MatchString(action):
		// The action is the path segment after the slug.
		return "use letters, digits, '.', '_' and '-' (the action is a path segment)"
	}
	return ""
}

// validateTarget checks where a webhook sends and the headers it adds, keyed
// relative to the webhook.
func validateTarget(w store.Webhook, listenAddr string, errs FieldErrors) {
	switch {
	case w.URL == "":
		if w.Enabled {
			errs["url"] = "URL is required when the webhook is enabled"
		}
	default:
		if msg := checkURL(w.URL); msg != "" {
			errs["url"] = msg
		} else if listenAddr != "" && delivery.PointsAt(w.URL, listenAddr) {
			errs["url"] = delivery.OwnReceiverMessage
		}
	}
	for j, h := range w.Headers {
		at := fmt.Sprintf("headers[%d].", j)
		switch {
		case h.Name == "":
			errs[at+"name"] = "header name is required"
		case !httpguts.ValidHeaderFieldName(h.Name):
			errs[at+"name"] = "not a valid header name (letters, digits and !#$%&'*+-.^_`|~, no spaces)"
		}
		if !httpguts.ValidHeaderFieldValue(h.Value) {
			errs[at+"value"] = "header value must not contain line breaks or control characters"
		}
	}
}

func validateTemplates(templates map[string]string, errs FieldErrors) {
	for name, text := range templates {
		if strings.TrimSpace(name) == "" {
			errs["templates"] = "a template needs a name"
			continue
		}
		if msg := checkTemplate(name, text); msg != "" {
			errs["templates."+name] = msg
		}
	}
}

// checkTemplate says what is wrong with an override of a sample event: it
// must be a JSON object, and one of the template delivery sends in batches
// of records must say where its records go.
func checkTemplate(name, text string) string {
	var v map[string]any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return "template must be a JSON object: " + err.Error()
	}
	if v == nil {
		return "template must be a JSON object, not null"
	}
	if base, _, _ := strings.Cut(name, "/"); base == delivery.TemplateIntegration && !hasRecordArray(v) {
		return `the integration template sends records in batches: it needs a top-level array whose first element is the record pattern, e.g. {"docs": [{"id": "{{id}}"}]}`
	}
	return ""
}

func hasRecordArray(v map[string]any) bool {
	for _, m := range v {
		if arr, ok := m.([]any); ok && len(arr) > 0 {
			return true
		}
	}
	return false
}

// checkURL makes sure a webhook URL is an http or https URL (the only
// schemes a webhook is sent with) that parses into something a request can
// be sent to.
func checkURL(raw string) string {
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return "URL must start with http:// or https://"
	}
	if strings.ContainsAny(raw, " \t\r\n") {
		return "URL must not contain spaces"
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "URL does not parse: " + err.Error()
	}
	if u.Host == "" || u.Hostname() == "" {
		return "URL has no host"
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "URL port must be from 1 to 65535"
		}
	}
	return ""
}
