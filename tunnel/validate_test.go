package tunnel_test

import (
	"errors"
	"strings"
	"testing"

	"hookscope/tunnel"
)

func TestValidate(t *testing.T) {
	for _, ok := range []tunnel.Config{
		{},
		{Provider: tunnel.Cloudflared, CloudflaredPath: "/opt/cloudflared"},
		{Provider: tunnel.Ngrok, NgrokAuthtoken: "tok", NgrokDomain: "hooks.example.ngrok.app"},
		{Provider: tunnel.Custom, CustomURL: "https://hooks.example.com", CustomAddr: "127.0.0.1:9000"},
		{Provider: tunnel.Custom, CustomURL: "https://hooks.example.com"},
	} {
		if err := tunnel.Validate(ok); err != nil {
			t.Errorf("%+v refused: %v", ok, err)
		}
	}
	for _, bad := range []tunnel.Config{
		{Provider: "cloudflare"},
		{Provider: tunnel.Ngrok},
		{Provider: tunnel.Ngrok, NgrokAuthtoken: "tok", NgrokDomain: "not a domain"},
		{Provider: tunnel.Custom},
		{Provider: tunnel.Custom, CustomURL: "https://ok.example", CustomAddr: "nonsense"},
		{Provider: tunnel.Custom, CustomURL: "https://ok.example", CustomAddr: "127.0.0.1:http"},
		{Provider: tunnel.Custom, CustomURL: "https://ok.example", CustomAddr: "127.0.0.1:70000"},
	} {
		var perm *tunnel.Permanent
		if err := tunnel.Validate(bad); !errors.As(err, &perm) || perm.Hint == "" {
			t.Errorf("%+v: %v, want a refusal with a hint", bad, err)
		}
	}
}

// A URL that is not public, or that carries credentials, is refused; the
// credentials are never quoted back.
func TestCustomURLMustBePublicAndCarryNoCredentials(t *testing.T) {
	for _, in := range []string{
		"http://127.0.0.1:8787", "http://localhost:8787", "https://LOCALHOST.", "http://[::1]:8787",
		"http://0.0.0.0:8787", "http://[::]/", "http://app.localhost/",
	} {
		if _, err := tunnel.ValidateCustomURL(in); err == nil || !strings.Contains(err.Error(), "this machine") {
			t.Errorf("%q: %v, want a refusal saying it is this machine", in, err)
		}
	}
	_, err := tunnel.ValidateCustomURL("https://user:hunter2@hooks.example.com")
	if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "user:") {
		t.Fatalf("a URL with credentials: %v", err)
	}
	if _, err := tunnel.ParseFlag("https://user:hunter2@hooks.example.com", func(string) string { return "" }); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("--tunnel with credentials: %v", err)
	}
}

func TestParseFlagRefusesNgrokWithoutAuthtoken(t *testing.T) {
	_, err := tunnel.ParseFlag("ngrok", func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "NGROK_AUTHTOKEN") || strings.Contains(err.Error(), "Settings") || strings.Count(err.Error(), "(") > 0 {
		t.Fatalf("--tunnel ngrok without NGROK_AUTHTOKEN: %v", err)
	}
}

// Headless lines give headless advice: flags and environment variables,
// never Settings, which has no window to be in.
func TestLineGivesHeadlessHints(t *testing.T) {
	for _, s := range []tunnel.State{
		{Provider: tunnel.Cloudflared, Status: tunnel.StatusFailed, Err: "cloudflared is not installed", Hint: tunnel.CloudflaredHint, HeadlessHint: tunnel.CloudflaredHeadlessHint},
		{Provider: tunnel.Ngrok, Status: tunnel.StatusFailed, Err: "refused", Hint: tunnel.NgrokHint, HeadlessHint: tunnel.NgrokHeadlessHint},
	} {
		line := tunnel.Line(s)
		if strings.Contains(line, "Settings") || !strings.Contains(line, s.HeadlessHint) {
			t.Errorf("%q", line)
		}
	}
	if !strings.Contains(tunnel.CloudflaredHeadlessHint, "--cloudflared PATH") {
		t.Errorf("cloudflared hint %q", tunnel.CloudflaredHeadlessHint)
	}
	custom := tunnel.State{Provider: tunnel.Custom, Status: tunnel.StatusOnline, URL: "https://my.example.com", Target: "127.0.0.1:8788"}
	want := "your own URL https://my.example.com: point your tunnel at http://127.0.0.1:8788 (captures only; never at the receiver's own port, which serves the API)"
	if got := tunnel.Line(custom); got != want {
		t.Errorf("custom line %q, want %q", got, want)
	}
}
