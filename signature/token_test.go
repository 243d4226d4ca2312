package signature

import (
	"strings"
	"testing"
)

func TestHeaderToken(t *testing.T) {
	const secret = "tok_9f8e7d6c5b4a"
	cfg := Config{Scheme: SchemeHeaderToken, Secret: secret}
	tests := map[string]struct {
		cfg    Config
		req    Request
		status Status
		hint   string
	}{
		"valid":           {cfg: cfg, req: Request{Header: hdr("Authorization", secret)}, status: Valid},
		"wrong":           {cfg: cfg, req: Request{Header: hdr("Authorization", "tok_000000000000")}, status: Invalid},
		"missing":         {cfg: cfg, req: Request{Header: hdr("X-Other", "1")}, status: MissingHeader},
		"bearer-prefixed": {cfg: cfg, req: Request{Header: hdr("Authorization", "Bearer "+secret)}, status: Invalid, hint: `"Bearer" followed by the token`},
		"bare-token": {cfg: Config{Scheme: SchemeHeaderToken, Secret: "Bearer " + secret},
			req: Request{Header: hdr("Authorization", secret)}, status: Invalid, hint: `expects the "Bearer " prefix`},
		"whitespace":            {cfg: cfg, req: Request{Header: hdr("Authorization", secret+"\t")}, status: Valid}, // net/http trims header values; so do we
		"previous":              {cfg: Config{Scheme: SchemeHeaderToken, Secret: secret, PreviousSecrets: []string{"old_token_value"}}, req: Request{Header: hdr("Authorization", "old_token_value")}, status: Invalid, hint: "previous secret of this project (#1)"},
		"other-header":          {cfg: cfg, req: Request{Header: hdr("Authorization", "x", "X-Api-Key", secret)}, status: Invalid, hint: "X-Api-Key header instead of Authorization"},
		"missing-but-elsewhere": {cfg: cfg, req: Request{Header: hdr("X-Token", secret)}, status: MissingHeader, hint: "X-Token header"},
		"custom-header":         {cfg: Config{Scheme: SchemeHeaderToken, Secret: secret, Header: "X-Webhook-Token"}, req: Request{Header: hdr("X-Webhook-Token", secret)}, status: Valid},
		"no-secret":             {cfg: Config{Scheme: SchemeHeaderToken}, req: Request{Header: hdr("Authorization", secret)}, status: NoSecret},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res := Verify(tc.req, tc.cfg, t0)
			if res.Status != tc.status {
				t.Fatalf("status = %s, want %s (%s)", res.Status, tc.status, res.Reason)
			}
			if !strings.Contains(res.Hint, tc.hint) {
				t.Errorf("hint %q does not contain %q", res.Hint, tc.hint)
			}
			for _, s := range append([]string{secret, "old_token_value"}, tc.cfg.PreviousSecrets...) {
				for field, v := range map[string]string{"Reason": res.Reason, "Hint": res.Hint, "Received": res.Received, "Computed": res.Computed} {
					if strings.Contains(v, s) {
						t.Errorf("%s leaks a secret: %q", field, v)
					}
				}
			}
			if tc.status != MissingHeader && res.Received == "" {
				t.Error("Received not filled")
			}
		})
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"abc":              "•••• (3 chars)",
		"Bearer abcdef":    "Bearer •••• (6 chars)",
		"not a scheme!! x": "•••• (16 chars)",
	} {
		if got := mask(in); got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
	}
}
