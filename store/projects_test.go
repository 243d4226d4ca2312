package store

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// putProjects stores a valid project under each slug.
func putProjects(t *testing.T, s *Store, slugs ...string) {
	t.Helper()
	for _, slug := range slugs {
		p := validProject()
		p.Slug = slug
		mustPutProject(t, s, p)
	}
}

func validProject() Project {
	return Project{
		Slug: "shop",
		Name: "Shop",
		Webhooks: []Webhook{
			{Action: "ingested", URL: "http://127.0.0.1:9000/ingested", Enabled: true,
				Headers: []HeaderField{{Name: "Authorization", Value: "Bearer t0ken"}}},
			{Action: "modified", URL: "https://example.com/modified?x=1", Enabled: true},
			{Action: "excluded"}, // an empty, disabled row of the form
		},
		Response:  ProjectResponse{Status: 503, Headers: map[string]string{"Retry-After": "2"}, DelaySeconds: 1.5},
		Templates: map[string]string{"integration/modified": `{"modified": [{"id": "{{id}}"}]}`},
	}
}

// clock is a settable Now for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var t0 = time.Date(2024, 12, 17, 15, 10, 37, 619_000_000, time.UTC)

func TestRecordDeliveryUpdatesTheLog(t *testing.T) {
	tests := map[string]struct {
		attempt       Attempt
		wantLastCall  *LastCall
		wantLastError *LastError
	}{
		"200 sets lastCall": {
			attempt:      Attempt{StatusCode: 200, Status: "200 OK"},
			wantLastCall: &LastCall{StatusCode: 200, Message: "OK", Date: t0},
		},
		"204 without a reason phrase": {
			attempt:      Attempt{StatusCode: 204},
			wantLastCall: &LastCall{StatusCode: 204, Message: "No Content", Date: t0},
		},
		"400 sets both, lastError keeps the body": {
			attempt:       Attempt{StatusCode: 400, Status: "400 Bad Request", ResponseBody: []byte(`{"error":"missing docs"}`)},
			wantLastCall:  &LastCall{StatusCode: 400, Message: "Bad Request", Date: t0},
			wantLastError: &LastError{StatusCode: 400, Message: "Bad Request", Body: `{"error":"missing docs"}`, Date: t0},
		},
		"custom reason phrase": {
			attempt:       Attempt{StatusCode: 503, Status: "503 Back Soon"},
			wantLastCall:  &LastCall{StatusCode: 503, Message: "Back Soon", Date: t0},
			wantLastError: &LastError{StatusCode: 503, Message: "Back Soon", Date: t0},
		},
		"network error sets lastError only": {
			attempt:       Attempt{Error: "connection refused by 127.0.0.1:9"},
			wantLastError: &LastError{StatusCode: 0, Message: "connection refused by 127.0.0.1:9", Date: t0},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, _ := openTemp(t, Options{})
			mustPutProject(t, s, validProject())
			a := tc.attempt
			a.Project, a.Action, a.At = "shop", "INGESTED", t0.In(time.FixedZone("CET", 3600))
			if err := s.RecordDelivery(&a); err != nil {
				t.Fatal(err)
			}
			if a.ID == 0 {
				t.Fatal("RecordDelivery did not set the ID")
			}
			p, err := s.Project("shop")
			if err != nil {
				t.Fatal(err)
			}
			w, _ := p.Webhook("ingested")
			if !reflect.DeepEqual(w.LastCall, tc.wantLastCall) {
				t.Errorf("lastCall %+v, want %+v", w.LastCall, tc.wantLastCall)
			}
			if !reflect.DeepEqual(w.LastError, tc.wantLastError) {
				t.Errorf("lastError %+v, want %+v", w.LastError, tc.wantLastError)
			}
			if other, _ := p.Webhook("modified"); other.LastCall != nil || other.LastError != nil {
				t.Errorf("another webhook's log changed: %+v", other)
			}
		})
	}
}

func TestLastErrorSurvivesALaterSuccess(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	record(t, s, Attempt{Project: "shop", Action: "ingested", At: t0, StatusCode: 500, ResponseBody: []byte("boom")})
	record(t, s, Attempt{Project: "shop", Action: "ingested", At: t0.Add(time.Minute), StatusCode: 200})
	p, _ := s.Project("shop")
	w, _ := p.Webhook("ingested")
	want := Webhook{
		LastCall:  &LastCall{StatusCode: 200, Message: "OK", Date: t0.Add(time.Minute)},
		LastError: &LastError{StatusCode: 500, Message: "Internal Server Error", Body: "boom", Date: t0},
	}
	if !reflect.DeepEqual(w.LastCall, want.LastCall) || !reflect.DeepEqual(w.LastError, want.LastError) {
		t.Fatalf("log %+v %+v", w.LastCall, w.LastError)
	}
}

func record(t *testing.T, s *Store, a Attempt) Attempt {
	t.Helper()
	if err := s.RecordDelivery(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestEditingAWebhookKeepsItsLog(t *testing.T) {
	clk := &clock{t: t0}
	s, _ := openTemp(t, Options{Now: clk.Now})
	mustPutProject(t, s, validProject())
	record(t, s, Attempt{Project: "shop", Action: "ingested", At: t0.Add(time.Second), StatusCode: 200})
	record(t, s, Attempt{Project: "shop", Action: "modified", At: t0.Add(2 * time.Second), StatusCode: 400, ResponseBody: []byte("bad")})
	before, _ := s.Project("shop")

	// The form sends back what it shows, minus the log, and edits one URL.
	clk.Set(t0.Add(time.Hour))
	edited := validProject()
	edited.Webhooks[0].URL = "http://127.0.0.1:9001/new"
	edited.Webhooks[1].LastCall = &LastCall{StatusCode: 999} // a client cannot forge the log
	edited.Webhooks[1].UpdatedAt = t0.Add(99 * time.Hour)
	edited.Webhooks = append(edited.Webhooks, Webhook{Action: "review", URL: "http://localhost/review", Enabled: true})
	mustPutProject(t, s, edited)
	after, _ := s.Project("shop")
	for _, action := range []string{"ingested", "modified"} {
		b, _ := before.Webhook(action)
		a, _ := after.Webhook(action)
		if !reflect.DeepEqual(a.LastCall, b.LastCall) || !reflect.DeepEqual(a.LastError, b.LastError) {
			t.Errorf("%s: log changed from %+v/%+v to %+v/%+v", action, b.LastCall, b.LastError, a.LastCall, a.LastError)
		}
	}
	if w, _ := after.Webhook("ingested"); !w.UpdatedAt.Equal(t0.Add(time.Hour)) || w.URL != "http://127.0.0.1:9001/new" {
		t.Errorf("edited webhook: updatedAt %v url %s", w.UpdatedAt, w.URL)
	}
	if w, _ := after.Webhook("modified"); !w.UpdatedAt.Equal(t0) {
		t.Errorf("unchanged webhook's updatedAt moved to %v", w.UpdatedAt)
	}
	if w, _ := after.Webhook("review"); !w.UpdatedAt.Equal(t0.Add(time.Hour)) || w.LastCall != nil {
		t.Errorf("new webhook: %+v", w)
	}

	// Headers and the enabled switch count as edits too.
	clk.Set(t0.Add(2 * time.Hour))
	edited.Webhooks[1].Enabled = false
	edited.Webhooks[3].Headers = []HeaderField{{Name: "Authorization", Value: "x"}}
	mustPutProject(t, s, edited)
	after, _ = s.Project("shop")
	for _, action := range []string{"modified", "review"} {
		if w, _ := after.Webhook(action); !w.UpdatedAt.Equal(t0.Add(2 * time.Hour)) {
			t.Errorf("%s: updatedAt %v", action, w.UpdatedAt)
		}
	}
	if w, _ := after.Webhook("ingested"); !w.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("ingested: updatedAt %v", w.UpdatedAt)
	}
}

func TestChangedSecretBecomesPrevious(t *testing.T) {
	s, _ := openTemp(t, Options{})
	p := validProject()
	for i := 0; i < 8; i++ {
		p.Secret = fmt.Sprintf("secret-%d", i)
		mustPutProject(t, s, p)
	}
	p.PreviousSecrets = []string{"forged"} // ignored: the store keeps them
	p.Secret = "secret-7"
	mustPutProject(t, s, p)
	got, _ := s.Project("shop")
	want := []string{"secret-6", "secret-5", "secret-4", "secret-3", "secret-2"}
	if got.Secret != "secret-7" || !reflect.DeepEqual(got.PreviousSecrets, want) {
		t.Fatalf("secret %q previous %v, want %v", got.Secret, got.PreviousSecrets, want)
	}
	// Going back to an older secret takes it off the list.
	p.Secret = "secret-5"
	mustPutProject(t, s, p)
	got, _ = s.Project("shop")
	if want := []string{"secret-7", "secret-6", "secret-4", "secret-3", "secret-2"}; !reflect.DeepEqual(got.PreviousSecrets, want) {
		t.Fatalf("previous %v, want %v", got.PreviousSecrets, want)
	}
}

func TestDeleteProjectMovesCapturesToUnsorted(t *testing.T) {
	s, _ := openTemp(t, Options{})
	putProjects(t, s, "shop", "shop-2")
	// More than one chunk, with the other project's captures interleaved.
	const n = adoptChunk + 137
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := sample("POST", fmt.Sprintf("/shop/ingested/%d", i), "", "{}")
			c.Project = "shop"
			if i%3 == 0 {
				c.Path, c.Project = fmt.Sprintf("/shop-2/x/%d", i), "shop-2"
			}
			if err := s.Put(c); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mustPut(t, s, sample("GET", "/health", "", ""))
	record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200})
	record(t, s, Attempt{Project: "shop-2", Action: "ingested", StatusCode: 200})

	sub := s.Subscribe()
	defer sub.Close()
	if err := s.DeleteProject("shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Project("shop"); !errors.Is(err, ErrProjectNotFound) {
		t.Fatalf("project still there: %v", err)
	}
	wantShop2 := 0
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			wantShop2++
		}
	}
	count := func(f Filter) int {
		ids, err := s.IDs(f)
		if err != nil {
			t.Fatal(err)
		}
		return len(ids)
	}
	if got, want := count(Filter{Project: Unsorted}), n-wantShop2+1; got != want {
		t.Errorf("unsorted: %d captures, want %d", got, want)
	}
	if got := count(Filter{Project: "shop"}); got != 0 {
		t.Errorf("%d captures still in the deleted project", got)
	}
	if got := count(Filter{Project: "shop-2"}); got != wantShop2 {
		t.Errorf("shop-2: %d captures, want %d", got, wantShop2)
	}
	page, _, err := s.List(Filter{Project: Unsorted}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	// The summary is rewritten, nothing else: paths and sizes are intact.
	for _, sum := range page {
		if sum.Path != "/health" && (!strings.HasPrefix(sum.Path, "/shop/ingested/") || sum.Size != 2) {
			t.Fatalf("moved capture changed: %+v", sum)
		}
	}
	if d, _ := s.Deliveries("shop", "", 10); len(d) != 0 {
		t.Errorf("deliveries of the deleted project remain: %d", len(d))
	}
	if d, _ := s.Deliveries("shop-2", "", 10); len(d) != 1 {
		t.Errorf("another project's deliveries went: %d left", len(d))
	}
	select {
	case e := <-sub.Events():
		if e.Type != ProjectsChanged {
			t.Fatalf("event %v", e.Type)
		}
	case <-time.After(time.Second):
		t.Fatal("no ProjectsChanged event")
	}
	if err := s.DeleteProject("shop"); !errors.Is(err, ErrProjectNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestRenameProjectKeepsEverything(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	other := validProject()
	other.Slug = "taken"
	mustPutProject(t, s, other)
	c := sample("POST", "/shop/ingested", "", "{}")
	c.Project = "shop"
	id := mustPut(t, s, c)
	a := record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200, CaptureID: id})

	if err := s.RenameProject("shop", "taken"); !errors.Is(err, ErrProjectExists) {
		t.Fatalf("rename onto a used slug: %v", err)
	}
	if err := s.RenameProject("shop", "store"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Project("shop"); !errors.Is(err, ErrProjectNotFound) {
		t.Fatalf("old slug still there: %v", err)
	}
	p, err := s.Project("store")
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := p.Webhook("ingested"); w.LastCall == nil {
		t.Error("log lost in the rename")
	}
	got, err := s.Get(id)
	if err != nil || got.Project != "store" {
		t.Errorf("capture project %q (%v)", got.Project, err)
	}
	d, err := s.CaptureDeliveries(id)
	if err != nil || len(d) != 1 || d[0].ID != a.ID || d[0].Project != "store" {
		t.Errorf("deliveries after rename: %+v (%v)", d, err)
	}
}

func TestProjectsSurviveReopen(t *testing.T) {
	s, path := openTemp(t, Options{})
	p := validProject()
	p.Secret = "s3cret"
	mustPutProject(t, s, p)
	b := validProject()
	b.Slug = "a-first"
	mustPutProject(t, s, b)
	a := record(t, s, Attempt{
		Project: "shop", Action: "modified", At: t0, StatusCode: 400, Status: "400 Bad Request",
		Request:        SentRequest{Method: "POST", URL: "https://example.com/modified?x=1", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"modified":[]}`)},
		ResponseHeader: http.Header{"X-Reason": {"r"}}, ResponseBody: []byte{0xff, 0x00, 'x'}, Duration: 12 * time.Millisecond,
	})
	want, _ := s.Projects()
	s2 := reopen(t, s, path)
	got, err := s2.Projects()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Slug != "a-first" || got[1].Slug != "shop" {
		t.Fatalf("projects %+v", got)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen\n%+v\nwant\n%+v", got, want)
	}
	d, err := s2.Deliveries("shop", "modified", 10)
	if err != nil || len(d) != 1 {
		t.Fatalf("deliveries %v (%v)", d, err)
	}
	a.At = a.At.UTC()
	d[0].At = d[0].At.UTC()
	if !reflect.DeepEqual(d[0], a) {
		t.Fatalf("attempt after reopen\n%+v\nwant\n%+v", d[0], a)
	}
	// A new attempt after reopen still sorts after the old one.
	b2 := record(t, s2, Attempt{Project: "shop", Action: "modified", At: t0.Add(-time.Hour), StatusCode: 200})
	if b2.ID <= a.ID {
		t.Fatalf("new attempt %v sorts before %v", b2.ID, a.ID)
	}
}

func TestDeliveriesNewestFirstFilteredAndTrimmed(t *testing.T) {
	s, _ := openTemp(t, Options{})
	putProjects(t, s, "shop", "shop-2")
	total := MaxDeliveriesPerProject + 20
	for i := 0; i < total; i++ {
		action := "ingested"
		if i%2 == 1 {
			action = "modified"
		}
		record(t, s, Attempt{Project: "shop", Action: action, At: t0.Add(time.Duration(i) * time.Second), StatusCode: 200 + i%2})
	}
	record(t, s, Attempt{Project: "shop-2", Action: "ingested", At: t0, StatusCode: 200})

	all, err := s.Deliveries("shop", "", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != MaxDeliveriesPerProject {
		t.Fatalf("%d attempts kept, want %d", len(all), MaxDeliveriesPerProject)
	}
	if !all[0].At.Equal(t0.Add(time.Duration(total-1)*time.Second)) || !all[len(all)-1].At.Equal(t0.Add(20*time.Second)) {
		t.Fatalf("kept %v … %v", all[0].At, all[len(all)-1].At)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Fatalf("not newest first at %d", i)
		}
	}
	mod, err := s.Deliveries("shop", "Modified", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(mod) != 3 || mod[0].Action != "modified" || mod[0].StatusCode != 201 || mod[2].Action != "modified" {
		t.Fatalf("modified: %+v", mod)
	}
	if d, _ := s.Deliveries("shop-2", "", 0); len(d) != 1 {
		t.Fatalf("shop-2 has %d attempts", len(d))
	}
	if d, _ := s.Deliveries("nope", "", 0); len(d) != 0 {
		t.Fatalf("unknown project has %d attempts", len(d))
	}
}

func TestAttemptOutcome(t *testing.T) {
	tests := map[string]struct {
		give Attempt
		want string
	}{
		"ok":        {Attempt{StatusCode: 200, Status: "200 OK", Duration: 12 * time.Millisecond}, "200 OK in 12 ms"},
		"slow":      {Attempt{StatusCode: 502, Duration: 12500 * time.Millisecond}, "502 Bad Gateway in 12.5 s"},
		"refused":   {Attempt{Error: "connection refused by 127.0.0.1:9"}, "connection refused by 127.0.0.1:9"},
		"no reason": {Attempt{StatusCode: 299, Duration: 5 * time.Microsecond}, "299 status 299 in 5 µs"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.give.Outcome(); got != tc.want {
				t.Fatalf("%q, want %q", got, tc.want)
			}
		})
	}
}
