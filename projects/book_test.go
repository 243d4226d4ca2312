package projects

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"hookscope/signature/signaturetest"
	"hookscope/store"
)

// waitProject waits for the book's cache to see a project change.
func waitProject(t *testing.T, b *Book, slug string, ok func(store.Project) bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if p, found := b.Get(slug); found && ok(p) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the book did not pick up project %s", slug)
}

// An imported capture gets its project and signature verdict as if it had
// arrived here, judged as of when it was received.
func TestClassifyImportedCaptures(t *testing.T) {
	b := New(openStore(t))
	if _, err := b.Save("", store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_test_secret", Scheme: "stripe"}, ""); err != nil {
		t.Fatal(err)
	}
	waitProject(t, b, "shop", func(store.Project) bool { return true })
	body := []byte(`{"id":"evt_1"}`)
	at := time.Now().Add(-48 * time.Hour) // far outside Stripe's tolerance today
	req := signaturetest.Request(t, "stripe", "whsec_test_secret", "http://127.0.0.1/shop/stripe", body, at)
	c := &store.Capture{ReceivedAt: at, Method: "POST", Path: "/shop/stripe", Header: req.Header, Body: body, Project: "elsewhere"}
	b.Classify(c)
	if c.Project != "shop" || c.Signature.Status != "valid" || c.Signature.Scheme != "stripe" {
		t.Fatalf("classified: project %q signature %+v", c.Project, c.Signature)
	}
	other := &store.Capture{ReceivedAt: at, Method: "POST", Path: "/nobody/x", Body: body, Project: "shop"}
	b.Classify(other)
	if other.Project != "" || other.Signature.Status != "unsigned" {
		t.Fatalf("a path of no project: project %q signature %+v", other.Project, other.Signature)
	}
}

func TestPutProjectRefusesInvalidWithFields(t *testing.T) {
	b := New(openStore(t))
	p := validProject()
	p.Webhooks[1].URL = "example.com"
	_, err := b.Save("", p, "")
	var fields FieldErrors
	if !errors.As(err, &fields) {
		t.Fatalf("want FieldErrors, got %v", err)
	}
	if fields["webhooks[1].url"] != "URL must start with http:// or https://" {
		t.Fatalf("fields %v", fields)
	}
	if _, err := b.st.Project("shop"); !errors.Is(err, store.ErrProjectNotFound) {
		t.Fatalf("an invalid project was stored: %v", err)
	}
}

// Saving under a new slug renames and writes the edits at once: the project,
// its webhook logs and its captures move; a save that is refused leaves the
// project under its old slug with its old settings.
func TestSaveRenamesAndPutsAtomically(t *testing.T) {
	st := openStore(t)
	b := New(st)
	orig, err := b.Save("", validProject(), "")
	if err != nil {
		t.Fatal(err)
	}
	c := &store.Capture{Method: "POST", Path: "/shop/ingested", Project: "shop", Header: http.Header{}, Body: []byte("{}")}
	if err := st.Put(c); err != nil {
		t.Fatal(err)
	}

	refused := orig
	refused.Slug, refused.Name = "store", "Store"
	refused.Webhooks = append([]store.Webhook(nil), orig.Webhooks...)
	refused.Webhooks[0].URL = "ftp://example.com/"
	if _, err := b.Save("shop", refused, ""); !errors.As(err, new(FieldErrors)) {
		t.Fatalf("an invalid rename: %v", err)
	}
	if got, err := st.Project("shop"); err != nil || got.Name != "Shop" {
		t.Fatalf("after a refused rename the old slug holds %+v, %v", got, err)
	}
	if _, err := st.Project("store"); !errors.Is(err, store.ErrProjectNotFound) {
		t.Fatalf("a refused rename created the new slug: %v", err)
	}

	edited := orig
	edited.Slug, edited.Name = "store", "Store"
	saved, err := b.Save("shop", edited, "")
	if err != nil {
		t.Fatal(err)
	}
	if saved.Slug != "store" || saved.Name != "Store" {
		t.Fatalf("saved %+v", saved)
	}
	if _, err := st.Project("shop"); !errors.Is(err, store.ErrProjectNotFound) {
		t.Fatalf("the old slug stayed: %v", err)
	}
	if got, _ := st.Get(c.ID); got.Project != "store" {
		t.Fatalf("the capture stayed in %q", got.Project)
	}
}

// A write that fails inside the save's transaction (bbolt refuses a key
// longer than 32 KiB) after the old record was deleted leaves the project
// under its old slug.
func TestSaveProjectIsOneTransaction(t *testing.T) {
	st := openStore(t)
	if err := st.PutProject(validProject()); err != nil {
		t.Fatal(err)
	}
	p := validProject()
	p.Slug = strings.Repeat("a", 40<<10)
	if err := st.SaveProject("shop", p); err == nil {
		t.Fatal("a 40 KiB key was stored")
	}
	if got, err := st.Project("shop"); err != nil || got.Name != "Shop" {
		t.Fatalf("after a failed save the old slug holds %+v, %v", got, err)
	}
}

// A new project may not take a slug in use, even when the caller's list of
// projects was out of date: the store's own check is answered as a field
// error.
func TestSaveRefusesATakenSlug(t *testing.T) {
	st := openStore(t)
	b := New(st)
	if _, err := b.Save("", store.Project{Slug: "shop"}, ""); err != nil {
		t.Fatal(err)
	}
	var fields FieldErrors
	if _, err := b.Save("", store.Project{Slug: "shop", Name: "Again"}, ""); !errors.As(err, &fields) || fields["slug"] == "" {
		t.Fatalf("a second shop: %v", err)
	}
	if err := st.SaveProject("", store.Project{Slug: "shop"}); !errors.Is(err, store.ErrProjectExists) {
		t.Fatalf("the store let a new project take a slug in use: %v", err)
	}
	if _, err := b.Save("", store.Project{Slug: "other"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Save("other", store.Project{Slug: "shop"}, ""); !errors.As(err, &fields) || fields["slug"] == "" {
		t.Fatalf("a rename onto shop: %v", err)
	}
	if err := b.Delete("other"); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete("other"); !errors.Is(err, store.ErrProjectNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

// A capture belongs to the project its first path segment names, exactly:
// "/shopping" is not "/shop"'s.
func TestClassifyByFirstSegment(t *testing.T) {
	b := New(openStore(t))
	if _, err := b.Save("", store.Project{Slug: "shop", Response: store.ProjectResponse{Status: 202, DelaySeconds: 2}}, ""); err != nil {
		t.Fatal(err)
	}
	waitProject(t, b, "shop", func(store.Project) bool { return true })
	for path, want := range map[string]string{"/shop": "shop", "/shop/": "shop", "/shop/orders/1": "shop", "/shopping/x": "", "/": "", "/Shop/x": "", "//shop": ""} {
		c := &store.Capture{Method: "POST", Path: path, Header: http.Header{}}
		p, ok := b.Classify(c)
		if c.Project != want || ok != (want != "") || p.Slug != want {
			t.Errorf("%s: project %q (%v, %q), want %q", path, c.Project, ok, p.Slug, want)
		}
		if c.Signature.Status != "unsigned" {
			t.Errorf("%s: signature %+v", path, c.Signature)
		}
	}
	if d := AnswerDelay(store.Project{Response: store.ProjectResponse{DelaySeconds: 2}}); d != 2*time.Second {
		t.Errorf("delay %v", d)
	}
	if d := AnswerDelay(store.Project{Response: store.ProjectResponse{DelaySeconds: 3600}}); d != store.MaxResponseDelay {
		t.Errorf("a stored delay above the bound: %v", d)
	}
}
