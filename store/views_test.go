package store

import (
	"errors"
	"testing"
)

// Views are kept per project in the file: they survive a reopen, a name
// saved again replaces its query, and one project's views stay its own.
func TestViewsArePerProjectAndSurviveAReopen(t *testing.T) {
	s, path := openTemp(t, Options{})
	if vs, err := s.Views("isahit"); err != nil || len(vs) != 0 {
		t.Fatalf("a new file has views %v, %v", vs, err)
	}
	for _, v := range []View{
		{Name: "reviews", Project: "isahit", Query: "body.type:review"},
		{Name: "failures", Project: "isahit", Query: "status:5xx"},
		{Name: "reviews", Project: "isahit", Query: "body.type:review -sig:valid"},
		{Name: "pushes", Project: "", Query: "header.x-github-event:push"},
		{Name: "reviews", Project: "isahitx", Query: "x"},
	} {
		if err := s.SaveView(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveView(View{Name: "  ", Project: "isahit"}); !errors.Is(err, ErrViewName) {
		t.Errorf("a blank name: %v", err)
	}
	s.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.Views("isahit")
	want := []View{{Name: "failures", Project: "isahit", Query: "status:5xx"}, {Name: "reviews", Project: "isahit", Query: "body.type:review -sig:valid"}}
	if err != nil || len(vs) != 2 || vs[0] != want[0] || vs[1] != want[1] {
		t.Fatalf("views = %+v, %v; want %+v", vs, err, want)
	}
	if err := s.DeleteView("isahit", "failures"); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Views("isahit"); len(vs) != 1 {
		t.Errorf("after delete: %+v", vs)
	}
	if vs, _ := s.Views(""); len(vs) != 1 || vs[0].Name != "pushes" {
		t.Errorf("All's views: %+v", vs)
	}
}

// --recover keeps the saved views.
func TestRecoverKeepsViews(t *testing.T) {
	s, path := openTemp(t, Options{})
	if err := s.SaveView(View{Name: "reviews", Project: "isahit", Query: "body.type:review"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	dst := path + ".recovered"
	if _, err := Recover(path, dst); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if vs, err := r.Views("isahit"); err != nil || len(vs) != 1 || vs[0].Query != "body.type:review" {
		t.Errorf("recovered views %+v, %v", vs, err)
	}
}
