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
}

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

// tail is the last n lines, as a suffix for an error ("" when none).
func (l *lineLog) tail(n int) string {
	lines := l.Lines()
	if len(lines) == 0 {
		return ""
	}
	return "; cloudflared said: " + strings.Join(lines[max(0, len(lines)-n):], " | ")
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
	case requestErr:
		return fmt.Errorf("cloudflared could not request a quick tunnel (no network?) (%s)%s", how, l.tail(3))
	case metricsErr:
		return fmt.Errorf("%w (%s)%s", errMetricsBusy, how, l.tail(1))
	case waitErr == nil:
		return errors.New("cloudflared stopped on its own" + l.tail(3))
	}
	return fmt.Errorf("cloudflared stopped: %s%s", how, l.tail(3))
}
