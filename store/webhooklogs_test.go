package store

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func projectRecord(t *testing.T, s *Store, slug string) []byte {
	t.Helper()
	var v []byte
	mustView(t, s, func(tx *bolt.Tx) error {
		v = append([]byte(nil), tx.Bucket(bucketProjects).Get([]byte(slug))...)
		return nil
	})
	return v
}

func TestDeliveriesChangeNoProjectRecordAndNoProjectsEvent(t *testing.T) {
	s, _ := openTemp(t, Options{})
	p := validProject()
	// A large template, as a real project may have: it was rewritten with
	// every delivery.
	p.Templates["big"] = `{"docs": [{"id": "{{id}}", "pad": "` + strings.Repeat("x", 900<<10) + `"}]}`
	mustPutProject(t, s, p)
	before := projectRecord(t, s, "shop")
	sub := s.Subscribe(ProjectsChanged, DeliveryRecorded)
	defer sub.Close()
	for i := range 100 {
		a := Attempt{Project: "shop", Action: "ingested", At: t0.Add(time.Duration(i) * time.Second), StatusCode: 200}
		if i == 50 {
			a.StatusCode, a.ResponseBody = 500, []byte("boom")
		}
		record(t, s, a)
	}
	if after := projectRecord(t, s, "shop"); !bytes.Equal(before, after) {
		t.Fatalf("100 deliveries rewrote the project record (%d → %d bytes)", len(before), len(after))
	}
	delivered := 0
	for len(sub.Events()) > 0 {
		e := <-sub.Events()
		if e.Type == ProjectsChanged {
			t.Fatal("a delivery announced ProjectsChanged")
		}
		if e.Project != "shop" || e.Action != "ingested" {
			t.Fatalf("DeliveryRecorded for %q/%q", e.Project, e.Action)
		}
		// The window notifies the failed one (the 51st attempt).
		if want := map[bool]string{true: "500 Internal Server Error"}[delivered == 50]; e.Failure != want {
			t.Fatalf("attempt %d: Failure %q, want %q", delivered, e.Failure, want)
		}
		delivered++
	}
	if delivered != 100 {
		t.Fatalf("%d DeliveryRecorded events, want 100", delivered)
	}
	got, _ := s.Project("shop")
	w, _ := got.Webhook("ingested")
	if w.LastCall == nil || w.LastCall.Date != t0.Add(99*time.Second) || w.LastError == nil || w.LastError.Body != "boom" {
		t.Fatalf("log read back %+v %+v", w.LastCall, w.LastError)
	}
	ps, _ := s.Projects()
	if w, _ := ps[0].Webhook("ingested"); w.LastCall == nil || w.LastError == nil {
		t.Fatal("Projects does not read the log back")
	}
}

func TestWebhookLogsFollowRenameAndGoWithTheProjectOrWebhook(t *testing.T) {
	s, _ := openTemp(t, Options{})
	p := validProject()
	mustPutProject(t, s, p)
	record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200})
	record(t, s, Attempt{Project: "shop", Action: "modified", StatusCode: 200})
	if err := s.RenameProject("shop", "store"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Project("store")
	if w, _ := got.Webhook("ingested"); w.LastCall == nil {
		t.Fatal("the log did not follow the rename")
	}
	// Remove the modified webhook, then add it back: it starts with no log.
	got.Webhooks = got.Webhooks[:1]
	mustPutProject(t, s, got)
	got.Webhooks = append(got.Webhooks, Webhook{Action: "modified", URL: "http://127.0.0.1:9/m"})
	mustPutProject(t, s, got)
	got, _ = s.Project("store")
	if w, _ := got.Webhook("modified"); w.LastCall != nil {
		t.Fatalf("a re-added webhook shows the old log %+v", w.LastCall)
	}
	if err := s.DeleteProject("store"); err != nil {
		t.Fatal(err)
	}
	mustPutProject(t, s, Project{Slug: "store", Webhooks: []Webhook{{Action: "ingested"}}})
	got, _ = s.Project("store")
	if w, _ := got.Webhook("ingested"); w.LastCall != nil {
		t.Fatal("a deleted project's log came back with a new project of its slug")
	}
}

// A file written before the logs had their own bucket keeps them.
func TestOpeningAnOlderFileKeepsItsWebhookLogs(t *testing.T) {
	s, path := openTemp(t, Options{})
	p := validProject()
	p.Webhooks[0].LastCall = &LastCall{StatusCode: 201, Message: "Created", Date: t0}
	p.Webhooks[0].LastError = &LastError{StatusCode: 502, Message: "Bad Gateway", Body: "down", Date: t0}
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := json.Marshal(&p)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketProjects).Put([]byte("shop"), v); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketWebhookLogs, bucketJobs} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	if rec := projectRecord(t, s, "shop"); bytes.Contains(rec, []byte("lastCall")) {
		t.Fatalf("the project record still holds its log: %s", rec)
	}
	record(t, s, Attempt{Project: "shop", Action: "ingested", At: t0.Add(time.Hour), StatusCode: 200})
	got, _ := s.Project("shop")
	w, _ := got.Webhook("ingested")
	if w.LastCall == nil || w.LastCall.StatusCode != 200 || w.LastError == nil || w.LastError.Body != "down" {
		t.Fatalf("log after reopening and one delivery: %+v %+v", w.LastCall, w.LastError)
	}
	if jobs, err := s.Jobs(); err != nil || len(jobs) != 0 {
		t.Fatalf("jobs of an older file: %v %v", jobs, err)
	}
}

// An attempt that got no answer tells subscribers why, for the window's
// notification of failed deliveries.
func TestDeliveryRecordedSaysWhyNoAnswerCame(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	sub := s.Subscribe(DeliveryRecorded)
	defer sub.Close()
	record(t, s, Attempt{Project: "shop", Action: "ingested", At: t0, Error: "dial tcp 127.0.0.1:9: connection refused"})
	if e := <-sub.Events(); e.Failure != "dial tcp 127.0.0.1:9: connection refused" {
		t.Fatalf("Failure %q", e.Failure)
	}
}
