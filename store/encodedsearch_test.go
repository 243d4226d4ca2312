package store

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"slices"
	"testing"

	"github.com/andybalholm/brotli"
)

// compressed returns b written through the compressor newWriter makes.
func compressed(t *testing.T, b []byte, newWriter func(io.Writer) io.WriteCloser) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := newWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

func zlibbed(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) io.WriteCloser { return zlib.NewWriter(w) })
}

func brotlied(t *testing.T, b []byte) []byte {
	return compressed(t, b, func(w io.Writer) io.WriteCloser { return brotli.NewWriter(w) })
}

// encodedCapture is a capture whose body is sent with a Content-Encoding.
func encodedCapture(path, coding string, body []byte) *Capture {
	c := sample("POST", path, "", "")
	c.Header.Set("Content-Encoding", coding)
	c.Body = body
	return c
}

// searchIDs lists the IDs of the captures the text finds, newest first,
// both as List pages them and as IDs counts them.
func searchIDs(t *testing.T, s *Store, text string) []ID {
	t.Helper()
	page, _, err := s.List(Filter{Text: text}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.IDs(Filter{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(page) {
		t.Fatalf("search %q: List finds %d, IDs %d", text, len(page), len(ids))
	}
	out := make([]ID, len(page))
	for i, sum := range page {
		out[i] = sum.ID
	}
	return out
}

// Search finds words inside gzip, deflate and br bodies, as the Body tab
// shows them decoded, and in a body encoded twice.
func TestSearchFindsTextInsideEncodedBodies(t *testing.T) {
	s, _ := openTemp(t, Options{})
	event := []byte(`{"type":"invoice.paid","customer":{"name":"Ada Lovelace"}}`)
	gz := mustPut(t, s, encodedCapture("/gz", "gzip", gzipped(t, event)))
	df := mustPut(t, s, encodedCapture("/df", "deflate", zlibbed(t, []byte(`{"note":"deflated walrus"}`))))
	br := mustPut(t, s, encodedCapture("/br", "br", brotlied(t, []byte(`{"note":"brotli narwhal"}`))))
	both := mustPut(t, s, encodedCapture("/both", "gzip, br", brotlied(t, gzipped(t, []byte(`{"note":"twice wrapped okapi"}`)))))
	plain := mustPut(t, s, sample("POST", "/plain", "", `{"note":"plain lovelace"}`))
	// A body that says gzip but is not: found by nothing inside, and no error.
	mustPut(t, s, encodedCapture("/broken", "gzip", []byte("not gzip at all")))

	for text, want := range map[string][]ID{
		"invoice.PAID": {gz},
		"lovelace":     {plain, gz},
		"walrus":       {df},
		"narwhal":      {br},
		"okapi":        {both},
	} {
		if got := searchIDs(t, s, text); !slices.Equal(got, want) {
			t.Errorf("search %q found %v, want %v", text, got, want)
		}
	}

	c, err := s.Get(gz)
	if err != nil {
		t.Fatal(err)
	}
	if !(Filter{Text: "ada lovelace"}).MatchesCapture(c) {
		t.Error("a new gzip capture is not matched by a word in its body")
	}
}

// A decompression bomb is inflated only up to the bound: a word inside it
// is found, one past the bound is not, and the search returns.
func TestSearchStopsInflatingABombAtTheBound(t *testing.T) {
	s, _ := openTemp(t, Options{})
	bomb := append([]byte(`{"head":"early-marker","pad":"`), bytes.Repeat([]byte{'0'}, maxSearchDecoded)...)
	bomb = append(bomb, `","tail":"late-marker"}`...)
	id := mustPut(t, s, encodedCapture("/bomb", "gzip", gzipped(t, bomb)))
	if got := searchIDs(t, s, "early-marker"); !slices.Equal(got, []ID{id}) {
		t.Fatalf("a word at the start of the bomb found %v, want %v", got, []ID{id})
	}
	if got := searchIDs(t, s, "late-marker"); len(got) != 0 {
		t.Fatalf("a word past %d decoded bytes was found (%v): the bound did not stop inflating", maxSearchDecoded, got)
	}
}
