package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/net/http/httpguts"
)

// Project groups the captures sent to /{slug}/... and says where their
// webhooks go. It is stored as JSON in the projects bucket under its slug
// (its webhooks' lastCall and lastError apart, in the webhooklogs bucket);
// the JSON field names are those of the API (and, for the webhook log, those
// of Isahit Lab's get_webhook output).
type Project struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Secret signs and verifies the project's webhooks; Scheme names the
	// signature scheme (one of signature.Schemes, "" to detect).
	Secret string `json:"secret"`
	// PreviousSecrets are the secrets this one replaced, newest first, at
	// most MaxPreviousSecrets. PutProject maintains them; a client's value is
	// ignored.
	PreviousSecrets []string         `json:"previousSecrets,omitempty"`
	Scheme          string           `json:"scheme"`
	Signature       SignatureOptions `json:"signature,omitzero"`
	// Response is what the receiver answers the project's captures with.
	Response ProjectResponse `json:"response"`
	// Forward sends each capture on to the webhook of its action.
	Forward  bool      `json:"forward"`
	Webhooks []Webhook `json:"webhooks"`
	// Templates override the built-in sample events, keyed by template name
	// ("integration") or by template and action ("integration/modified").
	Templates map[string]string `json:"templates,omitempty"`
	// Notify is which of its captures raise a desktop notification: "all",
	// "problems" (a bad signature, a failed delivery, a truncated body),
	// "off", or "" for the default from Settings.
	Notify string `json:"notify,omitempty"`
}

// SignatureOptions tune the generic schemes of the signature package.
type SignatureOptions struct {
	Header        string `json:"header,omitempty"`
	Algorithm     string `json:"algorithm,omitempty"`
	Encoding      string `json:"encoding,omitempty"`
	Prefix        string `json:"prefix,omitempty"`
	PublicBaseURL string `json:"publicBaseURL,omitempty"`
}

// ProjectResponse is a custom answer to the project's captures, used to test
// a sender's retries and timeouts. Status 0 keeps the receiver's default
// answer and an empty Body its body; a capture cut at the receiver's body
// limit is answered 413 whatever the project asks.
type ProjectResponse struct {
	Status       int               `json:"status"`
	Headers      map[string]string `json:"headers,omitempty"`
	Body         string            `json:"body"`
	DelaySeconds float64           `json:"delaySeconds"`
}

// Webhook is where one action of a project is delivered, with the log of its
// last call and last error.
type Webhook struct {
	Action  string        `json:"action"`
	URL     string        `json:"url"`
	Headers []HeaderField `json:"headers"`
	Enabled bool          `json:"enabled"`
	// UpdatedAt, LastCall and LastError are kept by the store: PutProject
	// ignores a client's values.
	UpdatedAt time.Time  `json:"updatedAt,omitzero"`
	LastCall  *LastCall  `json:"lastCall,omitempty"`
	LastError *LastError `json:"lastError,omitempty"`
}

// HeaderField is one header a webhook adds to its requests. A list rather
// than a map keeps the order the user typed them in.
type HeaderField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// LastCall is the outcome of the last call that got an HTTP answer.
type LastCall struct {
	StatusCode int       `json:"statusCode"`
	Message    string    `json:"message"`
	Date       time.Time `json:"date"`
}

// LastError is the last call that failed: a non-2xx answer (with its body)
// or a network error (StatusCode 0, Message says why).
type LastError struct {
	StatusCode int       `json:"statusCode"`
	Message    string    `json:"message"`
	Body       string    `json:"body"`
	Date       time.Time `json:"date"`
}

// Header returns the value of the named header (case-insensitive), or "".
func (w Webhook) Header(name string) string {
	for _, h := range w.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Webhook returns the project's webhook for action, compared
// case-insensitively.
func (p Project) Webhook(action string) (Webhook, bool) {
	for _, w := range p.Webhooks {
		if strings.EqualFold(w.Action, action) {
			return w, true
		}
	}
	return Webhook{}, false
}

// DefaultActions are the actions a new project's form offers, those of the
// integration callbacks.
var DefaultActions = []string{"ingested", "modified", "excluded"}

// DefaultWebhookAction names the webhook that receives forwarded captures
// whose action has no webhook of its own.
const DefaultWebhookAction = "default"

// MaxPreviousSecrets bounds Project.PreviousSecrets.
const MaxPreviousSecrets = 5

// MaxSlugLen is the longest slug: one DNS label, so a slug can also name a
// subdomain of a tunnel.
const MaxSlugLen = 63

// MaxResponseDelay bounds ProjectResponse.DelaySeconds.
const MaxResponseDelay = 30 * time.Second

// maxLogBody bounds LastError.Body: the project record is read for every
// capture, so it must stay small; the whole body is in the delivery.
const maxLogBody = 64 << 10

// ErrProjectNotFound is returned for a slug the store does not hold.
var ErrProjectNotFound = errors.New("project not found")

// ValidationError lists what is wrong with a project, by field path.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	paths := make([]string, 0, len(e.Fields))
	for p := range e.Fields {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = p + ": " + e.Fields[p]
	}
	return "invalid project: " + strings.Join(parts, "; ")
}

var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	actionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// ValidateProject checks p and returns a message per invalid field, keyed by
// its path ("slug", "webhooks[1].url", "webhooks[0].headers[2].name",
// "response.status", …); it returns nil when p is valid. existing are the
// other projects: a slug one of them uses is a duplicate. (PutProject, which
// updates a project in place, passes the projects of other slugs.)
func ValidateProject(p Project, existing []Project) map[string]string {
	errs := map[string]string{}
	switch {
	case p.Slug == "":
		errs["slug"] = "slug is required"
	case len(p.Slug) > MaxSlugLen:
		errs["slug"] = fmt.Sprintf("slug must be at most %d characters", MaxSlugLen)
	case !slugRE.MatchString(p.Slug):
		errs["slug"] = "use lowercase letters, digits and single dashes between them (e.g. my-shop)"
	default:
		for _, o := range existing {
			if o.Slug == p.Slug {
				errs["slug"] = fmt.Sprintf("slug %q is already used by another project", p.Slug)
				break
			}
		}
	}
	if len(p.Name) > 200 {
		errs["name"] = "name must be at most 200 characters"
	}

	validateSignatureOptions(p.Signature, errs)
	validateResponse(p.Response, errs)
	validateNotify(p.Notify, errs)

	seen := map[string]int{}
	for i, w := range p.Webhooks {
		validateWebhook(i, w, seen, errs)
	}

	for name, text := range p.Templates {
		path := "templates." + name
		if strings.TrimSpace(name) == "" {
			errs["templates"] = "a template needs a name"
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			errs[path] = "template must be a JSON object: " + err.Error()
		} else if v == nil {
			errs[path] = "template must be a JSON object, not null"
		} else if base, _, _ := strings.Cut(name, "/"); base == batchedTemplate && !hasRecordArray(v) {
			errs[path] = `the integration template sends records in batches: it needs a top-level array whose first element is the record pattern, e.g. {"docs": [{"id": "{{id}}"}]}`
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// batchedTemplate is the sample-event template delivery sends in batches of
// records (delivery.TemplateIntegration); an override of it must say where
// its records go.
const batchedTemplate = "integration"

func hasRecordArray(v map[string]any) bool {
	for _, m := range v {
		if arr, ok := m.([]any); ok && len(arr) > 0 {
			return true
		}
	}
	return false
}

func validateSignatureOptions(o SignatureOptions, errs map[string]string) {
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

func validateResponse(r ProjectResponse, errs map[string]string) {
	// 1xx answers are not final: a 101 leaves the sender waiting for a
	// protocol switch, a 100 is followed by net/http's own 200.
	if r.Status != 0 && (r.Status < 200 || r.Status > 599) {
		errs["response.status"] = "status must be from 200 to 599 (or 0 for the default answer)"
	}
	if r.DelaySeconds < 0 || r.DelaySeconds > MaxResponseDelay.Seconds() {
		errs["response.delaySeconds"] = fmt.Sprintf("delay must be from 0 to %g seconds", MaxResponseDelay.Seconds())
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

// validateWebhook checks webhook i; seen maps the lower-cased actions met so
// far to their index, to name the first of two duplicates.
func validateWebhook(i int, w Webhook, seen map[string]int, errs map[string]string) {
	at := fmt.Sprintf("webhooks[%d].", i)
	switch {
	case w.Action == "":
		errs[at+"action"] = "action is required"
	case len(w.Action) > 63:
		errs[at+"action"] = "action must be at most 63 characters"
	case !actionRE.MatchString(w.Action):
		// The action is the path segment after the slug.
		errs[at+"action"] = "use letters, digits, '.', '_' and '-' (the action is a path segment)"
	default:
		key := strings.ToLower(w.Action)
		if j, dup := seen[key]; dup {
			errs[at+"action"] = fmt.Sprintf("action %q is already used by webhooks[%d]", w.Action, j)
		} else {
			seen[key] = i
		}
	}
	switch {
	case w.URL == "":
		if w.Enabled {
			errs[at+"url"] = "URL is required when the webhook is enabled"
		}
	default:
		if msg := checkURL(w.URL); msg != "" {
			errs[at+"url"] = msg
		}
	}
	for j, h := range w.Headers {
		hat := fmt.Sprintf("%sheaders[%d].", at, j)
		switch {
		case h.Name == "":
			errs[hat+"name"] = "header name is required"
		case !httpguts.ValidHeaderFieldName(h.Name):
			errs[hat+"name"] = "not a valid header name (letters, digits and !#$%&'*+-.^_`|~, no spaces)"
		}
		if !httpguts.ValidHeaderFieldValue(h.Value) {
			errs[hat+"value"] = "header value must not contain line breaks or control characters"
		}
	}
}

// checkURL applies the seed's rule (the URL must start with http) and makes
// sure the rest parses into something a request can be sent to.
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

// Projects returns every project, sorted by slug.
func (s *Store) Projects() ([]Project, error) {
	var out []Project
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readProjects(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list projects: %w", err)
	}
	return out, nil
}

// readProjects decodes the projects bucket; bbolt iterates keys in byte
// order, which for slugs is their sort order.
func readProjects(tx *bolt.Tx) ([]Project, error) {
	out := []Project{}
	err := tx.Bucket(bucketProjects).ForEach(func(k, v []byte) error {
		var p Project
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("project %s: %w", k, err)
		}
		out = append(out, p)
		return attachLogs(tx, &out[len(out)-1])
	})
	return out, err
}

func getProject(tx *bolt.Tx, slug string) (Project, bool, error) {
	v := tx.Bucket(bucketProjects).Get([]byte(slug))
	if v == nil {
		return Project{}, false, nil
	}
	var p Project
	if err := json.Unmarshal(v, &p); err != nil {
		return Project{}, false, fmt.Errorf("project %s: %w", slug, err)
	}
	return p, true, attachLogs(tx, &p)
}

// putProject writes p's record; its webhooks' logs are stored apart
// (putWebhookLogs).
func putProject(tx *bolt.Tx, p *Project) error {
	v, err := json.Marshal(withoutLogs(p))
	if err != nil {
		return fmt.Errorf("project %s: %w", p.Slug, err)
	}
	return tx.Bucket(bucketProjects).Put([]byte(p.Slug), v)
}

// Project returns the project with the given slug, or ErrProjectNotFound.
func (s *Store) Project(slug string) (Project, error) {
	var p Project
	err := s.view(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		p, ok, err = getProject(tx, slug)
		if err == nil && !ok {
			err = ErrProjectNotFound
		}
		return err
	})
	if err != nil {
		return Project{}, fmt.Errorf("get project %q: %w", slug, err)
	}
	return p, nil
}

// PutProject creates or replaces the project with p's slug. An invalid
// project is refused with a *ValidationError. The store keeps what it owns:
// each webhook's log (lastCall, lastError) carries over by action, updatedAt
// moves only when the webhook's url, headers or enabled switch changed, and a
// changed secret pushes the old one onto PreviousSecrets. In the same
// transaction it records the job the change starts: a new project adopts the
// Unsorted captures its path received, a changed secret or scheme re-checks
// the project's captures (see Job).
func (s *Store) PutProject(p Project) error {
	now := s.opts.Now().UTC()
	err := s.update(func(tx *bolt.Tx) error {
		all, err := readProjects(tx)
		if err != nil {
			return err
		}
		others := all[:0:0]
		var old Project
		var exists bool
		for _, o := range all {
			if o.Slug == p.Slug {
				old, exists = o, true
				continue
			}
			others = append(others, o)
		}
		if errs := ValidateProject(p, others); errs != nil {
			return &ValidationError{Fields: errs}
		}
		p.Webhooks = mergeWebhooks(old.Webhooks, p.Webhooks, now)
		p.PreviousSecrets = old.PreviousSecrets
		if exists && old.Secret != "" && old.Secret != p.Secret {
			p.PreviousSecrets = rotateSecret(old.Secret, p.Secret, old.PreviousSecrets)
		}
		if err := putProject(tx, &p); err != nil {
			return err
		}
		if err := putWebhookLogs(tx, &p); err != nil {
			return err
		}
		return jobsOnPut(tx, &old, &p, exists)
	})
	if err != nil {
		return fmt.Errorf("save project %q: %w", p.Slug, err)
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// mergeWebhooks carries each old webhook's log over to the new webhook of
// the same action, as Isahit Lab's setup_webhook does.
func mergeWebhooks(old, updated []Webhook, now time.Time) []Webhook {
	out := make([]Webhook, len(updated))
	for i, w := range updated {
		w.UpdatedAt, w.LastCall, w.LastError = now, nil, nil
		for _, o := range old {
			if !strings.EqualFold(o.Action, w.Action) {
				continue
			}
			w.LastCall, w.LastError = o.LastCall, o.LastError
			if o.URL == w.URL && o.Enabled == w.Enabled && sameHeaders(o.Headers, w.Headers) && !o.UpdatedAt.IsZero() {
				w.UpdatedAt = o.UpdatedAt
			}
			break
		}
		if w.Headers == nil {
			w.Headers = []HeaderField{}
		}
		out[i] = w
	}
	return out
}

func sameHeaders(a, b []HeaderField) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rotateSecret puts old first in the list of previous secrets, without
// duplicates and without the secret now in force.
func rotateSecret(old, current string, prev []string) []string {
	out := []string{old}
	for _, s := range prev {
		if s != old && s != current && len(out) < MaxPreviousSecrets {
			out = append(out, s)
		}
	}
	return out
}

// DeleteProject removes the project, its webhook logs and its delivery
// history. Its captures stay and move to Unsorted: the same transaction
// records that job, which then runs in short transactions so capture is not
// held up (and resumes at the next start if cut short); it ends with a
// ProjectsChanged event (views filtered by project should reload on it).
func (s *Store) DeleteProject(slug string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketProjects)
		if b.Get([]byte(slug)) == nil {
			return ErrProjectNotFound
		}
		if err := b.Delete([]byte(slug)); err != nil {
			return err
		}
		if err := deleteDeliveries(tx, slug); err != nil {
			return err
		}
		if err := deleteWebhookLogs(tx, slug); err != nil {
			return err
		}
		return jobsOnDelete(tx, slug)
	})
	if err != nil {
		return fmt.Errorf("delete project %q: %w", slug, err)
	}
	// The project is gone before the captures move, so a capture arriving
	// meanwhile is already Unsorted.
	if _, err := s.RunAdoption("", nil); err != nil {
		return fmt.Errorf("delete project %q: move its captures to Unsorted: %w", slug, err)
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// RenameProject gives a project a new slug, keeping its webhooks, their logs
// and its delivery history; its captures follow it to the new slug, and, as
// for a new project, the Unsorted captures sent to the new path join it.
// Senders must then use the new path. The move is a job recorded with the
// rename (see Job).
func (s *Store) RenameProject(oldSlug, newSlug string) error {
	if oldSlug == newSlug {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		p, ok, err := getProject(tx, oldSlug)
		if err != nil {
			return err
		}
		if !ok {
			return ErrProjectNotFound
		}
		all, err := readProjects(tx)
		if err != nil {
			return err
		}
		others := all[:0:0]
		for _, o := range all {
			if o.Slug != oldSlug {
				others = append(others, o)
			}
		}
		p.Slug = newSlug
		if errs := ValidateProject(p, others); errs != nil {
			return &ValidationError{Fields: errs}
		}
		if err := tx.Bucket(bucketProjects).Delete([]byte(oldSlug)); err != nil {
			return err
		}
		if err := putProject(tx, &p); err != nil {
			return err
		}
		if err := moveDeliveries(tx, oldSlug, newSlug); err != nil {
			return err
		}
		if err := deleteWebhookLogs(tx, oldSlug); err != nil {
			return err
		}
		if err := putWebhookLogs(tx, &p); err != nil {
			return err
		}
		return jobsOnRename(tx, oldSlug, newSlug)
	})
	if err != nil {
		return fmt.Errorf("rename project %q to %q: %w", oldSlug, newSlug, err)
	}
	if _, err := s.RunAdoption(newSlug, nil); err != nil {
		return fmt.Errorf("rename project %q to %q: move its captures: %w", oldSlug, newSlug, err)
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}
