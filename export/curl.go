package export

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"hookscope/store"
	"hookscope/tunnel"
)

// hopByHop are the headers that describe one connection, not the request;
// curl manages its own connection, so resending them would be wrong, and
// Content-Length is computed by curl from the body it sends.
var hopByHop = map[string]bool{
	"Connection":        true,
	"Keep-Alive":        true,
	"Proxy-Connection":  true,
	"Te":                true,
	"Trailer":           true,
	"Transfer-Encoding": true,
	"Upgrade":           true,
	"Content-Length":    true,
	"Host":              true, // taken from Capture.Host, see Curl
}

// maxArgBody is the largest body passed to curl as an argument. Escaping can
// quadruple it, and it must stay under Linux's 128 KiB per argument.
const maxArgBody = 24 << 10

// Curl returns a shell command that resends c exactly: method, URL (baseURL +
// path + query; baseURL like "http://127.0.0.1:8787", or "" for the origin
// the sender called, see Capture.Origin), every header with repeated ones kept, and the body byte
// for byte.
//
// Content-Length and hop-by-hop headers are dropped, since curl owns the
// connection; Host is sent only when it differs from the URL's, as with a
// capture sent to another name. For a capture that came through a tunnel
// (c.Via), the headers the tunnel added (tunnel.AddedHeader: Cf-*,
// X-Forwarded-*, Ngrok-*) and its public Host are left out: resent to the
// local receiver they would make a capture that claims to have come through
// the tunnel, and they were not the sender's. curl's own User-Agent, Accept,
// Content-Type and Expect are suppressed when the capture had none, so the
// receiver sees no header the sender did not send.
//
// A text body goes in POSIX single quotes with --data-binary. A body with
// control characters or invalid UTF-8 goes in bash $'...' quotes with \xHH
// escapes. A body with a NUL byte cannot be a command-line argument at all
// (arguments are C strings), so it is written by printf with octal escapes
// and piped to --data-binary @-, as is any body too long for one argument.
// No form loses a byte. The command is for
// bash or zsh; the printf form also runs in any POSIX shell.
func Curl(c *store.Capture, baseURL string) string {
	base, path, target := targetURL(c, baseURL)

	// Send a body whenever the sender did, even an empty one: an explicit
	// Content-Length: 0 is part of what the receiver saw.
	sendBody := len(c.Body) > 0 || len(c.Header["Content-Length"]) > 0

	var args []string
	switch {
	case c.Method == http.MethodGet && !sendBody:
	case c.Method == http.MethodHead && !sendBody:
		// -X HEAD makes curl wait for a body that never comes.
		args = append(args, "--head")
	default:
		method := shellWord(c.Method)
		if isToken(c.Method) {
			method = c.Method // quotes around POST only add noise
		}
		args = append(args, "-X "+method)
	}
	if c.Proto == "HTTP/1.0" {
		args = append(args, "--http1.0")
	}
	if strings.ContainsAny(target, "[]{}") {
		args = append(args, "--globoff") // or curl expands them as URL globs
	}
	if hasDotSegment(path) {
		args = append(args, "--path-as-is") // or curl resolves /./ and /../
	}
	args = append(args, shellWord(target))
	// The first line holds everything up to the URL; each header and the
	// body then get a line of their own.
	firstLine := len(args)

	// Headers named by Connection are hop-by-hop too.
	drop := func(name string) bool {
		if hopByHop[name] || tunnel.AddedHeader(c.Via, name) {
			return true
		}
		for _, v := range c.Header["Connection"] {
			for tok := range strings.SplitSeq(v, ",") {
				if http.CanonicalHeaderKey(strings.TrimSpace(tok)) == name {
					return true
				}
			}
		}
		return false
	}
	names := make([]string, 0, len(c.Header))
	for name := range c.Header {
		if !drop(http.CanonicalHeaderKey(name)) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	has := map[string]bool{}
	host := c.Host
	if host == "" {
		host = c.Header.Get("Host")
	}
	// A tunnelled capture's Host is the tunnel's public name: sent to the
	// local receiver it would pass for one that came through the tunnel.
	if host != "" && (c.Via == "" || baseURL == "") {
		if u, err := url.Parse(base); err != nil || !strings.EqualFold(u.Host, host) {
			args = append(args, "-H "+shellWord("Host: "+host))
		}
	}
	for _, name := range names {
		has[http.CanonicalHeaderKey(name)] = true
		for _, v := range c.Header[name] {
			if v == "" {
				// "Name:" would tell curl to remove the header; "Name;"
				// sends it with an empty value.
				args = append(args, "-H "+shellWord(name+";"))
			} else {
				args = append(args, "-H "+shellWord(name+": "+v))
			}
		}
	}
	suppress := []string{"User-Agent", "Accept"}
	if sendBody {
		suppress = append(suppress, "Content-Type", "Expect")
	}
	for _, name := range suppress {
		if !has[name] {
			args = append(args, "-H "+shellWord(name+":"))
		}
	}

	var pipe string
	if sendBody {
		// --data-binary reads a file when the value starts with '@';
		// --data-raw is the same but never does.
		flag := "--data-binary "
		if len(c.Body) > 0 && c.Body[0] == '@' {
			flag = "--data-raw "
		}
		switch {
		case len(c.Body) > maxArgBody:
			// Linux refuses a single argument over 128 KiB; printf is a
			// shell builtin, so its arguments never reach execve.
			pipe = "printf " + printfFormat(c.Body) + " |\n  "
			args = append(args, "--data-binary @-")
		case textual(c.Body, false):
			args = append(args, flag+singleQuote(string(c.Body)))
		case bytes.IndexByte(c.Body, 0) < 0:
			args = append(args, flag+ansiCQuote(string(c.Body)))
		default:
			pipe = "printf " + printfFormat(c.Body) + " |\n  "
			args = append(args, "--data-binary @-")
		}
	}

	var b strings.Builder
	if c.Truncated {
		fmt.Fprintf(&b, "# Hookscope kept only the first %d bytes of this body; this resends those.\n", len(c.Body))
	}
	b.WriteString(pipe)
	b.WriteString("curl")
	for i, a := range args {
		if i < firstLine {
			b.WriteString(" ")
		} else {
			b.WriteString(" \\\n  ")
		}
		b.WriteString(a)
	}
	return b.String()
}

// targetURL is baseURL + path + query, the URL both curl and HAR show.
// baseURL "" stands for the origin the sender called (Capture.Origin: its
// Host, over HTTPS through a tunnel).
func targetURL(c *store.Capture, baseURL string) (base, path, target string) {
	base = strings.TrimSuffix(baseURL, "/")
	if base == "" {
		base = c.Origin()
	}
	path = c.Path
	if path == "" {
		path = "/"
	}
	target = base + path
	if c.RawQuery != "" {
		target += "?" + c.RawQuery
	}
	return base, path, target
}

// isToken reports whether s is safe unquoted in any shell.
func isToken(s string) bool {
	for _, r := range s {
		if !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return s != ""
}

func hasDotSegment(path string) bool {
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// shellWord quotes s for bash: single quotes when s is plain text, $'...'
// otherwise, so a control character never reaches the terminal raw.
func shellWord(s string) string {
	if textual([]byte(s), false) && !strings.Contains(s, "\n") {
		return singleQuote(s)
	}
	return ansiCQuote(s)
}

// singleQuote is POSIX single quoting: nothing inside is special, and each
// single quote inside is written as quote, backslash, quote, quote (close the
// quoting, an escaped quote, reopen).
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// backslashEscape is the escape for r that bash's $'...' and printf's
// format share (bash(1), QUOTING; POSIX printf, XBD File Format Notation),
// or "" for a rune written otherwise.
func backslashEscape(r rune) string {
	switch r {
	case '\\':
		return `\\`
	case '\n':
		return `\n`
	case '\t':
		return `\t`
	case '\r':
		return `\r`
	}
	return ""
}

// ansiCQuote writes s as bash $'...' with \xHH for every byte that is not
// plain text. s must not hold NUL: bash ends the word there.
func ansiCQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\'':
			b.WriteString(`\'`)
		case backslashEscape(r) != "":
			b.WriteString(backslashEscape(r))
		case plainRune(r, size, false):
			b.WriteString(s[i : i+size])
		default:
			for j := i; j < i+size; j++ {
				fmt.Fprintf(&b, `\x%02x`, s[j])
			}
		}
		i += size
	}
	b.WriteString("'")
	return b.String()
}

// printfFormat writes body as a single-quoted printf format that prints it
// back byte for byte. Octal escapes (\ooo, always three digits so a following
// digit is never absorbed) are the ones every POSIX printf knows.
func printfFormat(body []byte) string {
	var b strings.Builder
	b.WriteString("'")
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		switch {
		case r == '%':
			b.WriteString("%%")
		case i == 0 && r == '-':
			// A format starting with '-' is taken for an option
			// ("printf: --: invalid option"): a multipart body starts
			// with its "--boundary".
			b.WriteString(`\055`)
		case r == '\'':
			b.WriteString(`'\''`)
		case backslashEscape(r) != "":
			b.WriteString(backslashEscape(r))
		case plainRune(r, size, false):
			b.Write(body[i : i+size])
		default:
			for j := i; j < i+size; j++ {
				fmt.Fprintf(&b, `\%03o`, body[j])
			}
		}
		i += size
	}
	b.WriteString("'")
	return b.String()
}
