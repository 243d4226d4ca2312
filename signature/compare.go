package signature

// CompareLine is one line of a received signature shown above the computed
// one: Label is "Received" or "Computed" on the first pair of lines and ""
// on the lines a long value continues on; Differ[i] says Text[i] differs
// from the character the other value has at the same place.
type CompareLine struct {
	Label  string
	Text   []rune
	Differ []bool
}

// Compare lays the received value above the computed one in lines of width
// characters, marking each character where they differ. The computed value
// is shifted to where it lines up best with the received one, since a
// header such as Stripe's carries "t=…," before the signature.
func Compare(received, computed string, width int) []CompareLine {
	ra, rb := []rune(received), []rune(computed)
	shift := bestShift(ra, rb)
	pad := make([]rune, shift)
	for i := range pad {
		pad[i] = ' '
	}
	rb = append(pad, rb...)
	chunk := func(label string, rs, other []rune, from int) CompareLine {
		l := CompareLine{Label: label}
		for i := from; i < min(from+width, len(rs)); i++ {
			l.Text = append(l.Text, rs[i])
			// Before the shift the computed side has nothing to compare.
			l.Differ = append(l.Differ, i >= shift && (i >= len(other) || other[i] != rs[i]))
		}
		return l
	}
	var out []CompareLine
	for from := 0; from < max(len(ra), len(rb)); from += width {
		// Only the first pair is labelled: a long value continues below,
		// and labels there read as a second signature.
		recv, comp := "Received", "Computed"
		if from > 0 {
			recv, comp = "", ""
		}
		out = append(out, chunk(recv, ra, rb, from), chunk(comp, rb, ra, from))
	}
	return out
}

// bestShift is where b lines up within a. A wrong signature shares almost
// no characters with the right one, so counting matches lines up on chance;
// what both sides share is the scheme's prefix ("v1=", "sha256="): the offset
// where the longest prefix of b starts in a wins, and failing that the one
// matching the most characters.
func bestShift(a, b []rune) int {
	best, bestPrefix := 0, 0
	for shift := 0; shift+len(b) <= len(a); shift++ {
		n := 0
		for n < len(b) && a[shift+n] == b[n] {
			n++
		}
		if n > bestPrefix {
			best, bestPrefix = shift, n
		}
	}
	if bestPrefix >= 2 {
		return best
	}
	best, bestScore := 0, -1
	for shift := 0; shift+len(b) <= len(a); shift++ {
		score := 0
		for i, r := range b {
			if a[shift+i] == r {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = shift, score
		}
	}
	// Values of different encodings line up nowhere: leave them flush.
	if bestScore*2 < len(b) {
		return 0
	}
	return best
}
