package tunnel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.ngrok.com/ngrok/v2"
)

// NgrokHint is shown when the authtoken is missing or refused, and
// NgrokHeadlessHint in --headless, which reads it from NGROK_AUTHTOKEN.
const (
	NgrokHint         = "paste your authtoken from https://dashboard.ngrok.com/get-started/your-authtoken in Settings"
	NgrokHeadlessHint = "set NGROK_AUTHTOKEN to your authtoken from https://dashboard.ngrok.com/get-started/your-authtoken"
)

// NgrokProvider runs an ngrok endpoint in-process with the user's authtoken
// (https://ngrok.com/docs/agent-sdks/) and serves the capture-only handler
// on it directly: no local listener, no second HTTP hop.
type NgrokProvider struct {
	// Authtoken is a secret: it never appears in an error or a state.
	Authtoken string
	// Domain is an optional fixed domain ("example.ngrok.app").
	Domain string

	// StartTimeout bounds the wait for the endpoint (default 60 s, as
	// cloudflared's ReadyTimeout): the agent retries its connection for
	// ever, so without it an offline machine would stay "starting".
	StartTimeout time.Duration

	// listen stands in for the ngrok agent in tests; nil uses it.
	listen func(ctx context.Context, onLink func(up bool, err error)) (endpoint, error)
}

// endpoint is what the provider needs of an ngrok EndpointListener.
type endpoint interface {
	net.Listener
	URL() *url.URL
}

// ngrokAuthCodes are the ngrok error codes of a missing, malformed or
// revoked authtoken (https://ngrok.com/docs/errors/): retrying cannot help.
var ngrokAuthCodes = map[string]bool{"ERR_NGROK_105": true, "ERR_NGROK_106": true, "ERR_NGROK_107": true, "ERR_NGROK_4018": true}

// Run implements Provider.
func (p *NgrokProvider) Run(ctx context.Context, h http.Handler, report func(State)) error {
	if strings.TrimSpace(p.Authtoken) == "" {
		return &Permanent{Err: errors.New("ngrok needs your authtoken"), Hint: NgrokHint, HeadlessHint: NgrokHeadlessHint}
	}
	report(State{Status: StatusStarting})
	listen := p.listen
	if listen == nil {
		listen = p.agentListen
	}
	// The agent's events come from its own goroutines: they are reported
	// only until Run returns. Before the endpoint exists a lost or refused
	// connection is shown as the reason it is still starting.
	var (
		mu        sync.Mutex
		publicURL string // "" until the endpoint exists
		lastErr   string // why the agent could not connect, before it exists
		finished  bool
	)
	finish := func() {
		mu.Lock()
		finished = true
		mu.Unlock()
	}
	defer finish()
	onLink := func(up bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case finished:
		case publicURL == "" && !up && err != nil:
			lastErr = "the ngrok agent cannot connect: " + p.redact(err.Error())
			report(State{Status: StatusStarting, Err: lastErr})
		case publicURL == "":
		case up:
			report(State{Status: StatusOnline, URL: publicURL})
		default:
			why := "the ngrok agent lost its connection and is reconnecting"
			if err != nil {
				why += ": " + p.redact(err.Error())
			}
			report(State{Status: StatusReconnecting, Err: why})
		}
	}
	ln, err := p.listenWithin(ctx, listen, onLink)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errStartTimeout) {
			mu.Lock()
			why := lastErr
			mu.Unlock()
			if why != "" {
				why = ": " + why
			}
			return fmt.Errorf("ngrok did not come online within %s%s", p.StartTimeout, why)
		}
		return p.classify(fmt.Errorf("start the ngrok endpoint: %w", err))
	}
	mu.Lock()
	publicURL = strings.TrimSuffix(ln.URL().String(), "/")
	report(State{Status: StatusOnline, URL: publicURL})
	mu.Unlock()
	srv := captureServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(stop) // closes ln, which ends the agent's session
		<-served
		return nil
	case err := <-served:
		ln.Close()
		return p.classify(fmt.Errorf("the ngrok endpoint closed: %w", err))
	}
}

var errStartTimeout = errors.New("ngrok did not come online in time")

// listenWithin calls listen, ending it after StartTimeout. The agent keeps
// the context it connected with for its session's life, so the context
// passed is canceled by the timer only while listen has not returned.
func (p *NgrokProvider) listenWithin(ctx context.Context, listen func(context.Context, func(bool, error)) (endpoint, error), onLink func(bool, error)) (endpoint, error) {
	if p.StartTimeout <= 0 {
		p.StartTimeout = 60 * time.Second
	}
	lctx, cancel := context.WithCancel(ctx)
	var timedOut atomic.Bool
	timer := time.AfterFunc(p.StartTimeout, func() {
		timedOut.Store(true)
		cancel()
	})
	ln, err := listen(lctx, onLink)
	if timer.Stop() && err == nil {
		// The session lives on lctx, which ends with ctx; cancel is
		// released then.
		context.AfterFunc(ctx, cancel)
		return ln, nil
	}
	if err == nil {
		ln.Close() // the timer fired as it returned: its session is ending
	}
	if timedOut.Load() && ctx.Err() == nil {
		return nil, errStartTimeout
	}
	cancel()
	return nil, err
}

// agentListen starts an ngrok agent and an endpoint on it; closing the
// endpoint disconnects the agent.
func (p *NgrokProvider) agentListen(ctx context.Context, onLink func(up bool, err error)) (endpoint, error) {
	ag, err := ngrok.NewAgent(
		ngrok.WithAuthtoken(p.Authtoken),
		ngrok.WithClientInfo("hookscope", "1"),
		ngrok.WithEventHandler(func(e ngrok.Event) {
			switch e := e.(type) {
			case *ngrok.EventAgentConnectSucceeded:
				onLink(true, nil)
			case *ngrok.EventAgentDisconnected:
				onLink(false, e.Error)
			}
		}),
	)
	if err != nil {
		return nil, err
	}
	var opts []ngrok.EndpointOption
	if d := strings.TrimSpace(p.Domain); d != "" {
		if !strings.Contains(d, "://") {
			d = "https://" + d
		}
		opts = append(opts, ngrok.WithURL(d))
	}
	ln, err := ag.Listen(ctx, opts...)
	if err != nil {
		ag.Disconnect()
		return nil, err
	}
	return &agentEndpoint{EndpointListener: ln, agent: ag}, nil
}

type agentEndpoint struct {
	ngrok.EndpointListener
	agent ngrok.Agent
}

func (e *agentEndpoint) Close() error {
	err := e.EndpointListener.Close()
	e.agent.Disconnect()
	return err
}

// classify turns err into one that never carries the authtoken, Permanent
// when ngrok refused the authtoken.
func (p *NgrokProvider) classify(err error) error {
	msg := errors.New(p.redact(err.Error()))
	var ne ngrok.Error
	if errors.As(err, &ne) && ngrokAuthCodes[ne.Code()] {
		return &Permanent{Err: msg, Hint: NgrokHint, HeadlessHint: NgrokHeadlessHint}
	}
	return msg
}

// redact removes the authtoken from s: ngrok's own messages may quote it.
func (p *NgrokProvider) redact(s string) string {
	if t := strings.TrimSpace(p.Authtoken); t != "" {
		s = strings.ReplaceAll(s, t, "[authtoken]")
	}
	return s
}
