package projects

import (
	"fmt"
	"strings"

	"golang.org/x/net/http/httpguts"

	"hookscope/diff"
	"hookscope/store"
)

// Limits of a project's compare options: lists a person keeps by hand.
const (
	MaxCompareIgnores  = 100
	maxIgnoreKeyLength = 200
)

// validateCompare checks the lists a project's comparisons leave out: key
// paths as diff.ValidKeyPath reads them, header names as RFC 9110 §5.1
// allows them, each once.
func validateCompare(c store.CompareOptions, errs FieldErrors) {
	checkIgnoreList("compare.ignoreKeys", c.IgnoreKeys, func(k string) string {
		switch {
		case len(k) > maxIgnoreKeyLength:
			return fmt.Sprintf("a key path must be at most %d characters", maxIgnoreKeyLength)
		case diff.ValidKeyPath(k) != nil:
			return "not a key path (" + diff.ValidKeyPath(k).Error() + `); write it as the comparison shows it: data.taskId, items.0.id, h["x.y"]`
		}
		return ""
	}, func(k string) string { return k }, errs)
	checkIgnoreList("compare.ignoreHeaders", c.IgnoreHeaders, func(h string) string {
		if !httpguts.ValidHeaderFieldName(h) {
			return "not a valid header name"
		}
		return ""
	}, strings.ToLower, errs)
}

// checkIgnoreList checks each entry of one list, keyed "field[i]", and
// the list's length; same tells two entries that name one thing.
func checkIgnoreList(field string, list []string, check, same func(string) string, errs FieldErrors) {
	if len(list) > MaxCompareIgnores {
		errs[field] = fmt.Sprintf("at most %d entries", MaxCompareIgnores)
		return
	}
	seen := map[string]bool{}
	for i, v := range list {
		msg := check(v)
		if msg == "" && seen[same(v)] {
			msg = fmt.Sprintf("%q is listed twice", v)
		}
		seen[same(v)] = true
		if msg != "" {
			errs[fmt.Sprintf("%s[%d]", field, i)] = msg
		}
	}
}

// CompareIgnore returns what comparing captures of the project leaves out:
// its remembered lists, or Unsorted's for slug "".
func (b *Book) CompareIgnore(slug string) (diff.Ignore, error) {
	if slug == "" {
		c, err := b.st.UnsortedCompare()
		return ignoreOf(c), err
	}
	p, err := b.st.Project(slug)
	if err != nil {
		return diff.Ignore{}, err
	}
	return ignoreOf(p.Compare), nil
}

// SetCompareIgnore checks the lists and remembers them for the project (or
// for Unsorted, slug ""), changing nothing else of it; FieldErrors as
// Save's when a list breaks a rule.
func (b *Book) SetCompareIgnore(slug string, ig diff.Ignore) error {
	c := store.CompareOptions{IgnoreKeys: ig.Keys, IgnoreHeaders: ig.Headers}
	errs := FieldErrors{}
	validateCompare(c, errs)
	if err := errs.orNil(); err != nil {
		return err
	}
	if slug == "" {
		return b.st.PutUnsortedCompare(c)
	}
	return b.st.SetProjectCompare(slug, c)
}

func ignoreOf(c store.CompareOptions) diff.Ignore {
	return diff.Ignore{Keys: c.IgnoreKeys, Headers: c.IgnoreHeaders}
}
