package store

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// matchText looks for the text in the cheapest places first, on the raw
// records: a search over a large store must not allocate per capture. A
// field holds the text only if its record does, so one pass over each
// whole record rules out nearly every capture of a search that finds
// little, instead of a pass per field; a record the text is in is then
// looked at field by field, where other fields (the answer, the remote
// address) do not count.
func (m *matcher) matchText(tx *bolt.Tx, k, summary []byte) bool {
	if len(m.needle) == 0 {
		return true
	}
	if m.containsNeedle(summary) && m.matchSummaryText(summary) {
		return true
	}
	detail := m.details.at(tx, k)
	inDetail := m.colon || m.containsNeedle(detail)
	if !inDetail && !m.contentEncoding.in(detail) && m.bodies.at(tx, k) == nil {
		// Neither a header nor the body holds the text, no body is kept
		// outside the record, and none is encoded: no need to read the
		// record's fields.
		return false
	}
	body, inline, coding := detailFields(detail)
	if !inline {
		body = m.bodies.at(tx, k)
		if m.containsNeedle(body) {
			return true
		}
	}
	// "Name: value" is not in the record as the line reads: a text with a
	// colon is looked for in every header.
	if inDetail && m.matchDetailText(detail, body) {
		return true
	}
	// Only a body its headers say is compressed is decoded: plain bodies,
	// nearly all of them, are matched above without a copy.
	return m.matchEncodedBody(body, coding)
}

// matchSummaryText looks for the text in the path and the query.
func (m *matcher) matchSummaryText(summary []byte) bool {
	d := decoder{b: summary}
	for {
		tag, v, ok := d.next()
		if !ok {
			return false
		}
		if (tag == sPath || tag == sQuery) && m.containsNeedle(v) {
			return true
		}
	}
}

// matchDetailText looks for the text in the body and each header.
func (m *matcher) matchDetailText(detail, body []byte) bool {
	if m.containsNeedle(body) {
		return true
	}
	d := decoder{b: detail}
	for {
		tag, v, ok := d.next()
		if !ok {
			return false
		}
		if tag == dHeader && m.matchHeaderField(v) {
			return true
		}
	}
}

// detailFields reads, in one pass over a detail record, its body field
// (inline is false when it has none: the body, if any, is in the bodies
// bucket) and its Content-Encoding, the values of several such headers
// joined with commas.
func detailFields(detail []byte) (body []byte, inline bool, coding []byte) {
	d := decoder{b: detail}
	for {
		tag, v, ok := d.next()
		if !ok {
			return body, inline, coding
		}
		switch tag {
		case dBody:
			body, inline = v, true
		case dHeader:
			if c := contentCoding(v); c != nil && coding == nil {
				coding = c
			} else if c != nil {
				// A copy: appending to a value in the file's memory map
				// would write into it.
				coding = append(append(append([]byte(nil), coding...), ','), c...)
			}
		}
	}
}

// record returns capture k's detail record and its body, which is a field
// of the record or, for a capture stored before schema version 2, a record
// of the bodies bucket.
func (m *matcher) record(tx *bolt.Tx, k []byte) (detail, body []byte) {
	detail = m.details.at(tx, k)
	if b, ok := detailBody(detail); ok {
		return detail, b
	}
	return detail, m.bodies.at(tx, k)
}

// matchHeaderField matches an encoded header against the text, as the line
// "Name: value" reads.
func (m *matcher) matchHeaderField(v []byte) bool {
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return false
	}
	name, value := v[k:k+int(n)], v[k+int(n):]
	if m.containsNeedle(name) || m.containsNeedle(value) {
		return true
	}
	if !m.colon {
		return false
	}
	m.line = append(append(append(m.line[:0], name...), ": "...), value...)
	return m.forms[0].in(m.line)
}

// hasColon reports whether a needle can only be found in a header's line.
func hasColon(needle []byte) bool { return bytes.IndexByte(needle, ':') >= 0 }
