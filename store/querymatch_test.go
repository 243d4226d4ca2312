package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hookscope/query"
)

// queryFixture stores one capture per name, oldest first, and returns the
// store and the name of each ID.
func queryFixture(t *testing.T) (*Store, map[ID]string) {
	t.Helper()
	s, _ := openTemp(t, Options{MaxCount: -1})
	day := func(d int) time.Time { return time.Date(2026, 12, d, 12, 0, 0, 0, time.UTC) }
	type spec struct {
		name    string
		at      time.Time
		method  string
		path    string
		project string
		status  int
		sig     string
		header  [2]string
		body    string
		coding  string
	}
	specs := []spec{
		{name: "review-b12", at: day(1), method: "POST", path: "/isahit/events", project: "isahit", status: 200, sig: "valid",
			header: [2]string{"X-Event", "onSubmit"}, body: `{"type":"review","batchId":"b-12","docs":[1,2,3],"score":1.0}`},
		{name: "annotation-b12", at: day(2), method: "POST", path: "/isahit/events", project: "isahit", status: 200, sig: "invalid",
			header: [2]string{"X-Event", "onCreate"}, body: `{"type":"annotation","batchId":"b-12","docs":[]}`},
		{name: "review-b13-gzip", at: day(3), method: "POST", path: "/isahit/hooks/x", project: "isahit", status: 500,
			body: `{"type":"review","batchId":"b-13","docs":[` + strings.Repeat("0,", 60) + `0]}`, coding: "gzip"},
		{name: "github-push", at: day(4), method: "PUT", path: "/github", status: 404,
			header: [2]string{"X-GitHub-Event", "push"}, body: strings.Repeat("a", 2<<20)},
		{name: "form", at: day(5), method: "POST", path: "/form", status: 200, body: "type=review&note=hello+world"},
	}
	names := map[ID]string{}
	for _, sp := range specs {
		c := sample(sp.method, sp.path, "", sp.body)
		c.ReceivedAt = sp.at
		id, err := s.ImportID(sp.at)
		if err != nil {
			t.Fatal(err)
		}
		c.ID = id
		c.Project = sp.project
		c.Response.Status = sp.status
		c.Signature.Status = sp.sig
		if sp.header[0] != "" {
			c.Header.Set(sp.header[0], sp.header[1])
		}
		if sp.coding == "gzip" {
			c.Header.Set("Content-Encoding", "gzip")
			c.Body = gzipped(t, c.Body)
		}
		names[mustPut(t, s, c)] = sp.name
	}
	return s, names
}

// TestQueriesInTheStore runs each field kind against a real bbolt file, as
// List pages it, IDs counts it and MatchesCapture decides a new capture.
func TestQueriesInTheStore(t *testing.T) {
	s, names := queryFixture(t)
	tests := []struct {
		q    string
		want string // names, newest first
	}{
		{"method:POST", "form review-b13-gzip annotation-b12 review-b12"},
		{"method:put", "github-push"},
		{"path:/isahit/*", "review-b13-gzip annotation-b12 review-b12"},
		{"path:/isahit/events", "annotation-b12 review-b12"},
		{"project:isahit", "review-b13-gzip annotation-b12 review-b12"},
		{"project:_unsorted", "form github-push"},
		{"status:500", "review-b13-gzip"},
		{"status:4xx", "github-push"},
		{"status>=400", "github-push review-b13-gzip"},
		{"sig:invalid", "annotation-b12"},
		{"sig:none", "form github-push review-b13-gzip"},
		{"header.x-event:onSubmit", "review-b12"},
		{"header.X-EVENT:on*", "annotation-b12 review-b12"},
		{"-header.x-event:*", "form github-push review-b13-gzip"},
		{"body.type:review", "review-b13-gzip review-b12"},
		{"body.type:review project:isahit", "review-b13-gzip review-b12"},
		{"-body.type:annotation project:isahit", "review-b13-gzip review-b12"},
		{"body.docs.#>50", "review-b13-gzip"},
		{"body.docs.#:0", "annotation-b12"},
		{"body.batchId:b-12", "annotation-b12 review-b12"},
		{"body.score:1", "review-b12"},
		{"body.docs:2", "review-b12"},
		{"after:2026-12-03", "form github-push review-b13-gzip"},
		{"before:2026-12-02", "review-b12"},
		{"after:2026-12-02 before:2026-12-04", "review-b13-gzip annotation-b12"},
		{"size>1mb", "github-push"},
		// The size is of the body as received: the gzip one is small.
		{"size<1kb -method:PUT", "form review-b13-gzip annotation-b12 review-b12"},
		{"b-13", "review-b13-gzip"},
		{`"hello world"`, "form"},
		{"review -body.type:review", "form"},
		{"onsubmit b-12", "review-b12"},
		{"body.type:nothing", ""},
	}
	for _, tt := range tests {
		q, err := query.Parse(tt.q, time.UTC)
		if err != nil {
			t.Fatalf("%s: %v", tt.q, err)
		}
		f := Filter{Query: q}
		page, _, err := s.List(f, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sum := range page {
			got = append(got, names[sum.ID])
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("List %s = %q, want %q", tt.q, strings.Join(got, " "), tt.want)
		}
		ids, err := s.IDs(f)
		if err != nil {
			t.Fatal(err)
		}
		var fromIDs, fromCapture []string
		for _, id := range slices.Backward(ids) {
			fromIDs = append(fromIDs, names[id])
		}
		for id, name := range names {
			c, err := s.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			if f.MatchesCapture(c) {
				fromCapture = append(fromCapture, name)
			}
		}
		if strings.Join(fromIDs, " ") != tt.want {
			t.Errorf("IDs %s = %q, want %q", tt.q, strings.Join(fromIDs, " "), tt.want)
		}
		want := strings.Fields(tt.want)
		slices.Sort(want)
		slices.Sort(fromCapture)
		if !slices.Equal(fromCapture, want) {
			t.Errorf("MatchesCapture %s = %q, want %q", tt.q, fromCapture, want)
		}
	}
}

// A query's summary terms decide a new capture from its summary alone; the
// others need the capture.
func TestQueryNeedsCaptureOnlyForHeadersBodiesAndText(t *testing.T) {
	for q, want := range map[string]bool{
		"method:POST status:500 size>1mb": false, "body.type:x": true, "header.a:b": true, "word": true,
	} {
		parsed, err := query.Parse(q, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := (Filter{Query: parsed}).NeedsCapture(); got != want {
			t.Errorf("%s: NeedsCapture = %v", q, got)
		}
	}
	q, _ := query.Parse("method:POST status:500", time.UTC)
	f := Filter{Query: q}
	if !f.MatchesSummary(Summary{Method: "POST", Status: 500}) || f.MatchesSummary(Summary{Method: "POST", Status: 200}) {
		t.Error("MatchesSummary ignores the query's summary terms")
	}
}

// fillIsahit100k stores 100,000 Isahit-like events, a quarter of them reviews.
func fillIsahit100k(b *testing.B) *Store {
	s, _ := openTemp(b, Options{MaxCount: -1})
	const n = 100_000
	sem := make(chan struct{}, 64)
	errs := make(chan error, n)
	for i := range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			kind := []string{"annotation", "review", "annotation", "validation"}[i%4]
			body := fmt.Sprintf(`{"type":%q,"batchId":"b-%d","taskId":"t-%d","docs":[1,2,3],"note":"%s"}`, kind, i%50, i, strings.Repeat("x", 700))
			c := sample("POST", "/isahit/events", "", body)
			c.Project = "isahit"
			if err := s.Put(c); err != nil {
				errs <- err
			}
		}()
	}
	for range cap(sem) {
		sem <- struct{}{}
	}
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return s
}

// BenchmarkQueryFirstPage100k is the window's first page of a field query
// over 100,000 captures: the 50 newest review events of one project, then a
// query that matches none (a scan of everything).
func BenchmarkQueryFirstPage100k(b *testing.B) {
	s := fillIsahit100k(b)
	for _, q := range []string{"body.type:review project:isahit", "body.batchId:b-7 header.content-type:application/json*", "body.type:nothing"} {
		parsed, err := query.Parse(q, time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.List(Filter{Query: parsed}, 0, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
