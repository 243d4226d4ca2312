package store

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketWebhookLogs holds each webhook's lastCall and lastError apart from
// its project, keyed by slug and lower-cased action: a delivery then writes a
// few hundred bytes instead of the whole project (templates included), and
// changes no project. Reading a project puts them back in its webhooks.
var bucketWebhookLogs = []byte("webhooklogs")

type webhookLog struct {
	LastCall  *LastCall  `json:"lastCall,omitempty"`
	LastError *LastError `json:"lastError,omitempty"`
}

func webhookLogKey(slug, action string) []byte {
	return append(deliveryPrefix(slug), strings.ToLower(action)...)
}

// logAttempt updates the log of the attempt's webhook: a 2xx sets lastCall,
// another answer lastCall and lastError, no answer lastError. It does not
// read the project: a log of an action the project has no webhook for is
// never shown, and PutProject drops it before such a webhook is added.
func logAttempt(tx *bolt.Tx, a *Attempt) error {
	if a.Project == Unsorted {
		return nil
	}
	b := tx.Bucket(bucketWebhookLogs)
	k := webhookLogKey(a.Project, a.Action)
	var l webhookLog
	if v := b.Get(k); v != nil {
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("webhook log %s/%s: %w", a.Project, a.Action, err)
		}
	}
	date := a.At.UTC()
	switch {
	case a.StatusCode == 0:
		msg := a.Error
		if msg == "" {
			msg = "no answer"
		}
		l.LastError = &LastError{StatusCode: 0, Message: msg, Date: date}
	case a.OK():
		l.LastCall = &LastCall{StatusCode: a.StatusCode, Message: a.StatusMessage(), Date: date}
	default:
		l.LastCall = &LastCall{StatusCode: a.StatusCode, Message: a.StatusMessage(), Date: date}
		body := a.ResponseBody
		if len(body) > maxLogBody {
			body = body[:maxLogBody]
		}
		l.LastError = &LastError{StatusCode: a.StatusCode, Message: a.StatusMessage(), Body: string(body), Date: date}
	}
	v, err := json.Marshal(&l)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// attachLogs puts the stored logs in p's webhooks. A project written before
// logs had their own bucket keeps the log of its record until a delivery or
// the migration at open replaces it.
func attachLogs(tx *bolt.Tx, p *Project) error {
	b := tx.Bucket(bucketWebhookLogs)
	for i := range p.Webhooks {
		w := &p.Webhooks[i]
		v := b.Get(webhookLogKey(p.Slug, w.Action))
		if v == nil {
			continue
		}
		var l webhookLog
		if err := json.Unmarshal(v, &l); err != nil {
			return fmt.Errorf("webhook log %s/%s: %w", p.Slug, w.Action, err)
		}
		w.LastCall, w.LastError = l.LastCall, l.LastError
	}
	return nil
}

// putWebhookLogs stores the logs p's webhooks carry, and drops the logs of
// actions p has no webhook for: a webhook added later starts with no log.
func putWebhookLogs(tx *bolt.Tx, p *Project) error {
	if err := deleteWebhookLogs(tx, p.Slug); err != nil {
		return err
	}
	b := tx.Bucket(bucketWebhookLogs)
	for _, w := range p.Webhooks {
		if w.LastCall == nil && w.LastError == nil {
			continue
		}
		v, err := json.Marshal(webhookLog{LastCall: w.LastCall, LastError: w.LastError})
		if err != nil {
			return err
		}
		if err := b.Put(webhookLogKey(p.Slug, w.Action), v); err != nil {
			return err
		}
	}
	return nil
}

func deleteWebhookLogs(tx *bolt.Tx, slug string) error {
	b := tx.Bucket(bucketWebhookLogs)
	for _, k := range keysWithPrefix(b, deliveryPrefix(slug)) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// withoutLogs is p as its record stores it: the logs live in their bucket.
func withoutLogs(p *Project) *Project {
	q := *p
	q.Webhooks = make([]Webhook, len(p.Webhooks))
	for i, w := range p.Webhooks {
		w.LastCall, w.LastError = nil, nil
		q.Webhooks[i] = w
	}
	return &q
}

// initWebhookLogs creates the logs' bucket and, in a file written before it
// existed, moves the logs out of the project records.
func initWebhookLogs(tx *bolt.Tx) error {
	if tx.Bucket(bucketWebhookLogs) != nil {
		return nil
	}
	if _, err := tx.CreateBucket(bucketWebhookLogs); err != nil {
		return err
	}
	all, err := readProjects(tx)
	if err != nil {
		return err
	}
	for i := range all {
		if err := putWebhookLogs(tx, &all[i]); err != nil {
			return err
		}
		if err := putProject(tx, &all[i]); err != nil {
			return err
		}
	}
	return nil
}
