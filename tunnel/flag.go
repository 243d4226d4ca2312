package tunnel

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ParseFlag turns the value of --tunnel into a Config: "cloudflared",
// "ngrok" (its authtoken from NGROK_AUTHTOKEN, read through getenv) or a
// public URL the user runs themselves. The Config must pass Validate: a
// refusal is an error here, before anything starts.
func ParseFlag(value string, getenv func(string) string) (Config, error) {
	var cfg Config
	switch v := strings.TrimSpace(value); v {
	case "":
		return Config{}, errors.New("--tunnel needs cloudflared, ngrok or your own public URL")
	case Cloudflared:
		cfg = Config{Provider: Cloudflared}
	case Ngrok:
		cfg = Config{Provider: Ngrok, NgrokAuthtoken: getenv("NGROK_AUTHTOKEN"), NgrokDomain: getenv("NGROK_DOMAIN")}
	default:
		u, err := ValidateCustomURL(v)
		if err != nil {
			// err quotes the URL, unless it holds credentials.
			return Config{}, fmt.Errorf("--tunnel is neither cloudflared, ngrok nor a usable URL: %w", err)
		}
		cfg = Config{Provider: Custom, CustomURL: u}
	}
	if err := Validate(cfg); err != nil {
		return Config{}, fmt.Errorf("--tunnel %s: %s", cfg.Provider, withHint(err.Error(), HeadlessHintOf(err)))
	}
	return cfg, nil
}

// HeadlessHintOf is the advice err carries, in the words of --headless.
func HeadlessHintOf(err error) string {
	s := failedState("", err)
	return cmp.Or(s.HeadlessHint, s.Hint)
}

func withHint(msg, hint string) string {
	if hint == "" {
		return msg
	}
	return msg + "; " + hint
}

// Line is the headless line for a state: "public URL https://…" once
// online, "tunnel: <status>: <why>" otherwise. Its advice names flags and
// environment variables, not Settings.
func Line(s State) string {
	hint := cmp.Or(s.HeadlessHint, s.Hint)
	switch s.Status {
	case StatusOnline:
		return onlineLine(s)
	case StatusStarting:
		line := "tunnel: starting " + s.Provider
		if s.PreviousURL != "" {
			line = "tunnel: " + s.PreviousURL + " no longer works; starting " + s.Provider
		}
		if s.Err != "" {
			line += ": " + withHint(s.Err, hint)
		}
		return line
	case StatusOff:
		if s.PreviousURL != "" {
			return "tunnel: off; " + s.PreviousURL + " no longer works"
		}
		return "tunnel: off"
	case StatusReconnecting:
		if s.RetryIn > 0 {
			why := strings.TrimPrefix(s.Err, s.Provider+" stopped: ")
			return fmt.Sprintf("tunnel: %s stopped: %s; retrying in %s (%s)", s.Provider, withHint(why, hint), seconds(s.RetryIn), attempt(s))
		}
	}
	line := "tunnel: " + string(s.Status)
	if s.Err != "" {
		line += ": " + withHint(s.Err, hint)
	}
	return line
}

func onlineLine(s State) string {
	switch {
	case s.PreviousURL != "" && s.PreviousURL != s.URL:
		return "public URL changed: " + s.URL + " (" + s.PreviousURL + " no longer works)"
	case s.Provider == Custom:
		// Hookscope cannot know whether the user's tunnel reaches it: say
		// only what it must point at.
		return "your own URL " + s.URL + ": point your tunnel at http://" + s.Target +
			" (captures only; never at the receiver's own port, which serves the API)"
	}
	return "public URL " + s.URL
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}

func attempt(s State) string {
	if s.MaxAttempts > 0 {
		return fmt.Sprintf("attempt %d of %d", s.Attempt, s.MaxAttempts)
	}
	return fmt.Sprintf("attempt %d", s.Attempt)
}

// Lines turns successive states into headless lines, one per event: a
// state that reads the same as the one before (a provider's own
// "starting" after the manager's, a restart's start after the line that
// announced it) prints nothing.
type Lines struct{ last string }

// Next is the line for s, or "" when it says nothing new.
func (l *Lines) Next(s State) string {
	line := Line(s)
	if line == l.last {
		return ""
	}
	l.last = line
	return line
}
