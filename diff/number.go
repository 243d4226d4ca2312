package diff

import (
	"encoding/json"
	"math/big"
	"strings"
)

// sameNumber reports whether two JSON numbers have the same value: 1.0 = 1,
// 1e2 = 100, -0 = 0. Both are compared as exact decimals, so two large
// integers that float64 would round to one value (2^53 + 1 and 2^53) still
// differ.
func sameNumber(a, b json.Number) bool {
	return a == b || canonicalNumber(string(a)) == canonicalNumber(string(b))
}

// canonicalNumber writes a JSON number (RFC 8259 §6) as sign, significant
// digits and exponent, "-15e-1" for -1.50, so equal values read the same.
// It works on the digits as text: a huge exponent ("1e999999999") costs its
// own length, never a huge allocation, which parsing into big.Float or
// big.Rat could.
func canonicalNumber(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	e, ok := new(big.Int).SetString(strings.TrimPrefix(exp, "+"), 10)
	if exp == "" {
		e, ok = new(big.Int), true
	}
	if !ok {
		return s // not a JSON number; compared as written
	}
	e.Sub(e, big.NewInt(int64(len(frac))))
	trimmed := strings.TrimRight(digits, "0")
	e.Add(e, big.NewInt(int64(len(digits)-len(trimmed))))
	if trimmed == "" {
		return "0"
	}
	if neg {
		trimmed = "-" + trimmed
	}
	return trimmed + "e" + e.String()
}
