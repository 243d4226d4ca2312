package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
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
	// Rules answer the project's captures in order, first match wins;
	// Response is the fallback. The store keeps them as the JSON list it
	// was given: package projects owns them (it validates, decodes and
	// encodes them, see projects.RulesOf).
	Rules json.RawMessage `json:"rules,omitempty"`
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
	// Compare is what comparing two of its captures leaves out.
	Compare CompareOptions `json:"compare,omitzero"`
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

// ErrProjectExists is returned when a project would take a slug another
// project holds.
var ErrProjectExists = errors.New("another project has this slug")

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

// PutProject creates or replaces the project with p's slug: SaveProject
// with no rename.
func (s *Store) PutProject(p Project) error { return s.SaveProject(p.Slug, p) }

// SaveProject writes p in one transaction, first moving the project at
// origSlug to p.Slug when they differ (as RenameProject does); origSlug ""
// creates p, refusing a slug in use with ErrProjectExists. The store checks
// no rule of a project (the projects package does); it keeps what it owns:
// each webhook's log (lastCall, lastError) carries over by action, updatedAt
// moves only when the webhook's url, headers or enabled switch changed, and a
// changed secret pushes the old one onto PreviousSecrets. In the same
// transaction it records the jobs the change starts: a new project adopts the
// Unsorted captures its path received, a renamed one its own captures, a
// changed secret or scheme re-checks the project's captures (see Job).
func (s *Store) SaveProject(origSlug string, p Project) error {
	now := s.opts.Now().UTC()
	renamed := origSlug != "" && origSlug != p.Slug
	err := s.update(func(tx *bolt.Tx) error {
		if origSlug == "" && tx.Bucket(bucketProjects).Get([]byte(p.Slug)) != nil {
			return ErrProjectExists
		}
		if renamed {
			if err := renameInTx(tx, origSlug, p.Slug); err != nil {
				return err
			}
		}
		return putInTx(tx, p, now)
	})
	if err != nil {
		if renamed {
			return fmt.Errorf("save project %q as %q: %w", origSlug, p.Slug, err)
		}
		return fmt.Errorf("save project %q: %w", p.Slug, err)
	}
	if renamed {
		if _, err := s.RunAdoption(p.Slug, nil); err != nil {
			return fmt.Errorf("rename project %q to %q: move its captures: %w", origSlug, p.Slug, err)
		}
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// putInTx writes p over the record of its slug, if any.
func putInTx(tx *bolt.Tx, p Project, now time.Time) error {
	old, exists, err := getProject(tx, p.Slug)
	if err != nil {
		return err
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
			if o.URL == w.URL && o.Enabled == w.Enabled && slices.Equal(o.Headers, w.Headers) && !o.UpdatedAt.IsZero() {
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
// rename (see Job). A new slug in use is refused with ErrProjectExists.
func (s *Store) RenameProject(oldSlug, newSlug string) error {
	if oldSlug == newSlug {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error { return renameInTx(tx, oldSlug, newSlug) })
	if err != nil {
		return fmt.Errorf("rename project %q to %q: %w", oldSlug, newSlug, err)
	}
	if _, err := s.RunAdoption(newSlug, nil); err != nil {
		return fmt.Errorf("rename project %q to %q: move its captures: %w", oldSlug, newSlug, err)
	}
	s.publish(Event{Type: ProjectsChanged})
	return nil
}

// renameInTx moves the project's record, logs, deliveries and jobs from
// oldSlug to newSlug.
func renameInTx(tx *bolt.Tx, oldSlug, newSlug string) error {
	p, ok, err := getProject(tx, oldSlug)
	if err != nil {
		return err
	}
	if !ok {
		return ErrProjectNotFound
	}
	if tx.Bucket(bucketProjects).Get([]byte(newSlug)) != nil {
		return ErrProjectExists
	}
	p.Slug = newSlug
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
}
