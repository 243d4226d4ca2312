package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// When a file is cut short, the root pages that lead to its records are
// usually past the cut (bbolt writes a commit's new pages at the end of
// the file), so no Seek reaches the records still in the file. Recover
// then reads the file's leaf pages directly. The page layout is bbolt's
// (go.etcd.io/bbolt, internal/common/page.go): a 16-byte header (page id
// uint64, flags uint16, element count uint16, overflow page count uint32),
// then one 16-byte element per key (flags, offset from the element to the
// key, key size, value size, each uint32), all little-endian.
const (
	pageHeaderSize  = 16
	leafElementSize = 16
	leafPageFlag    = 0x02
	bucketLeafFlag  = 0x01
)

// looseRecords holds every value found under a capture key or a project
// key in the file's leaf pages. A page freed by an earlier commit may hold
// an older copy of a record, so there may be several per key.
type looseRecords struct {
	byID     map[ID][][]byte
	projects map[string][]byte
}

// readLoose reads the leaf pages of the file at path.
func readLoose(path string, pageSize int) (*looseRecords, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	lr := &looseRecords{byID: map[ID][][]byte{}, projects: map[string][]byte{}}
	hdr := make([]byte, pageHeaderSize)
	for off := int64(2 * pageSize); off+int64(pageSize) <= st.Size(); off += int64(pageSize) {
		if _, err := f.ReadAt(hdr, off); err != nil {
			return nil, fmt.Errorf("read page at %d: %w", off, err)
		}
		if binary.LittleEndian.Uint16(hdr[8:10]) != leafPageFlag {
			continue
		}
		n := int64(binary.LittleEndian.Uint32(hdr[12:16])+1) * int64(pageSize)
		page := make([]byte, min(n, st.Size()-off))
		if _, err := f.ReadAt(page, off); err != nil && err != io.EOF {
			return nil, fmt.Errorf("read page at %d: %w", off, err)
		}
		lr.addLeaf(page, int(binary.LittleEndian.Uint16(hdr[10:12])))
	}
	return lr, nil
}

// addLeaf takes the elements of one leaf page, skipping any that point
// outside it.
func (lr *looseRecords) addLeaf(page []byte, count int) {
	for i := range count {
		e := pageHeaderSize + i*leafElementSize
		if e+leafElementSize > len(page) {
			return
		}
		el := page[e : e+leafElementSize]
		flags := binary.LittleEndian.Uint32(el[0:4])
		pos, ksize, vsize := uint64(binary.LittleEndian.Uint32(el[4:8])), uint64(binary.LittleEndian.Uint32(el[8:12])), uint64(binary.LittleEndian.Uint32(el[12:16]))
		start := uint64(e) + pos
		if start+ksize+vsize > uint64(len(page)) {
			continue
		}
		k, v := page[start:start+ksize], page[start+ksize:start+ksize+vsize]
		if flags&bucketLeafFlag != 0 {
			// A small bucket is inlined in its parent's leaf: a 16-byte
			// header whose root page id is 0, then the bucket's own page.
			if len(v) >= 16+pageHeaderSize && binary.LittleEndian.Uint64(v[0:8]) == 0 {
				inline := v[16:]
				lr.addLeaf(inline, int(binary.LittleEndian.Uint16(inline[10:12])))
			}
			continue
		}
		if len(k) == 8 {
			id := idFromKey(k)
			lr.byID[id] = append(lr.byID[id], clone(v))
			continue
		}
		var p Project
		if json.Unmarshal(v, &p) == nil && p.Slug != "" && p.Slug == string(k) {
			lr.projects[p.Slug] = clone(v)
		}
	}
}

// capture assembles the capture id from its loose values: a summary whose
// receive time is the ID's (an ID is its receive time in nanoseconds,
// bumped past a collision), details that decode, and a body of the size
// the summary says.
func (lr *looseRecords) capture(id ID) (r recoverRec, found, ok bool) {
	vals := lr.byID[id]
	si, di := -1, -1
	var sum Summary
	for i, v := range vals {
		if s, yes := looseSummary(id, v); yes {
			si, sum = i, s
			break
		}
	}
	if si < 0 {
		return r, false, false
	}
	for i, v := range vals {
		if _, yes := looseSummary(id, v); !yes && looseDetail(id, v) {
			di = i
			break
		}
	}
	if di < 0 {
		return r, true, false
	}
	r = recoverRec{k: id.key(), summary: vals[si], detail: vals[di]}
	if settled, good := detailSettlesBody(r.detail, sum.Size); settled {
		return r, true, good
	}
	// A body is any other value of the summary's size; one that also reads
	// as details is taken only when nothing else fits.
	fallback := -1
	for i, v := range vals {
		if i == si || i == di || len(v) != sum.Size {
			continue
		}
		if _, yes := looseSummary(id, v); yes {
			continue
		}
		if !looseDetail(id, v) {
			r.body = v
			return r, true, true
		}
		fallback = i
	}
	if fallback < 0 {
		return r, true, false
	}
	r.body = vals[fallback]
	return r, true, true
}

func looseSummary(id ID, v []byte) (Summary, bool) {
	s, err := decodeSummary(id, v)
	d := int64(id) - s.ReceivedAt.UnixNano()
	return s, err == nil && s.Method != "" && d >= 0 && d < 1e9
}

func looseDetail(id ID, v []byte) bool {
	c := &Capture{ID: id}
	return decodeDetail(c, v) == nil && (c.Proto != "" || c.Header != nil)
}

// detailSettlesBody tells whether a detail record decides a capture's body
// without a record of the bodies bucket: it holds the body (good when of
// the summary's size), or the summary says there is none.
func detailSettlesBody(detail []byte, size int) (settled, good bool) {
	b, in := detailBody(detail)
	if size == 0 || in {
		return true, len(b) == size
	}
	return false, false
}
