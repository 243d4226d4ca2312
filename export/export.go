// Package export turns captures into the forms other tools read — a curl
// command, HAR 1.2, JSON Lines — and reads HAR and JSON Lines back into
// captures ready for the store.
//
// It depends only on the standard library and hookscope/store, so the UI, the
// local API and a command-line tool can all share it.
package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"hookscope/store"
)

// ExportHAR writes every capture f selects as one HAR document, oldest first,
// and returns how many it wrote.
//
// Only the selected IDs (8 bytes each) are held; each capture is read, written
// and dropped in turn, so a million captures export in constant memory beyond
// the ID list. A capture deleted or pruned after the IDs were taken is
// skipped rather than failing the whole export.
func ExportHAR(w io.Writer, st *store.Store, f store.Filter, baseURL string) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	hw := newHARWriter(bw, baseURL)
	if err := hw.begin(); err != nil {
		return 0, err
	}
	n, err := eachCapture(st, f, hw.add)
	if err != nil {
		return n, err
	}
	if err := hw.end(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// ExportJSONL writes every capture f selects as JSON Lines, oldest first, and
// returns how many it wrote. Memory use is as for ExportHAR.
func ExportJSONL(w io.Writer, st *store.Store, f store.Filter) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	jw := newJSONLWriter(bw)
	n, err := eachCapture(st, f, jw.add)
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// eachCapture calls fn for every capture f selects, oldest first.
func eachCapture(st *store.Store, f store.Filter, fn func(*store.Capture) error) (int, error) {
	// IDs is oldest first and costs 8 bytes a capture; List pages run newest
	// first, which would need every page held to reverse them.
	ids, err := st.IDs(f)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n := 0
	for _, id := range ids {
		c, err := st.Get(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		if err := fn(c); err != nil {
			return n, fmt.Errorf("export capture %s: %w", id, err)
		}
		n++
	}
	return n, nil
}

// importWorkers bounds the Puts in flight. The store commits whatever Puts
// are queued in one transaction and one fsync, so issuing them concurrently
// turns thousands of fsyncs into a few dozen.
const importWorkers = 64

// ImportResult is what an import did.
type ImportResult struct {
	Stored int
	// Duplicates were already in the store (the same file imported twice,
	// or an export of this store read back) and were skipped.
	Duplicates int
}

// Import stores each capture, keeping its ReceivedAt, and says how many were
// stored. A zero ReceivedAt becomes the time of the import. A capture the
// store already holds — same receive time to the millisecond (HAR keeps no
// more), method, path, query and body — is skipped and counted as a
// duplicate.
//
// Any ID the captures carry is replaced by one from the store's ImportID:
// an ID from another database could overwrite a capture here. ImportID gives
// each the ID of its receive time (or the next free one), so imported
// captures list among the captures of their time, not as the newest. On return each stored capture
// holds its new ID. On error the count says how many were stored; which ones
// is not defined.
func Import(st *store.Store, captures []*store.Capture) (ImportResult, error) {
	var res ImportResult
	now := time.Now()
	order := make([]int, 0, len(captures))
	for i, c := range captures {
		if c == nil {
			return res, fmt.Errorf("import: capture %d is nil", i)
		}
	}
	for _, c := range captures {
		if c.ReceivedAt.IsZero() {
			c.ReceivedAt = now
		}
	}
	stored, err := alreadyStored(st, captures)
	if err != nil {
		return res, err
	}
	for i, c := range captures {
		if stored(c) {
			res.Duplicates++
			continue
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return captures[a].ReceivedAt.Compare(captures[b].ReceivedAt)
	})
	for _, i := range order {
		id, err := st.ImportID(captures[i].ReceivedAt)
		if err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
		captures[i].ID = id
	}

	var (
		storedN  atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		failed   atomic.Bool
		sem      = make(chan struct{}, importWorkers)
	)
	for _, i := range order {
		if failed.Load() {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			c := captures[i]
			if err := st.Put(c); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("import capture %d (%s %s): %w", i, c.Method, c.URI(), err)
				}
				mu.Unlock()
				failed.Store(true)
				return
			}
			storedN.Add(1)
		}(i)
	}
	wg.Wait()
	res.Stored = int(storedN.Load())
	return res, firstErr
}

// fingerprint is what a summary tells of a capture; equal fingerprints are
// confirmed by comparing bodies.
type fingerprint struct {
	ms                  int64
	method, path, query string
	size                int
}

func fingerprintOf(t time.Time, method, path, query string, size int) fingerprint {
	return fingerprint{t.UnixMilli(), method, path, query, size}
}

// alreadyStored reads the store's summaries once and returns a test for
// captures it holds. Only summaries received in a millisecond some capture
// of the import was are kept, so memory follows the import, not the store.
func alreadyStored(st *store.Store, captures []*store.Capture) (func(*store.Capture) bool, error) {
	wanted := map[int64]bool{}
	for _, c := range captures {
		wanted[c.ReceivedAt.UnixMilli()] = true
	}
	candidates := map[fingerprint][]store.ID{}
	for before := store.ID(0); ; {
		page, next, err := st.List(store.Filter{}, before, 1000)
		if err != nil {
			return nil, fmt.Errorf("import: read stored captures to skip duplicates: %w", err)
		}
		for _, s := range page {
			if wanted[s.ReceivedAt.UnixMilli()] {
				fp := fingerprintOf(s.ReceivedAt, s.Method, s.Path, s.RawQuery, s.Size)
				candidates[fp] = append(candidates[fp], s.ID)
			}
		}
		if next == 0 {
			break
		}
		before = next
	}
	return func(c *store.Capture) bool {
		for _, id := range candidates[fingerprintOf(c.ReceivedAt, c.Method, c.Path, c.RawQuery, len(c.Body))] {
			if got, err := st.Get(id); err == nil && bytes.Equal(got.Body, c.Body) {
				return true
			}
		}
		return false
	}, nil
}

// unmarshal is json.Unmarshal for an imported file: a value of the wrong
// type is named by its field, which is what a user can find and fix.
func unmarshal(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("%s: want %s, got JSON %s", te.Field, te.Type, te.Value)
	}
	return err
}
