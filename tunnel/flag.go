package tunnel

import (
	"errors"
	"fmt"
	"strings"
)

// ParseFlag turns the value of --tunnel into a Config: "cloudflared",
// "ngrok" (its authtoken from NGROK_AUTHTOKEN, read through getenv) or a
// public URL the user runs themselves.
func ParseFlag(value string, getenv func(string) string) (Config, error) {
	switch v := strings.TrimSpace(value); v {
	case "":
		return Config{}, errors.New("--tunnel needs cloudflared, ngrok or your own public URL")
	case Cloudflared:
		return Config{Provider: Cloudflared}, nil
	case Ngrok:
		return Config{Provider: Ngrok, NgrokAuthtoken: getenv("NGROK_AUTHTOKEN"), NgrokDomain: getenv("NGROK_DOMAIN")}, nil
	default:
		u, err := ValidateCustomURL(v)
		if err != nil {
			return Config{}, fmt.Errorf("--tunnel %q is neither cloudflared, ngrok nor a usable URL: %w", v, err)
		}
		return Config{Provider: Custom, CustomURL: u}, nil
	}
}

// Line is the headless line for a state: "public URL https://…" once
// online, "tunnel: <status>: <why>" otherwise.
func Line(s State) string {
	switch s.Status {
	case StatusOnline:
		line := "public URL " + s.URL
		if s.Target != "" {
			line += " (delivers to " + s.Target + ")"
		}
		return line
	case StatusStarting:
		return "tunnel: starting " + s.Provider
	case StatusOff:
		return "tunnel: off"
	}
	line := "tunnel: " + string(s.Status)
	if s.Err != "" {
		line += ": " + s.Err
	}
	if s.Hint != "" {
		line += " (" + s.Hint + ")"
	}
	return line
}
