package tunnel

import "fmt"

// NewProvider builds the provider cfg names.
func NewProvider(cfg Config) (Provider, error) {
	switch cfg.Provider {
	case Cloudflared:
		return &CloudflaredProvider{Path: cfg.CloudflaredPath}, nil
	case Ngrok:
		return &NgrokProvider{Authtoken: cfg.NgrokAuthtoken, Domain: cfg.NgrokDomain}, nil
	case Custom:
		return NewCustomProvider(cfg.CustomURL, cfg.CustomAddr)
	default:
		return nil, &Permanent{Err: fmt.Errorf("unknown tunnel provider %q", cfg.Provider), Hint: unknownProviderHint}
	}
}
