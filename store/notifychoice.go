package store

import "slices"

// NotifyChoices are the values of Project.Notify ("" takes the default from
// the window's Settings).
var NotifyChoices = []string{"", "all", "problems", "off"}

func validateNotify(v string, errs map[string]string) {
	if !slices.Contains(NotifyChoices, v) {
		errs["notify"] = `notify must be "all", "problems", "off", or empty for the default`
	}
}
