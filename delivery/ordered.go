package delivery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Templates are edited by hand, and the order of their fields is part of
// what the developer sees arrive: a map would sort the keys. So templates are
// parsed into this small ordered tree, whose values are object, []any,
// string, json.Number, bool or nil.

type member struct {
	key string
	val any
}

type object []member

func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.key == key {
			return m.val, true
		}
	}
	return nil, false
}

// set replaces the value of key, or appends it.
func (o *object) set(key string, val any) {
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].val = val
			return
		}
	}
	*o = append(*o, member{key, val})
}

func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := object{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				o.set(kt.(string), v)
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ']'
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// encodeOrdered writes v as JSON indented by two spaces and without a
// final newline: the form of Python's json.dumps(indent=2), which signature
// examples use, and the easiest to read in the capture view.
func encodeOrdered(v any) []byte {
	var b bytes.Buffer
	writeValue(&b, v, 0)
	return b.Bytes()
}

func writeValue(b *bytes.Buffer, v any, depth int) {
	switch t := v.(type) {
	case object:
		writeMembers(b, '{', '}', len(t), depth, func(i int) {
			writeString(b, t[i].key)
			b.WriteString(": ")
			writeValue(b, t[i].val, depth+1)
		})
	case []any:
		writeMembers(b, '[', ']', len(t), depth, func(i int) { writeValue(b, t[i], depth+1) })
	case string:
		writeString(b, t)
	case json.Number:
		b.WriteString(t.String())
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case nil:
		b.WriteString("null")
	default:
		// Only the types parseOrdered makes reach here.
		panic(fmt.Sprintf("delivery: cannot encode %T", v))
	}
}

// writeMembers writes the n members of an object or array between open and
// end, each on a line of its own one level deeper than depth, with end on a
// line at depth; an empty one is open and end together ("{}", "[]").
func writeMembers(b *bytes.Buffer, open, end byte, n, depth int, member func(i int)) {
	b.WriteByte(open)
	if n == 0 {
		b.WriteByte(end)
		return
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		newline(b, depth+1)
		member(i)
	}
	newline(b, depth)
	b.WriteByte(end)
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("  ", depth))
}

// writeString quotes s as JSON without escaping <, > and &: a URL in a
// template must arrive as typed.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // a string always encodes
	b.Truncate(b.Len() - 1) // Encode's newline
}

// mapStrings returns a copy of v with f applied to every string value (keys
// are left alone).
func mapStrings(v any, f func(string) string) any {
	switch t := v.(type) {
	case object:
		out := make(object, len(t))
		for i, m := range t {
			out[i] = member{m.key, mapStrings(m.val, f)}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = mapStrings(e, f)
		}
		return out
	case string:
		return f(t)
	default:
		return v
	}
}
