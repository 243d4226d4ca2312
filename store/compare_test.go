package store

import (
	"errors"
	"reflect"
	"testing"
)

// An attempt is found by its ID alone, whichever project's history holds
// it: the comparison's "answer:ID" names no project.
func TestAttemptByID(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	c := mustPut(t, s, sample("POST", "/other", "", "{}"))
	shop := record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200})
	unsorted := record(t, s, replayOf(c, Unsorted))
	for _, want := range []Attempt{shop, unsorted} {
		got, err := s.Attempt(want.ID)
		if err != nil || got.ID != want.ID || got.Project != want.Project || got.CaptureID != want.CaptureID {
			t.Errorf("Attempt(%s) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if _, err := s.Attempt(c); !errors.Is(err, ErrAttemptNotFound) {
		t.Errorf("a capture's ID: %v, want ErrAttemptNotFound", err)
	}
}

// SetProjectCompare changes the compare options and keeps the webhooks'
// logs and the previous secrets the record holds.
func TestSetProjectCompareKeepsTheRest(t *testing.T) {
	s, _ := openTemp(t, Options{})
	p := validProject()
	p.Secret = "whsec_old"
	mustPutProject(t, s, p)
	p.Secret = "whsec_new"
	mustPutProject(t, s, p)
	record(t, s, Attempt{Project: "shop", Action: "modified", StatusCode: 400, ResponseBody: []byte("bad")})
	before, _ := s.Project("shop")
	opts := CompareOptions{IgnoreKeys: []string{"timestamp"}, IgnoreHeaders: []string{"Date"}}
	if err := s.SetProjectCompare("shop", opts); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Project("shop")
	if !reflect.DeepEqual(after.Compare, opts) {
		t.Errorf("compare %+v", after.Compare)
	}
	after.Compare = CompareOptions{}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("the project changed:\n%+v\nwas\n%+v", after, before)
	}
	if err := s.SetProjectCompare("nobody", opts); !errors.Is(err, ErrProjectNotFound) {
		t.Errorf("no such project: %v", err)
	}
	if got, err := s.UnsortedCompare(); err != nil || !reflect.DeepEqual(got, CompareOptions{}) {
		t.Errorf("Unsorted before any save: %+v, %v", got, err)
	}
	if err := s.PutUnsortedCompare(opts); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UnsortedCompare(); !reflect.DeepEqual(got, opts) {
		t.Errorf("Unsorted: %+v", got)
	}
}
