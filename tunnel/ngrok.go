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
	"time"

	"golang.ngrok.com/ngrok/v2"
)

// NgrokHint is shown when the authtoken is missing or refused.
const NgrokHint = "set NGROK_AUTHTOKEN or paste your authtoken in Settings (https://dashboard.ngrok.com/get-started/your-authtoken)"

// NgrokProvider runs an ngrok endpoint in-process with the user's authtoken
// (https://ngrok.com/docs/agent-sdks/) and serves the capture-only handler
// on it directly: no local listener, no second HTTP hop.
type NgrokProvider struct {
	// Authtoken is a secret: it never appears in an error or a state.
	Authtoken string
	// Domain is an optional fixed domain ("example.ngrok.app").
	Domain string

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
		return &Permanent{Err: errors.New("ngrok needs your authtoken"), Hint: NgrokHint}
	}
	report(State{Status: StatusStarting})
	listen := p.listen
	if listen == nil {
		listen = p.agentListen
	}
	// The agent's events come from its own goroutines: they are reported
	// only while the endpoint exists and Run has not returned.
	var (
		mu        sync.Mutex
		publicURL string // "" until the endpoint exists
		finished  bool
	)
	finish := func() {
		mu.Lock()
		finished = true
		mu.Unlock()
	}
	ln, err := listen(ctx, func(up bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		if finished || publicURL == "" {
			return
		}
		if up {
			report(State{Status: StatusOnline, URL: publicURL})
			return
		}
		why := "the ngrok agent lost its connection and is reconnecting"
		if err != nil {
			why += ": " + p.redact(err.Error())
		}
		report(State{Status: StatusReconnecting, Err: why})
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return p.classify(fmt.Errorf("start the ngrok endpoint: %w", err))
	}
	mu.Lock()
	publicURL = strings.TrimSuffix(ln.URL().String(), "/")
	report(State{Status: StatusOnline, URL: publicURL})
	mu.Unlock()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		finish()
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(stop) // closes ln, which ends the agent's session
		<-served
		return nil
	case err := <-served:
		finish()
		ln.Close()
		return p.classify(fmt.Errorf("the ngrok endpoint closed: %w", err))
	}
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
		return &Permanent{Err: msg, Hint: NgrokHint}
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
