// Package clocale stops Fyne from logging "Error parsing user locale C" at
// start under the C locale with a codeset, such as LANG=C.UTF-8 (the
// default of many containers and CI images).
//
// Fyne's lang package looks up the user's languages in its package init,
// before main runs and whatever the mode (github.com/jeandeaual/go-locale
// reads LC_ALL, LC_MESSAGES, LANG, then LANGUAGE). go-locale knows "C" and
// "POSIX" as the C locale but not "C.UTF-8", which it splits into a
// language "C" that golang.org/x/text refuses. This package's init runs
// before Fyne's (Go initialises packages in import-path order among those
// whose imports are ready, and this one imports only os and strings), and
// when the locale in effect is C or POSIX with a codeset and LANGUAGE is
// unset, it sets LANGUAGE=en: what the C locale means for messages
// (POSIX.1-2017, 7.2 "POSIX Locale"), and what Fyne falls back to anyway.
// GNU gettext ignores LANGUAGE under the C locale, so programs Hookscope
// starts see no difference
// (https://www.gnu.org/software/gettext/manual/html_node/The-LANGUAGE-variable.html).
package clocale

import (
	"os"
	"strings"
)

func init() {
	if _, set := os.LookupEnv("LANGUAGE"); set {
		return
	}
	if IsCWithCodeset(messagesLocale()) {
		os.Setenv("LANGUAGE", "en")
	}
}

// messagesLocale is the locale in effect for messages, as gettext picks it.
func messagesLocale() string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// IsCWithCodeset reports whether loc is the C or POSIX locale with a
// codeset or modifier ("C.UTF-8", "POSIX.utf8", "C@euro").
func IsCWithCodeset(loc string) bool {
	name, _, _ := strings.Cut(loc, "@")
	name, _, _ = strings.Cut(name, ".")
	return (name == "C" || name == "POSIX") && loc != name
}
