package store

import (
	"bytes"
	"fmt"
	"testing"
)

// benchBody is a 1 KiB JSON body like a typical webhook.
var benchBody = append([]byte(`{"event":"order.created","data":{"note":"`), append(bytes.Repeat([]byte("x"), 1024-64), []byte(`"}}`)...)...)

func BenchmarkPutSerial(b *testing.B) {
	s, _ := openTemp(b, Options{MaxCount: -1})
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := s.Put(sample("POST", "/bench", "", string(benchBody))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutParallel measures group commit: many writers share fsyncs.
func BenchmarkPutParallel(b *testing.B) {
	s, _ := openTemp(b, Options{MaxCount: -1})
	b.SetBytes(int64(len(benchBody)))
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.Put(sample("POST", "/bench", "", string(benchBody))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSearch100k searches 100,000 captures for a word that is in none,
// for a page as the API does.
func BenchmarkSearch100k(b *testing.B) {
	s := fill100k(b)
	for b.Loop() {
		page, _, err := s.List(Filter{Text: "zebra-unicorn"}, 0, 50)
		if err != nil || len(page) != 0 {
			b.Fatal(err, len(page))
		}
	}
}

// BenchmarkSearchIDs100k is the same search as the window runs it: every
// matching ID, one worker per core.
func BenchmarkSearchIDs100k(b *testing.B) {
	s := fill100k(b)
	for b.Loop() {
		ids, err := s.IDs(Filter{Text: "zebra-unicorn"})
		if err != nil || len(ids) != 0 {
			b.Fatal(err, len(ids))
		}
	}
}

// BenchmarkSearchCommonLetter100k looks for a word whose first letter is
// in every body, in upper case, which the search must match: each body is
// read once per case.
func BenchmarkSearchCommonLetter100k(b *testing.B) {
	s := fill100k(b)
	for b.Loop() {
		if _, err := s.IDs(Filter{Text: "xylophone"}); err != nil {
			b.Fatal(err)
		}
	}
}

func fill100k(b *testing.B) *Store {
	s, _ := openTemp(b, Options{MaxCount: -1})
	const n = 100_000
	var wg = make(chan struct{}, 64)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg <- struct{}{}
		go func() {
			defer func() { <-wg }()
			c := sample("POST", fmt.Sprintf("/shop/orders/%d", i), "", string(benchBody))
			if err := s.Put(c); err != nil {
				errs <- err
			}
		}()
	}
	for i := 0; i < cap(wg); i++ {
		wg <- struct{}{}
	}
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ResetTimer()
	return s
}
