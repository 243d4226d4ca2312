package tunnel

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// lineLog keeps the last lines cloudflared wrote (it logs to stderr only)
// and what they said about the tunnel.
type lineLog struct {
	mu         sync.Mutex
	max        int
	partial    []byte
	lines      []string
	quickURL   string
	connected  bool
	requestErr bool
	metricsErr bool
	configFile bool
}

// ConfigFileHint is added when cloudflared's log mentions a configuration
// file: a leftover ~/.cloudflared/config.yml can interfere with quick
// tunnels
// (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/do-more-with-tunnels/trycloudflare/).
const ConfigFileHint = "a ~/.cloudflared/config.yml can interfere with quick tunnels; move it away"

// configFileRe matches a log line about a configuration file.
var configFileRe = regexp.MustCompile(`(?i)config\.ya?ml|configuration file|config file`)

func newLineLog(max int) *lineLog { return &lineLog{max: max} }

// quickURLRe matches the URL cloudflared prints in its box
// ("|  https://<words>.trycloudflare.com  |").
var quickURLRe = regexp.MustCompile(`https://[a-z0-9-]+\.trycloudflare\.com`)

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.add(strings.TrimRight(string(l.partial[:i]), "\r"))
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 64<<10 {
		// A line that never ends must not grow without bound.
		l.add(string(l.partial))
		l.partial = nil
	}
	return len(p), nil
}

// add records one line; l.mu is held.
func (l *lineLog) add(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	switch {
	case strings.Contains(line, "Your quick Tunnel has been created"):
	case strings.Contains(line, "trycloudflare.com") && strings.Contains(line, "|"):
		if u := quickURLRe.FindString(line); u != "" {
			l.quickURL = u
		}
	case strings.Contains(line, "Registered tunnel connection"):
		l.connected = true
	case strings.Contains(line, "failed to request quick Tunnel"):
		l.requestErr = true
	case strings.Contains(line, "Error opening metrics server listener"):
		l.metricsErr = true
	}
	if configFileRe.MatchString(line) {
		l.configFile = true
	}
	l.lines = append(l.lines, line)
	if len(l.lines) > l.max {
		l.lines = l.lines[len(l.lines)-l.max:]
	}
}

func (l *lineLog) url() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.quickURL
}

func (l *lineLog) registered() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.connected
}

// Lines are the last lines kept.
func (l *lineLog) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// tail quotes the last n lines worth quoting, as a suffix for an error
// ("" when none): its errors and warnings if it logged any, else its last
// lines but the quick tunnel's box, whose border and banner say nothing.
func (l *lineLog) tail(n int) string {
	var problems, other []string
	for _, line := range l.Lines() {
		switch {
		case logLevel(line) == "ERR" || logLevel(line) == "WRN":
			problems = append(problems, line)
		case !boxLine(line):
			other = append(other, line)
		}
	}
	lines := problems
	if len(lines) == 0 {
		lines = other
	}
	if len(lines) == 0 {
		return ""
	}
	return "; cloudflared said: " + strings.Join(lines[max(0, len(lines)-n):], " | ")
}

// logLevel is the level of a cloudflared log line ("<RFC3339> INF ...").
func logLevel(line string) string {
	f := strings.Fields(line)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// boxLine: a line of the box cloudflared draws around a quick tunnel's URL.
func boxLine(line string) bool {
	f := strings.Fields(line)
	if len(f) < 3 {
		return false
	}
	return strings.HasPrefix(f[2], "+--") || strings.HasPrefix(f[2], "|")
}

// hinted adds the configuration file hint to err when cloudflared's log
// mentioned one.
func (l *lineLog) hinted(err error) error {
	l.mu.Lock()
	config := l.configFile
	l.mu.Unlock()
	if !config || err == nil {
		return err
	}
	return &Hinted{Err: err, Hint: ConfigFileHint}
}

// exitError says in words why cloudflared exited on its own.
func (l *lineLog) exitError(waitErr error) error {
	l.mu.Lock()
	requestErr, metricsErr := l.requestErr, l.metricsErr
	l.mu.Unlock()
	how := "exited"
	if waitErr != nil {
		how = waitErr.Error()
	}
	switch {
	case metricsErr:
		return fmt.Errorf("%w (%s)%s", errMetricsBusy, how, l.tail(1))
	case requestErr:
		return fmt.Errorf("cloudflared could not request a quick tunnel (no network?) (%s)%s", how, l.tail(3))
	case waitErr == nil:
		return errors.New("cloudflared stopped on its own" + l.tail(3))
	}
	return fmt.Errorf("cloudflared stopped: %s%s", how, l.tail(3))
}
