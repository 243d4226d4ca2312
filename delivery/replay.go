package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"hookscope/signature"
	"hookscope/store"
)

// ReplayAction is the Action replays are recorded under. It is not a
// webhook's action, so a replay does not touch a webhook's lastCall/lastError
// log (unless a project names a webhook "replay"), and a capture's detail
// tells its forward from its replays by it.
const ReplayAction = "replay"

// ErrInvalidTarget is returned for a replay URL that cannot be sent to.
var ErrInvalidTarget = errors.New("the target URL must be http:// or https:// with a host")

// ErrCannotResign is returned when re-signing is asked for a capture whose
// project has no secret or no scheme to sign with.
var ErrCannotResign = errors.New("the capture's project has no secret and scheme to re-sign with")

// ReplayOptions say how a capture is sent again.
type ReplayOptions struct {
	// URL is the target. "" sends to the project's webhook for the capture's
	// action (see replayTarget), with the webhook's headers, as Forward does.
	URL string
	// Method replaces the captured method when not "".
	Method string
	// Header replaces the captured headers, Body the captured body. When
	// Edited is false a nil Header or Body means "as captured"; when Edited
	// is true they are taken as given, nil meaning none. Either way
	// hop-by-hop headers, Host and Content-Length are dropped (see
	// forwardHeader): the transport computes its own.
	Header http.Header
	Body   []byte
	// KeepPath appends the capture's path after the project slug (the whole
	// path for an Unsorted capture) and its query to URL.
	KeepPath bool
	// KeepQuery appends the capture's query to URL (implied by KeepPath).
	KeepQuery bool
	// Resign recomputes the signature headers of the project's scheme for
	// the body actually sent, with a fresh timestamp and message id; off, the
	// headers go as they are.
	Resign bool
	// Edited says the request was edited by hand: Header and Body are used
	// as given, and a truncated capture may be sent (its edited body is
	// what the user chose to send).
	//
	// Edited or not, a capture that arrived chunked is sent chunked with
	// its trailer fields: the framing is not part of what is edited.
	Edited bool
}

// HistoryProject is the project slug a capture's attempts are recorded
// under: its own, or store.Unsorted for a capture of no project (slugs
// cannot contain '_', so it never names a real project).
func HistoryProject(captureProject string) string {
	if captureProject == "" {
		return store.Unsorted
	}
	return captureProject
}

// Replays returns every attempt that forwarded or replayed the capture,
// newest first; a replay's Action is ReplayAction, a forward's the webhook's.
func Replays(st *store.Store, c *store.Capture) ([]store.Attempt, error) {
	return st.CaptureDeliveries(c.ID)
}

// SignatureConfig is how the project's webhooks are signed and verified.
func SignatureConfig(p store.Project) signature.Config {
	return signature.Config{
		Scheme:          p.Scheme,
		Secret:          p.Secret,
		PreviousSecrets: p.PreviousSecrets,
		Header:          p.Signature.Header,
		Algorithm:       p.Signature.Algorithm,
		Encoding:        p.Signature.Encoding,
		Prefix:          p.Signature.Prefix,
		PublicBaseURL:   p.Signature.PublicBaseURL,
	}
}

// resignScheme is the scheme a replay of a request with header would be
// re-signed with for the project — its own scheme, or the one the headers
// reveal — or "" when it cannot be re-signed (no project, no secret, no
// scheme).
func resignScheme(p *store.Project, header http.Header) string {
	if p == nil || p.Secret == "" {
		return ""
	}
	if p.Scheme != "" {
		return p.Scheme
	}
	return signature.Detect(header)
}

// replayTarget is the webhook a capture is replayed to by default: the
// project's webhook for the capture's action, else its "default" webhook;
// one with a URL, enabled or not (a replay is an explicit request).
func replayTarget(p *store.Project, c *store.Capture) (store.Webhook, bool) {
	if p == nil {
		return store.Webhook{}, false
	}
	for _, action := range []string{ActionOf(p.Slug, c.Path), store.DefaultWebhookAction} {
		if action == "" {
			continue
		}
		if w, ok := p.Webhook(action); ok && w.URL != "" {
			return w, true
		}
	}
	return store.Webhook{}, false
}

// PathSuffix is the part of the capture's path a target gets with KeepPath:
// what follows the project slug, or the whole path of an Unsorted capture.
func PathSuffix(c *store.Capture) string {
	if c.Project == "" {
		return c.Path
	}
	rest, ok := strings.CutPrefix(c.Path, "/"+c.Project)
	if !ok || (rest != "" && rest[0] != '/') {
		return c.Path
	}
	return rest
}

// ReplayURL is the URL a replay to target is sent to: target with the
// capture's path suffix (keepPath) and query (keepPath or keepQuery). A
// suffix with a dot segment is refused (ErrDotSegment).
func ReplayURL(target string, c *store.Capture, keepPath, keepQuery bool) (string, error) {
	out := target
	if keepPath {
		suffix := PathSuffix(c)
		if hasDotSegment(suffix) {
			return "", fmt.Errorf("%q: %w", suffix, ErrDotSegment)
		}
		out = joinPath(out, suffix)
	}
	if keepPath || keepQuery {
		out = joinQuery(out, c.RawQuery)
	}
	return out, nil
}

// ErrDotSegment is returned for a keep-path replay of a capture whose path
// has a "." or ".." segment.
var ErrDotSegment = errors.New(`the capture's path has a "." or ".." segment: appended to the target it could climb out of the target's path (to Hookscope's own API, say), so it is not sent with its path`)

// hasDotSegment reports whether path has a "." or ".." segment, also
// percent-encoded ("%2e", "%2E%2e"): RFC 3986 §5.2.4 removes them, and
// servers decode before they do (RFC 3986 §2.3: "%2E" is ".").
func hasDotSegment(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		seg = strings.ReplaceAll(strings.ToLower(seg), "%2e", ".")
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// joinPath appends suffix to the path of target, before its query and
// fragment, with one slash between them.
func joinPath(target, suffix string) string {
	if suffix == "" {
		return target
	}
	cut := len(target)
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		cut = i
	}
	base, tail := target[:cut], target[cut:]
	if strings.HasSuffix(base, "/") && strings.HasPrefix(suffix, "/") {
		suffix = suffix[1:]
	} else if !strings.HasSuffix(base, "/") && !strings.HasPrefix(suffix, "/") {
		suffix = "/" + suffix
	}
	return base + suffix + tail
}

// CheckTarget reports what keeps raw from being a replay target, or nil.
func CheckTarget(raw string) error {
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return fmt.Errorf("%q: %w", raw, ErrInvalidTarget)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w: %v", raw, ErrInvalidTarget, unwrapURLError(err))
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%q: %w", raw, ErrInvalidTarget)
	}
	// url.Parse takes any digits as a port; the dial would then fail and
	// the replay be recorded as a failed attempt rather than refused.
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q: %w; its port must be from 1 to 65535", raw, ErrInvalidTarget)
		}
	}
	return nil
}

// ReplayRequest builds the request a replay sends, without sending it:
// method, URL, headers and body as ReplayOptions say, re-signed when asked.
// project may be nil (an Unsorted capture, or a project since deleted).
func (c *Client) ReplayRequest(capture *store.Capture, project *store.Project, opt ReplayOptions) (Request, error) {
	req := Request{Method: opt.Method, Header: opt.Header, Body: opt.Body}
	req.TransferEncoding, req.Trailer = capture.TransferEncoding, capture.Trailer.Clone()
	if req.Method == "" {
		req.Method = capture.Method
	}
	if !opt.Edited {
		if opt.Header == nil {
			req.Header = capture.Header
		}
		if opt.Body == nil {
			if capture.Truncated {
				return Request{}, fmt.Errorf("replay capture %s: %w", capture.ID, ErrTruncated)
			}
			req.Body = capture.Body
		}
	}
	req.Header = forwardHeader(req.Header)
	req.Body = slices.Clone(req.Body)
	if req.Body == nil {
		req.Body = []byte{}
	}
	target := opt.URL
	if target == "" {
		w, ok := replayTarget(project, capture)
		if !ok {
			return Request{}, fmt.Errorf("replay capture %s: no URL given and %w", capture.ID, ErrNoWebhook)
		}
		target = w.URL
		req.Header = withWebhookHeaders(req.Header, w)
	}
	err := CheckTarget(target)
	if err != nil {
		return Request{}, fmt.Errorf("replay capture %s: %w", capture.ID, err)
	}
	if req.URL, err = ReplayURL(target, capture, opt.KeepPath, opt.KeepQuery); err != nil {
		return Request{}, fmt.Errorf("replay capture %s: %w", capture.ID, err)
	}
	if opt.Resign {
		scheme := resignScheme(project, req.Header)
		if scheme == "" {
			return Request{}, fmt.Errorf("replay capture %s: %w", capture.ID, ErrCannotResign)
		}
		cfg := SignatureConfig(*project)
		cfg.Scheme = scheme
		sr := signature.Request{Method: req.Method, URL: req.URL, Header: req.Header, Body: req.Body}
		if err := signature.Sign(&sr, cfg, c.now()); err != nil {
			return Request{}, fmt.Errorf("replay capture %s: re-sign: %w", capture.ID, err)
		}
		// Twilio signs the URL and may add bodySHA256 to it.
		req.URL, req.Header = sr.URL, sr.Header
	}
	return req, nil
}

// Replay sends the capture again as opt says and records the attempt with
// the capture (CaptureID set, Action ReplayAction, the request as sent —
// edits included — and Resigned as asked). A failure of the target is in the attempt, not the
// error, and is recorded too; the error is for what prevents the attempt
// (a bad URL, a truncated body, no way to re-sign) or its record.
func (c *Client) Replay(ctx context.Context, capture *store.Capture, project *store.Project, opt ReplayOptions) (store.Attempt, error) {
	if c.Store == nil {
		return store.Attempt{}, errors.New("delivery: the client has no store to record attempts in")
	}
	req, err := c.ReplayRequest(capture, project, opt)
	if err != nil {
		return store.Attempt{}, err
	}
	a := c.Send(ctx, req)
	a.Project, a.Action, a.CaptureID = HistoryProject(capture.Project), ReplayAction, capture.ID
	a.Resigned = opt.Resign
	if err := c.Store.RecordDelivery(&a); err != nil {
		return a, fmt.Errorf("replay capture %s: %w", capture.ID, err)
	}
	return a, nil
}

// BulkOptions say how ReplayAll sends captures.
type BulkOptions struct {
	// URL is the target of every capture; "" sends each to its project's
	// webhook (see replayTarget).
	URL string
	// Delay is waited between two requests.
	Delay time.Duration
	// Resign re-signs the captures whose project can be (see resignScheme);
	// the others go with their headers as captured.
	Resign bool
	// KeepPath and KeepQuery are those of ReplayOptions.
	KeepPath  bool
	KeepQuery bool
}

// BulkSummary is the outcome of ReplayAll.
type BulkSummary struct {
	// Succeeded counts the 2xx answers; Failed the rest: other answers, no
	// answer, and captures that could not be sent.
	Succeeded, Failed int
	Failures          []Failure
	// Canceled says the context ended before every capture was sent; the
	// captures not reached count neither as succeeded nor as failed.
	Canceled bool
}

// Failure is one capture that did not get a 2xx answer, and why.
type Failure struct {
	CaptureID store.ID
	Error     string
}

// ReplayAll replays the captures one after the other, oldest first, each
// recorded as Replay records it, waiting opt.Delay between two. It stops
// when ctx ends (the request in flight is canceled and recorded as such).
// progress, when not nil, is called after each capture with the attempt
// (a zero attempt with Error set for a capture that could not be sent).
func (c *Client) ReplayAll(ctx context.Context, captures []store.ID, opt BulkOptions, progress func(done, total int, a store.Attempt)) BulkSummary {
	ids := slices.Clone(captures)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var sum BulkSummary
	projects := map[string]*store.Project{}
	for i, id := range ids {
		if ctx.Err() != nil {
			sum.Canceled = true
			return sum
		}
		if i > 0 && opt.Delay > 0 {
			t := time.NewTimer(opt.Delay)
			select {
			case <-ctx.Done():
				t.Stop()
				sum.Canceled = true
				return sum
			case <-t.C:
			}
		}
		a, err := c.replayOne(ctx, id, opt, projects)
		switch {
		case err != nil:
			a = store.Attempt{CaptureID: id, Error: err.Error()}
			sum.Failed++
			sum.Failures = append(sum.Failures, Failure{CaptureID: id, Error: err.Error()})
		case a.OK():
			sum.Succeeded++
		default:
			sum.Failed++
			sum.Failures = append(sum.Failures, Failure{CaptureID: id, Error: a.Outcome()})
		}
		if progress != nil {
			progress(i+1, len(ids), a)
		}
	}
	if ctx.Err() != nil {
		sum.Canceled = true
	}
	return sum
}

func (c *Client) replayOne(ctx context.Context, id store.ID, opt BulkOptions, projects map[string]*store.Project) (store.Attempt, error) {
	if c.Store == nil {
		return store.Attempt{}, errors.New("delivery: the client has no store to record attempts in")
	}
	capture, err := c.Store.Get(id)
	if err != nil {
		return store.Attempt{}, err
	}
	p, seen := projects[capture.Project]
	if !seen && capture.Project != "" {
		if got, err := c.Store.Project(capture.Project); err == nil {
			p = &got
		} else if !errors.Is(err, store.ErrProjectNotFound) {
			return store.Attempt{}, err
		}
		projects[capture.Project] = p
	}
	ro := ReplayOptions{URL: opt.URL, KeepPath: opt.KeepPath, KeepQuery: opt.KeepQuery}
	ro.Resign = opt.Resign && resignScheme(p, capture.Header) != ""
	return c.Replay(ctx, capture, p, ro)
}
