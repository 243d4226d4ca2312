package receiver

import (
	"fmt"
	"net/http"

	"hookscope/projects"
	"hookscope/projects/rules"
)

// RulesJSON is a rule list with each rule's count: how many requests it
// matched since it last changed or was reset (counts[i] is rules[i]'s).
type RulesJSON struct {
	Rules  []rules.Rule `json:"rules"`
	Counts []uint64     `json:"counts"`
}

// unsortedRulesInput is the body of PUT /rules.
type unsortedRulesInput struct {
	Rules []rules.Rule `json:"rules"`
}

// ruleRoutes serves the rules' counters and Unsorted's own rule list; a
// project's rules are part of its JSON (PUT /projects/{slug}).
func (a *localAPI) ruleRoutes(mux *http.ServeMux) {
	const p = "/_hookscope/api"
	mux.HandleFunc("GET "+p+"/projects/{slug}/rules", a.getProjectRules)
	mux.HandleFunc("POST "+p+"/projects/{slug}/rules/reset", a.resetProjectRules)
	mux.HandleFunc("GET "+p+"/rules", a.unsortedRules)
	mux.HandleFunc("PUT "+p+"/rules", a.putUnsortedRules)
	mux.HandleFunc("POST "+p+"/rules/reset", a.resetUnsortedRules)
}

func (a *localAPI) writeRules(w http.ResponseWriter, scope string, rs []rules.Rule) {
	counts, err := a.book.RuleCounts(scope, rs)
	if err != nil {
		writeError(w, err)
		return
	}
	if rs == nil {
		rs = []rules.Rule{}
	}
	writeJSON(w, http.StatusOK, RulesJSON{Rules: rs, Counts: counts})
}

// projectRules reads the rules of the project the path names, answering
// with an error when it cannot.
func (a *localAPI) projectRules(w http.ResponseWriter, r *http.Request) (string, []rules.Rule, bool) {
	p, err := a.store.Project(r.PathValue("slug"))
	if err != nil {
		writeError(w, err)
		return "", nil, false
	}
	rs, err := projects.RulesOf(p)
	if err != nil {
		writeError(w, fmt.Errorf("project %q: %w", p.Slug, err))
		return "", nil, false
	}
	return p.Slug, rs, true
}

func (a *localAPI) getProjectRules(w http.ResponseWriter, r *http.Request) {
	if slug, rs, ok := a.projectRules(w, r); ok {
		a.writeRules(w, slug, rs)
	}
}

// resetProjectRules starts every rule's sequence of the project over, or
// only the rule ?rule=NAME names, and answers with the counts.
func (a *localAPI) resetProjectRules(w http.ResponseWriter, r *http.Request) {
	if slug, rs, ok := a.projectRules(w, r); ok && a.resetRules(w, r, slug, rs) {
		a.writeRules(w, slug, rs)
	}
}

func (a *localAPI) resetRules(w http.ResponseWriter, r *http.Request, scope string, rs []rules.Rule) bool {
	var names []string
	if name := r.URL.Query().Get("rule"); name != "" {
		found := false
		for _, rule := range rs {
			found = found || rule.Name == name
		}
		if !found {
			writeJSONError(w, http.StatusNotFound, fmt.Sprintf("no rule named %q", name))
			return false
		}
		names = []string{name}
	}
	if err := a.store.ResetRuleCounts(scope, names...); err != nil {
		writeError(w, err)
		return false
	}
	return true
}

func (a *localAPI) unsortedRules(w http.ResponseWriter, r *http.Request) {
	rs, err := a.book.UnsortedRules()
	if err != nil {
		writeError(w, err)
		return
	}
	a.writeRules(w, "", rs)
}

func (a *localAPI) putUnsortedRules(w http.ResponseWriter, r *http.Request) {
	var in unsortedRulesInput
	if err := decodeJSONObject(http.MaxBytesReader(w, r.Body, maxProjectJSON), &in); err != nil {
		if bodyTooLarge(err) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the rules JSON is larger than %d bytes", maxProjectJSON))
			return
		}
		writeJSONError(w, http.StatusBadRequest, `the body is not {"rules": [...]}: `+err.Error())
		return
	}
	if err := a.book.SaveUnsortedRules(in.Rules); err != nil {
		writeError(w, err)
		return
	}
	a.writeRules(w, "", in.Rules)
}

func (a *localAPI) resetUnsortedRules(w http.ResponseWriter, r *http.Request) {
	rs, err := a.book.UnsortedRules()
	if err != nil {
		writeError(w, err)
		return
	}
	if a.resetRules(w, r, "", rs) {
		a.writeRules(w, "", rs)
	}
}
