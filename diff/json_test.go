package diff

import (
	"reflect"
	"testing"
)

func TestJSON(t *testing.T) {
	tests := map[string]struct {
		a, b string
		want []Change
	}{
		"equal whatever the key order and spacing": {a: `{"a":1,"b":[1,2]}`, b: "{\n \"b\": [1, 2],\n \"a\": 1\n}"},
		"a value changed deep down": {
			a:    `{"items":[{"id":"a"},{"id":"b"}]}`,
			b:    `{"items":[{"id":"a"},{"id":"c"}]}`,
			want: []Change{{Path: "items.1.id", Kind: ValueChanged, Left: `"b"`, Right: `"c"`}},
		},
		"keys added and removed, sorted": {
			a: `{"z":1,"gone":{"x":true}}`,
			b: `{"z":1,"new":null,"a":[]}`,
			want: []Change{
				{Path: "a", Kind: KeyAdded, Right: `[]`},
				{Path: "gone", Kind: KeyRemoved, Left: `{"x":true}`},
				{Path: "new", Kind: KeyAdded, Right: `null`},
			},
		},
		"an array grew": {
			a:    `[1]`,
			b:    `[1,2]`,
			want: []Change{{Path: "1", Kind: KeyAdded, Right: `2`}},
		},
		"numbers compare by value, exactly": {
			a: `{"price":1.50,"one":1.0,"hundred":1e2,"zero":-0,"small":25e-2,"big":9007199254740993,"huge":1e400}`,
			b: `{"price":1.5,"one":1,"hundred":100,"zero":0.0,"small":0.25,"big":9007199254740992,"huge":1E+400}`,
			// 2^53+1 and 2^53 are one float64: only an exact comparison
			// tells them apart.
			want: []Change{{Path: "big", Kind: ValueChanged, Left: `9007199254740993`, Right: `9007199254740992`}},
		},
		"a number is not the string of its digits": {
			a:    `{"n":1}`,
			b:    `{"n":"1"}`,
			want: []Change{{Path: "n", Kind: ValueChanged, Left: `1`, Right: `"1"`}},
		},
		"a type changed": {
			a:    `{"v":{"a":1}}`,
			b:    `{"v":[1]}`,
			want: []Change{{Path: "v", Kind: ValueChanged, Left: `{"a":1}`, Right: `[1]`}},
		},
		"keys with dots are quoted": {
			a:    `{"h":{"x.y":1,"":2}}`,
			b:    `{"h":{"x.y":3,"":2}}`,
			want: []Change{{Path: `h["x.y"]`, Kind: ValueChanged, Left: `1`, Right: `3`}},
		},
		"strings are shown as written": {
			a:    `{"q":"a<b & c"}`,
			b:    `{"q":"a>b"}`,
			want: []Change{{Path: "q", Kind: ValueChanged, Left: `"a<b & c"`, Right: `"a>b"`}},
		},
		"the roots differ": {
			a:    `"a"`,
			b:    `"b"`,
			want: []Change{{Kind: ValueChanged, Left: `"a"`, Right: `"b"`}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := JSON([]byte(tc.a), []byte(tc.b))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("changes\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestJSONRefusesWhatIsNotJSON(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{`{"a":`, `{}`, "left: unexpected EOF"},
		{`{}`, `{} {}`, "right: unexpected data after the JSON value"},
	} {
		if _, err := JSON([]byte(tc.a), []byte(tc.b)); err == nil || err.Error() != tc.want {
			t.Errorf("JSON(%q, %q) = %v, want %q", tc.a, tc.b, err, tc.want)
		}
	}
}

func TestBytes(t *testing.T) {
	tests := map[string]struct {
		a, b string
		want Binary
	}{
		"equal":            {"\x00\xff", "\x00\xff", Binary{2, 2, -1}},
		"both empty":       {"", "", Binary{0, 0, -1}},
		"differ at 2":      {"ab\x00d", "ab\x01d", Binary{4, 4, 2}},
		"a prefix":         {"abc", "abcdef", Binary{3, 6, 3}},
		"the right prefix": {"abc", "", Binary{3, 0, 0}},
	}
	for name, tc := range tests {
		if got := Bytes([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("%s: %+v, want %+v", name, got, tc.want)
		}
	}
}
