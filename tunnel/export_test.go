package tunnel

import "context"

// Endpoint lets tests stand in for the ngrok agent.
type Endpoint = endpoint

// WithNgrokListen makes p listen with fn instead of the ngrok agent.
func WithNgrokListen(p *NgrokProvider, fn func(ctx context.Context, onLink func(up bool, err error)) (Endpoint, error)) *NgrokProvider {
	p.listen = fn
	return p
}

// WithMetricsPorts makes p pick its --metrics addresses with fn.
func WithMetricsPorts(p *CloudflaredProvider, fn func() (string, error)) *CloudflaredProvider {
	p.pickPort = fn
	return p
}
