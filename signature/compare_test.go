package signature

import (
	"strings"
	"testing"
)

// lineText is a line's text and the characters marked as differing.
func lineText(l CompareLine) (text, marked string) {
	for i, r := range l.Text {
		text += string(r)
		if l.Differ[i] {
			marked += string(r)
		}
	}
	return text, marked
}

func TestCompare(t *testing.T) {
	// A wrong Stripe signature shares only "v1=" with the right one.
	recvSig := "t=1700000000,v1=96ca0f4a12b38ee0d0c6d79f1d2cc52e5c8e0b0a2c7e1f3b4a5d6c7e8f901234"
	compSig := "v1=c893e1d2f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b"
	tests := map[string]struct {
		received, computed string
		width              int
		// want is each line as "Label|text|marked".
		want []string
	}{
		"the computed value lines up under the received one": {
			received: "t=17,v1=abcd", computed: "v1=abXd", width: 64,
			want: []string{"Received|t=17,v1=abcd|c", "Computed|     v1=abXd|X"},
		},
		"a long value continues on unlabelled lines": {
			received: strings.Repeat("a", 130), computed: strings.Repeat("a", 130), width: 64,
			want: []string{
				"Received|" + strings.Repeat("a", 64) + "|", "Computed|" + strings.Repeat("a", 64) + "|",
				"|" + strings.Repeat("a", 64) + "|", "|" + strings.Repeat("a", 64) + "|",
				"|aa|", "|aa|",
			},
		},
		"a shared prefix wins over matches by chance": {
			received: recvSig, computed: compSig, width: 128,
			want: []string{
				"Received|" + recvSig + "|" + marks(recvSig[16:], compSig[3:]),
				"Computed|" + strings.Repeat(" ", 13) + compSig + "|" + marks(compSig[3:], recvSig[16:]),
			},
		},
		"values of different encodings stay flush": {
			received: "3q2+7w==", computed: "deadbeef", width: 64,
			want: []string{"Received|3q2+7w==|3q2+7w==", "Computed|deadbeef|deadbeef"},
		},
		"nothing received": {
			received: "", computed: "v1=ab", width: 64,
			want: []string{"Received||", "Computed|v1=ab|v1=ab"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, l := range Compare(tc.received, tc.computed, tc.width) {
				text, marked := lineText(l)
				got = append(got, l.Label+"|"+text+"|"+marked)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// marks is the characters of a that differ from b at the same place.
func marks(a, b string) string {
	var out string
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			out += a[i : i+1]
		}
	}
	return out
}
