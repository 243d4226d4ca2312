package projects

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"hookscope/diff"
	"hookscope/store"
)

// The ignore lists are remembered in the store file, per project and for
// Unsorted, and saving them changes nothing else of the project.
func TestCompareIgnoreIsRememberedPerProject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookscope.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := New(st)
	p := validProject()
	p.Secret = "whsec_1"
	saved, err := b.Save("", p, "")
	if err != nil {
		t.Fatal(err)
	}
	shop := diff.Ignore{Keys: []string{"timestamp", "data.taskId", `h["x.y"]`}, Headers: []string{"Date", "X-Request-Id"}}
	unsorted := diff.Ignore{Headers: []string{"Date"}}
	if err := b.SetCompareIgnore("shop", shop); err != nil {
		t.Fatal(err)
	}
	if err := b.SetCompareIgnore("", unsorted); err != nil {
		t.Fatal(err)
	}
	waitProject(t, b, "shop", func(p store.Project) bool { return len(p.Compare.IgnoreKeys) == 3 })
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b = New(st)
	for slug, want := range map[string]diff.Ignore{"shop": shop, "": unsorted} {
		if got, err := b.CompareIgnore(slug); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("CompareIgnore(%q) = %+v, %v; want %+v", slug, got, err, want)
		}
	}
	after, err := st.Project("shop")
	if err != nil {
		t.Fatal(err)
	}
	after.Compare = store.CompareOptions{}
	if !reflect.DeepEqual(after, saved) {
		t.Errorf("saving the lists changed the project:\n%+v\nwas\n%+v", after, saved)
	}

	// Save keeps them, as the project's JSON carries them.
	after.Compare = store.CompareOptions{IgnoreKeys: []string{"id"}}
	if _, err := b.Save("shop", after, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.CompareIgnore("shop"); !reflect.DeepEqual(got, diff.Ignore{Keys: []string{"id"}}) {
		t.Errorf("after Save: %+v", got)
	}
	if _, err := b.CompareIgnore("nobody"); !errors.Is(err, store.ErrProjectNotFound) {
		t.Errorf("CompareIgnore of no project: %v", err)
	}
	if err := b.SetCompareIgnore("nobody", shop); !errors.Is(err, store.ErrProjectNotFound) {
		t.Errorf("SetCompareIgnore of no project: %v", err)
	}
}

func TestSetCompareIgnoreRefusesBadListsAndKeepsTheOld(t *testing.T) {
	b := New(openStore(t))
	if _, err := b.Save("", validProject(), ""); err != nil {
		t.Fatal(err)
	}
	old := diff.Ignore{Keys: []string{"timestamp"}}
	if err := b.SetCompareIgnore("shop", old); err != nil {
		t.Fatal(err)
	}
	err := b.SetCompareIgnore("shop", diff.Ignore{
		Keys:    []string{"ok", "a..b", "ok", `x["y`},
		Headers: []string{"Date", "Bad Header", "date"},
	})
	var fields FieldErrors
	if !errors.As(err, &fields) {
		t.Fatalf("want FieldErrors, got %v", err)
	}
	want := FieldErrors{
		"compare.ignoreKeys[1]":    `not a key path (at character 3: empty key between dots); write it as the comparison shows it: data.taskId, items.0.id, h["x.y"]`,
		"compare.ignoreKeys[2]":    `"ok" is listed twice`,
		"compare.ignoreKeys[3]":    `not a key path (at character 2: a bracket must hold a quoted key, as in ["x.y"]); write it as the comparison shows it: data.taskId, items.0.id, h["x.y"]`,
		"compare.ignoreHeaders[1]": "not a valid header name",
		"compare.ignoreHeaders[2]": `"date" is listed twice`,
	}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields\n%v\nwant\n%v", fields, want)
	}
	many := make([]string, MaxCompareIgnores+1)
	for i := range many {
		many[i] = fmt.Sprintf("k%d", i)
	}
	err = b.SetCompareIgnore("", diff.Ignore{Keys: many})
	if !errors.As(err, &fields) || fields["compare.ignoreKeys"] != "at most 100 entries" {
		t.Errorf("101 keys: %v", err)
	}
	if got, _ := b.CompareIgnore("shop"); !reflect.DeepEqual(got, old) {
		t.Errorf("a refused list replaced the old one: %+v", got)
	}
	// The project's JSON goes through the same rules.
	p := validProject()
	p.Compare.IgnoreHeaders = []string{"Bad Header"}
	if _, err := b.Save("shop", p, ""); !errors.As(err, &fields) || fields["compare.ignoreHeaders[0]"] == "" {
		t.Errorf("Save with a bad header name: %v", err)
	}
}
