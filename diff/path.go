package diff

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ValidKeyPath checks a key path as Ignore.Keys takes it: written as a
// Report writes paths, keys joined by dots ("data.taskId", "items.0.id"),
// a key holding a dot or a bracket, or empty, quoted in brackets
// (`headers["x.y"]`, a Go-quoted string).
func ValidKeyPath(p string) error {
	if p == "" {
		return errors.New("empty key path")
	}
	for i := 0; i < len(p); {
		n, err := keySegment(p[i:])
		if err != nil {
			return fmt.Errorf("at character %d: %w", i+1, err)
		}
		i += n
		if i < len(p) && p[i] != '.' && p[i] != '[' {
			return fmt.Errorf("at character %d: a dot or a bracket must follow a quoted key", i+1)
		}
		if i < len(p) && p[i] == '.' {
			i++
			if i == len(p) || p[i] == '[' {
				return fmt.Errorf("at character %d: a dot must be followed by a key", i)
			}
		}
	}
	return nil
}

// keySegment reads one key at the start of s and returns its length.
func keySegment(s string) (int, error) {
	if s[0] == '[' {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil || !strings.HasPrefix(s[1+len(q):], "]") {
			return 0, errors.New(`a bracket must hold a quoted key, as in ["x.y"]`)
		}
		return len(q) + 2, nil
	}
	n := strings.IndexAny(s, ".[")
	if n < 0 {
		n = len(s)
	}
	switch {
	case n == 0:
		return 0, errors.New("empty key between dots")
	case strings.Contains(s[:n], "]"):
		return 0, errors.New(`"]" outside brackets`)
	}
	return n, nil
}
