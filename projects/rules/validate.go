package rules

import (
	"fmt"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/http/httpguts"
)

// Validate checks a rule list and returns a message per invalid field, keyed
// by its path under "rules" ("rules[0].steps[1].status",
// "rules[2].match.headers.X-Event"); nil when every rule is valid. Templates
// are parsed here, so a template that cannot run is refused when saving,
// never found when a capture arrives.
func Validate(rs []Rule) map[string]string {
	errs := map[string]string{}
	if len(rs) > MaxRules {
		errs["rules"] = fmt.Sprintf("at most %d rules", MaxRules)
	}
	names := map[string]int{}
	for i, r := range rs {
		at := fmt.Sprintf("rules[%d].", i)
		validateName(at, i, r.Name, names, errs)
		validateMatch(at+"match.", r.Match, errs)
		validateSteps(at, r.Steps, errs)
		if r.After != "" && !slices.Contains(Afters, r.After) {
			errs[at+"after"] = "after must be repeat_last, cycle or next_rule"
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// validateName wants a unique name: a rule's counter is kept under it, and
// a capture names the rule that answered it.
func validateName(at string, i int, name string, seen map[string]int, errs map[string]string) {
	switch {
	case strings.TrimSpace(name) == "":
		errs[at+"name"] = "a rule needs a name"
	case len(name) > 100:
		errs[at+"name"] = "name must be at most 100 characters"
	case strings.ContainsFunc(name, unicode.IsControl):
		errs[at+"name"] = "name must not contain control characters"
	default:
		if j, dup := seen[name]; dup {
			errs[at+"name"] = fmt.Sprintf("name %q is already used by rules[%d]", name, j)
		} else {
			seen[name] = i
		}
	}
}

func validateMatch(at string, m Match, errs map[string]string) {
	for j, method := range m.Methods {
		// A method is a token (RFC 9110, section 9.1), as a header name is.
		if !httpguts.ValidHeaderFieldName(method) {
			errs[fmt.Sprintf("%smethods[%d]", at, j)] = "not a method (a word such as POST)"
		}
	}
	if m.Path != "" {
		if !strings.HasPrefix(m.Path, "/") {
			errs[at+"path"] = "path must start with / (e.g. /isahit/*/review)"
		} else if _, err := path.Match(m.Path, ""); err != nil {
			errs[at+"path"] = "not a valid glob: " + err.Error() + " (* matches one path segment, ? one character, [a-z] a class)"
		}
	}
	for name, cond := range m.Headers {
		if !httpguts.ValidHeaderFieldName(name) {
			errs[at+"headers."+name] = "not a valid header name"
			continue
		}
		checkCondition(at+"headers."+name, cond, errs)
	}
	for name, cond := range m.Query {
		if name == "" {
			errs[at+"query"] = "a query condition needs a parameter name"
			continue
		}
		checkCondition(at+"query."+name, cond, errs)
	}
	for p, cond := range m.Body {
		if strings.TrimSpace(p) == "" {
			errs[at+"body"] = "a body condition needs a JSON path (e.g. type or data.eventType)"
			continue
		}
		checkCondition(at+"body."+p, cond, errs)
	}
	switch m.Signature {
	case "", SignatureValid, SignatureInvalid, SignatureMissing:
	default:
		errs[at+"signature"] = "signature must be valid, invalid or missing"
	}
}

func checkCondition(key, cond string, errs map[string]string) {
	if re, ok := regexText(cond); ok {
		if _, err := regexp.Compile(re); err != nil {
			errs[key] = "not a valid regular expression: " + err.Error()
		}
	}
}

// regexText returns the expression of a condition written between slashes.
func regexText(cond string) (string, bool) {
	if len(cond) >= 2 && strings.HasPrefix(cond, "/") && strings.HasSuffix(cond, "/") {
		return cond[1 : len(cond)-1], true
	}
	return "", false
}

func validateSteps(at string, steps []Step, errs map[string]string) {
	switch {
	case len(steps) == 0:
		errs[at+"steps"] = "a rule needs at least one step"
	case len(steps) > MaxSteps:
		errs[at+"steps"] = fmt.Sprintf("at most %d steps", MaxSteps)
	}
	for j, st := range steps {
		validateStep(fmt.Sprintf("%ssteps[%d].", at, j), st, errs)
	}
}

func validateStep(at string, st Step, errs map[string]string) {
	if !slices.Contains(Actions, st.Action) {
		errs[at+"action"] = "action must be respond, drop, hang, reset or partial"
	}
	if msg := statusError(st); msg != "" {
		errs[at+"status"] = msg
	}
	if st.DelayMS < 0 || st.DelayMS > int(MaxDelay.Milliseconds()) {
		errs[at+"delay_ms"] = fmt.Sprintf("delay must be from 0 to %d ms", MaxDelay.Milliseconds())
	}
	for name, v := range st.Headers {
		key := at + "headers." + name
		switch {
		case !httpguts.ValidHeaderFieldName(name):
			errs[key] = "not a valid header name"
		case receiverOwned(name):
			errs[key] = name + " is set by the receiver from the body it sends"
		case !httpguts.ValidHeaderFieldValue(v):
			errs[key] = "header value must not contain line breaks or control characters"
		default:
			if err := CheckTemplate(v); err != nil {
				errs[key] = err.Error()
			}
		}
	}
	if len(st.Body) > MaxBodyTemplate {
		errs[at+"body"] = fmt.Sprintf("body must be at most %d bytes", MaxBodyTemplate)
	} else if err := CheckTemplate(st.Body); err != nil {
		errs[at+"body"] = err.Error()
	}
}

// statusError says what is wrong with a step's status, "" when nothing is.
func statusError(st Step) string {
	switch {
	case st.Status != 0 && st.StatusText != "":
		// Only a Step built in Go can have both; JSON gives one or the other.
		return "status is a number or a template, not both"
	case len(st.StatusText) > maxStatusText:
		return fmt.Sprintf("a status template must be at most %d bytes", maxStatusText)
	case st.StatusText != "":
		if err := checkStatusText(st.StatusText); err != nil {
			return err.Error()
		}
	case st.Status != 0 && !validStatus(st.Status):
		return "status must be " + statusRange + " (or 0 for the fallback answer)"
	}
	return ""
}

// receiverOwned names the headers net/http derives from the answer itself:
// a Content-Length of a step's own would not match a templated body.
func receiverOwned(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Content-Length", "Transfer-Encoding", "Connection":
		return true
	}
	return false
}
