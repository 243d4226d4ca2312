package store

import (
	"encoding/binary"
	"errors"
	"net/http"
	"slices"
)

// Records are encoded as a flat list of fields: a tag byte, a uvarint length
// and that many bytes. Integers are uvarints inside the field. Decoders skip
// tags they do not know, so a newer field never breaks an older reader of the
// same schema version, and no reflection runs on the capture path.

var errCorrupt = errors.New("corrupt record")

type encoder struct{ b []byte }

func (e *encoder) bytes(tag byte, v []byte) {
	e.b = append(e.b, tag)
	e.b = binary.AppendUvarint(e.b, uint64(len(v)))
	e.b = append(e.b, v...)
}

func (e *encoder) str(tag byte, v string) {
	if v == "" {
		return
	}
	e.b = append(e.b, tag)
	e.b = binary.AppendUvarint(e.b, uint64(len(v)))
	e.b = append(e.b, v...)
}

func (e *encoder) uint(tag byte, v uint64) {
	if v == 0 {
		return
	}
	var tmp [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(tmp[:], v)
	e.bytes(tag, tmp[:n])
}

func (e *encoder) int(tag byte, v int64) {
	e.uint(tag, uint64(v<<1)^uint64(v>>63)) // zig-zag
}

func (e *encoder) bool(tag byte, v bool) {
	if v {
		e.uint(tag, 1)
	}
}

// header writes one field per value, name first, so repeated headers keep
// their order and names are sorted for a stable encoding. It runs for every
// capture: the names are sorted in place on the stack for a usual header,
// and each field is appended straight to the record.
func (e *encoder) header(tag byte, h http.Header) {
	var stack [32]string
	names := stack[:0]
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			e.b = append(e.b, tag)
			e.b = binary.AppendUvarint(e.b, uint64(uvarintLen(uint64(len(name)))+len(name)+len(v)))
			e.b = binary.AppendUvarint(e.b, uint64(len(name)))
			e.b = append(e.b, name...)
			e.b = append(e.b, v...)
		}
	}
}

// uvarintLen is how many bytes binary.AppendUvarint writes for v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

type decoder struct {
	b   []byte
	err error
}

// next returns the next field; ok is false at the end or on corruption.
func (d *decoder) next() (tag byte, v []byte, ok bool) {
	if len(d.b) == 0 || d.err != nil {
		return 0, nil, false
	}
	tag = d.b[0]
	n, k := binary.Uvarint(d.b[1:])
	if k <= 0 || uint64(len(d.b)-1-k) < n {
		d.err = errCorrupt
		return 0, nil, false
	}
	v = d.b[1+k : 1+k+int(n)]
	d.b = d.b[1+k+int(n):]
	return tag, v, true
}

func decUint(v []byte) uint64 {
	x, _ := binary.Uvarint(v)
	return x
}

func decInt(v []byte) int64 {
	u := decUint(v)
	return int64(u>>1) ^ -int64(u&1)
}

func addHeader(h http.Header, v []byte) http.Header {
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return h
	}
	if h == nil {
		h = http.Header{}
	}
	name := string(v[k : k+int(n)])
	h[name] = append(h[name], string(v[k+int(n):]))
	return h
}
