package diff

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"hookscope/render"
)

// compareBody compares two decoded bodies as JSON, text or bytes, and
// returns how many JSON changes the ignored keys left out.
func compareBody(a, b Message, ignore *ignoreSet) (BodyReport, int) {
	switch {
	case len(a.Body) == 0 && len(b.Body) == 0:
		return BodyReport{Kind: BodyEmpty, Changes: []BodyChange{}}, 0
	case isBinary(a.Body) || isBinary(b.Body):
		return binaryBody(a.Body, b.Body), 0
	}
	ja, jb := looksJSON(a), looksJSON(b)
	switch {
	case !ja && !jb:
		return textBody(a.Body, b.Body), 0
	case !ja && len(a.Body) > 0, !jb && len(b.Body) > 0:
		r := textBody(a.Body, b.Body)
		r.Note = "only the right body is JSON: compared as text"
		if ja {
			r.Note = "only the left body is JSON: compared as text"
		}
		return r, 0
	}
	r, ignored, err := jsonBody(a.Body, b.Body, ignore)
	if err != nil {
		r = textBody(a.Body, b.Body)
		r.Note = err.Error() + ": compared as text"
	}
	return r, ignored
}

// isBinary tells binary bodies as the Body tab does, whatever the
// Content-Type says.
func isBinary(body []byte) bool {
	return render.Sniff(body, "") == render.KindBinary
}

// looksJSON reports a body the Body tab shows as JSON: labelled so, or an
// object or array by its bytes.
func looksJSON(m Message) bool {
	return render.Sniff(m.Body, m.Header.Get("Content-Type")) == render.KindJSON
}

var utf8BOM = []byte("\xef\xbb\xbf")

// jsonBody compares two bodies as JSON documents; an empty body is no
// document, so the other's root is added or removed.
func jsonBody(a, b []byte, ignore *ignoreSet) (BodyReport, int, error) {
	va, errA := decodeSide(a)
	if errA != nil {
		return BodyReport{}, 0, fmt.Errorf("left is not valid JSON (%w)", errA)
	}
	vb, errB := decodeSide(b)
	if errB != nil {
		return BodyReport{}, 0, fmt.Errorf("right is not valid JSON (%w)", errB)
	}
	w := jsonWalk{ignore: ignore}
	switch {
	case len(a) == 0:
		w.out = []Change{{Kind: KeyAdded, Right: compact(vb)}}
	case len(b) == 0:
		w.out = []Change{{Kind: KeyRemoved, Left: compact(va)}}
	default:
		w.compare("", va, vb)
	}
	r := BodyReport{Kind: BodyJSON, Changes: make([]BodyChange, 0, len(w.out))}
	for _, c := range w.out {
		r.Changes = append(r.Changes, jsonChange(c))
	}
	return r, w.ignored, nil
}

func decodeSide(body []byte) (any, error) {
	if len(body) == 0 {
		return nil, nil
	}
	return decodeJSON(bytes.TrimPrefix(body, utf8BOM))
}

// jsonChange is a Change for the report: the values stay JSON, so the API
// writes them as values, not as strings holding JSON.
func jsonChange(c Change) BodyChange {
	out := BodyChange{Path: c.Path}
	switch c.Kind {
	case KeyAdded:
		out.Change, out.B = ChangeAdded, json.RawMessage(c.Right)
	case KeyRemoved:
		out.Change, out.A = ChangeRemoved, json.RawMessage(c.Left)
	default:
		out.Change, out.A, out.B = ChangeChanged, json.RawMessage(c.Left), json.RawMessage(c.Right)
	}
	return out
}

// textBody compares two texts line by line: one change per run of lines
// that differ, named by where it starts ("line 12": in the left text, or
// in the right one for lines only it has).
func textBody(a, b []byte) BodyReport {
	t := Lines(splitLines(a), splitLines(b))
	r := BodyReport{Kind: BodyText, Changes: []BodyChange{}, Text: &t}
	var run lineRun
	for _, row := range t.Rows {
		if row.Op == Same {
			r.Changes = run.flush(r.Changes)
		}
		run.add(row)
	}
	r.Changes = run.flush(r.Changes)
	return r
}

// splitLines splits a text at "\n"; a final newline ends the last line
// rather than starting an empty one.
func splitLines(body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
}

// lineRun gathers a run of rows that differ, counting the lines of each
// side as they go by.
type lineRun struct {
	seenA, seenB int // lines of each side before the current row
	startA       int // first left line of the run
	startB       int
	left, right  []string
}

func (r *lineRun) add(row Row) {
	if row.Op != Same && r.left == nil && r.right == nil {
		r.startA, r.startB = r.seenA+1, r.seenB+1
	}
	if row.Op == Same || row.Op == Changed || row.Op == Removed {
		if row.Op != Same {
			r.left = append(r.left, row.Left)
		}
		r.seenA++
	}
	if row.Op == Same || row.Op == Changed || row.Op == Added {
		if row.Op != Same {
			r.right = append(r.right, row.Right)
		}
		r.seenB++
	}
}

// flush appends the run gathered, if any, and starts a new one.
func (r *lineRun) flush(out []BodyChange) []BodyChange {
	if r.left == nil && r.right == nil {
		return out
	}
	c := BodyChange{Change: change(r.left != nil, r.right != nil, false)}
	line := r.startA
	if r.left == nil {
		line = r.startB
	}
	c.Path = "line " + strconv.Itoa(line)
	if r.left != nil {
		c.A = strings.Join(r.left, "\n")
	}
	if r.right != nil {
		c.B = strings.Join(r.right, "\n")
	}
	r.left, r.right = nil, nil
	return append(out, c)
}

// hexShown is how many bytes from the first difference a binary change
// shows of each side.
const hexShown = 16

// binaryBody compares two bodies byte by byte: the sizes, and the first
// differing byte with what follows it on each side.
func binaryBody(a, b []byte) BodyReport {
	d := Bytes(a, b)
	r := BodyReport{Kind: BodyBinary, Changes: []BodyChange{}, Binary: &d}
	at := d.FirstDiff
	if at < 0 {
		return r
	}
	c := BodyChange{Path: "byte " + strconv.Itoa(at), Change: change(at < len(a), at < len(b), false)}
	if at < len(a) {
		c.A = hex.EncodeToString(a[at:min(at+hexShown, len(a))])
	}
	if at < len(b) {
		c.B = hex.EncodeToString(b[at:min(at+hexShown, len(b))])
	}
	r.Changes = append(r.Changes, c)
	return r
}
