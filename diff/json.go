package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Kind is what happened to a value between two JSON documents.
type Kind int

const (
	// KeyAdded: only the right document has the value.
	KeyAdded Kind = iota + 1
	// KeyRemoved: only the left document has it.
	KeyRemoved
	// ValueChanged: both have it, and it differs (in value or in type).
	ValueChanged
)

// Change is one difference between two JSON documents.
type Change struct {
	// Path is where the value sits: object keys and array indexes joined by
	// dots ("items.0.id"); a key that holds a dot or a bracket, or is empty,
	// is written quoted in brackets (`headers["x.y"]`). "" is the root.
	Path string
	Kind Kind
	// Left and Right are the values as compact JSON, "" on the side that
	// lacks it.
	Left, Right string
}

// JSON compares two JSON documents structurally: object keys whatever
// their order, arrays index by index, numbers by value (1.0 = 1, 1e2 = 100,
// exactly, however many digits). The changes come in document order, keys
// sorted.
func JSON(a, b []byte) ([]Change, error) {
	va, vb, err := decodeBoth(a, b)
	if err != nil {
		return nil, err
	}
	var w jsonWalk
	w.compare("", va, vb)
	return w.out, nil
}

func decodeBoth(a, b []byte) (va, vb any, err error) {
	if va, err = decodeJSON(a); err != nil {
		return nil, nil, fmt.Errorf("left: %w", err)
	}
	if vb, err = decodeJSON(b); err != nil {
		return nil, nil, fmt.Errorf("right: %w", err)
	}
	return va, vb, nil
}

// jsonWalk gathers the changes between two decoded documents, leaving out
// the keys ignore names and counting the changes they held.
type jsonWalk struct {
	ignore  *ignoreSet
	out     []Change
	ignored int
}

func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func (w *jsonWalk) compare(path string, a, b any) {
	switch x := a.(type) {
	case map[string]any:
		if y, ok := b.(map[string]any); ok {
			w.objects(path, x, y)
			return
		}
	case []any:
		if y, ok := b.([]any); ok {
			w.arrays(path, x, y)
			return
		}
	case json.Number:
		if y, ok := b.(json.Number); ok && sameNumber(x, y) {
			return
		}
	default:
		// A string, a bool or null: comparable, and unequal to a value of
		// another type.
		if a == b {
			return
		}
	}
	w.out = append(w.out, Change{Path: path, Kind: ValueChanged, Left: compact(a), Right: compact(b)})
}

func (w *jsonWalk) objects(path string, a, b map[string]any) {
	for _, k := range unionKeys(a, b) {
		va, inA := a[k]
		vb, inB := b[k]
		p := joinKey(path, k)
		switch {
		case w.ignore.key(k, p):
			w.ignored += countChanges(p, va, vb, inA, inB)
		case !inB:
			w.out = append(w.out, Change{Path: p, Kind: KeyRemoved, Left: compact(va)})
		case !inA:
			w.out = append(w.out, Change{Path: p, Kind: KeyAdded, Right: compact(vb)})
		default:
			w.compare(p, va, vb)
		}
	}
}

// countChanges is how many changes an ignored key held, for the report to
// say that something was left out.
func countChanges(path string, a, b any, inA, inB bool) int {
	if !inA || !inB {
		return 1
	}
	var w jsonWalk
	w.compare(path, a, b)
	return len(w.out)
}

func (w *jsonWalk) arrays(path string, a, b []any) {
	for i := range max(len(a), len(b)) {
		p := joinIndex(path, i)
		switch {
		case i >= len(b):
			w.out = append(w.out, Change{Path: p, Kind: KeyRemoved, Left: compact(a[i])})
		case i >= len(a):
			w.out = append(w.out, Change{Path: p, Kind: KeyAdded, Right: compact(b[i])})
		default:
			w.compare(p, a[i], b[i])
		}
	}
}

func joinKey(path, key string) string {
	if key == "" || strings.ContainsAny(key, ".[]") {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	if path == "" {
		return strconv.Itoa(i)
	}
	return path + "." + strconv.Itoa(i)
}

// compact is a decoded value as compact JSON; numbers keep their digits
// (json.Number), objects their keys sorted, and <, > and & stay as they
// are (json.Marshal would escape them for HTML).
func compact(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v) // decoded JSON always encodes; kept for safety
	}
	return strings.TrimSuffix(b.String(), "\n")
}
