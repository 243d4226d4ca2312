package rules

import (
	"path"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"

	"hookscope/signature"
)

// Matches reports whether req meets every condition of m.
func (m Match) Matches(req *Request) bool {
	return m.methodMatches(req.Method) &&
		m.pathMatches(req.Path) &&
		allMatch(m.Headers, func(name string) []string { return req.Header.Values(name) }) &&
		allMatch(m.Query, func(name string) []string { return req.Query[name] }) &&
		m.bodyMatches(req.Body) &&
		signatureMatches(m.Signature, req.Signature)
}

func (m Match) methodMatches(method string) bool {
	if len(m.Methods) == 0 {
		return true
	}
	for _, want := range m.Methods {
		// Methods are case-sensitive (RFC 9110, section 9.1), but a rule
		// typed "post" means POST: no sender uses both.
		if strings.EqualFold(want, method) {
			return true
		}
	}
	return false
}

// pathMatches uses path.Match, whose * never crosses a "/": each pattern
// segment matches one path segment (/isahit/*/review).
func (m Match) pathMatches(p string) bool {
	if m.Path == "" {
		return true
	}
	ok, err := path.Match(m.Path, p)
	return err == nil && ok
}

// allMatch checks each condition against the values values(name) gives:
// one value meeting it is enough, none at all fails it.
func allMatch(conds map[string]string, values func(string) []string) bool {
	for name, cond := range conds {
		if !anyMeets(cond, values(name)) {
			return false
		}
	}
	return true
}

func anyMeets(cond string, vals []string) bool {
	for _, v := range vals {
		if meets(cond, v) {
			return true
		}
	}
	return false
}

// meets applies one condition to a value that is present: "" only asks
// for presence, /re/ a regular expression, anything else equality.
func meets(cond, v string) bool {
	if cond == "" {
		return true
	}
	if re, ok := regexText(cond); ok {
		rx, err := regexp.Compile(re)
		return err == nil && rx.MatchString(v)
	}
	return cond == v
}

func (m Match) bodyMatches(body []byte) bool {
	if len(m.Body) == 0 {
		return true
	}
	if !gjson.ValidBytes(body) {
		return false
	}
	for p, cond := range m.Body {
		r := gjson.GetBytes(body, p)
		if !r.Exists() || !meets(cond, r.String()) {
			return false
		}
	}
	return true
}

// signatureMatches reads the signature package's statuses as the three a
// rule can ask for: valid; invalid (checked and wrong: a bad value, a
// header that does not parse, a stale timestamp); missing (no signature
// header, or none expected).
func signatureMatches(want, status string) bool {
	switch want {
	case "":
		return true
	case SignatureValid:
		return status == string(signature.Valid)
	case SignatureInvalid:
		switch signature.Status(status) {
		case signature.Invalid, signature.MalformedHeader, signature.TimestampOutOfTolerance:
			return true
		}
	case SignatureMissing:
		switch signature.Status(status) {
		case signature.MissingHeader, signature.Unsigned:
			return true
		}
	}
	return false
}
