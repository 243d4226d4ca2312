package diff

// Binary is how two bodies that are not text compare: their sizes and the
// offset of the first byte that differs.
type Binary struct {
	LeftSize  int `json:"a_size"`
	RightSize int `json:"b_size"`
	// FirstDiff is the offset of the first differing byte, the shorter
	// size when one body is a prefix of the other, and -1 when they are
	// equal.
	FirstDiff int `json:"first_diff"`
}

// Bytes compares two bodies byte by byte.
func Bytes(a, b []byte) Binary {
	d := Binary{LeftSize: len(a), RightSize: len(b), FirstDiff: -1}
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			d.FirstDiff = i
			return d
		}
	}
	if len(a) != len(b) {
		d.FirstDiff = n
	}
	return d
}
