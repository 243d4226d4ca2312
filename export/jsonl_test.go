package export

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestJSONLRoundTripIsLossless(t *testing.T) {
	src := openStore(t)
	names, originals := putAll(t, src, fixtures())

	var buf bytes.Buffer
	if err := WriteJSONL(&buf, originals); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(originals) {
		t.Fatalf("%d lines for %d captures", len(lines), len(originals))
	}
	keys := []string{"body_base64", "headers", "host", "id", "method", "path", "project", "proto", "query", "received_at", "remote_addr", "response", "truncated", "via"}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not one JSON object: %v", i+1, err)
		}
		var got []string
		for k := range m {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, keys) {
			t.Errorf("line %d keys %v, want %v", i+1, got, keys)
		}
		if m["id"] != originals[i].ID.String() {
			t.Errorf("line %d id %v, want %s", i+1, m["id"], originals[i].ID)
		}
	}

	back, err := ReadJSONL(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(originals) {
		t.Fatalf("ReadJSONL gave %d captures, want %d", len(back), len(originals))
	}
	for i := range back {
		if back[i].ID != 0 {
			t.Errorf("%s: ID %s, want 0", names[i], back[i].ID)
		}
		sameCapture(t, "read "+names[i], back[i], originals[i])
	}

	// And through a fresh store, as an import does.
	dst := openStore(t)
	r, err := Import(dst, back)
	if err != nil || r.Stored != len(back) {
		t.Fatalf("Import = %+v, %v", r, err)
	}
	for i, c := range back {
		got, err := dst.Get(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameCapture(t, "stored "+names[i], got, originals[i])
	}
}

func TestReadJSONLErrorsNameTheLine(t *testing.T) {
	good := `{"method":"GET","path":"/","received_at":"2025-01-02T03:04:05.123456789Z"}`
	tests := map[string]struct {
		input string
		want  []string
	}{
		"malformed line":            {good + "\n" + good + "\n{\"method\":\"GET\",\n" + good + "\n", []string{"line 3"}},
		"blank lines are counted":   {good + "\n\n\n" + `{"method":"GET","body_base64":"***"}` + "\n", []string{"line 4", "body_base64"}},
		"bad response body":         {`{"method":"GET","response":{"body_base64":"a"}}`, []string{"line 1", "response.body_base64"}},
		"bad time":                  {good + "\n" + `{"method":"GET","received_at":"now"}`, []string{"line 2", "received_at"}},
		"wrong type":                {good + "\n" + `{"method":"GET","headers":{"A":"not a list"}}`, []string{"line 2", "headers"}},
		"missing method":            {`{"path":"/"}`, []string{"line 1", "method"}},
		"two objects on a line":     {good + good, []string{"line 1"}},
		"last line without newline": {good + "\n" + `{"method":`, []string{"line 2"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadJSONL(strings.NewReader(tt.input))
			errorNames(t, err, tt.want)
		})
	}
}

func TestReadJSONLSkipsBlankLinesAndReadsLongOnes(t *testing.T) {
	long := strings.Repeat("QUJD", 100_000) // 400 KB of base64: beyond bufio.Scanner's default
	input := "\n" + `{"method":"POST","body_base64":"` + long + `"}` + "\r\n\n" + `{"method":"GET"}`
	caps, err := ReadJSONL(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) != 2 || len(caps[0].Body) != 300_000 || caps[1].Method != "GET" {
		t.Fatalf("got %d captures", len(caps))
	}
}
