package receiver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hookscope/store"
)

// What ngrok, cloudflared and other proxies add to the requests they pass
// on: the API must refuse every one of them, even from 127.0.0.1 with a
// localhost Host.
func TestAPIRefusesEveryForwardingHeader(t *testing.T) {
	h := New(newStore(t), Options{}).Handler()
	refused := []string{
		"Forwarded", "Via", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
		"X-Real-Ip", "True-Client-Ip",
		"Cf-Connecting-Ip", "Cf-Ray", "Cf-Visitor", "Cf-Ipcountry", "Cf-Warp-Tag-Id", "CF-Access-Client-Id",
		"Ngrok-Skip-Browser-Warning", "ngrok-trace-id",
		"X-Client-IP", "X-Original-Forwarded-For", "X-Original-Host", "X-Cluster-Client-Ip",
		"Fly-Client-IP", "Fly-Forwarded-Port", "X-Envoy-External-Address", "X-Envoy-Internal",
		"Tailscale-User-Login", "Tailscale-User-Name", "Fastly-Client-Ip",
	}
	for _, name := range refused {
		t.Run(name, func(t *testing.T) {
			rec := apiRequest(h, "GET", "/_hookscope/api/projects", map[string]string{name: "203.0.113.5"})
			body := rec.Body.String()
			want := "the Hookscope API refuses requests that came through a proxy or tunnel (" + http.CanonicalHeaderKey(name) + ")"
			if rec.Code != http.StatusForbidden || !strings.Contains(body, want) {
				t.Fatalf("%d %s, want 403 naming the header", rec.Code, body)
			}
		})
	}
	// Names that only look alike are a local client's own.
	for _, name := range []string{"X-Forwarded", "X-Request-Id", "Viability", "Cfg", "Ngrokish", "Real-Ip", "X-Client", "X-Originals", "Flyer", "Tailscaled"} {
		if rec := apiRequest(h, "GET", "/_hookscope/api/projects", map[string]string{name: "1"}); rec.Code != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", name, rec.Code, rec.Body)
		}
	}
}

// apiRequest serves one request as a loopback client addressing localhost
// would send it, with the given headers.
func apiRequest(h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost:8787"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// A tunnel that rewrites Host (ngrok --host-header=rewrite) delivers from
// 127.0.0.1 with Host localhost:PORT: the curl of the review, over real
// HTTP, gets a 403 and no secret.
func TestTunnelledAPIRequestGetsNoSecret(t *testing.T) {
	const secret = "whsec_tunnel_must_not_see_this_3f9a"
	srv, st := start(t, Options{})
	if err := st.PutProject(store.Project{Slug: "shop", Secret: secret}); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(srv.Addr(), ":")
	get := func(header http.Header) (int, string) {
		req := newRequest(t, "GET", "http://"+srv.Addr()+"/_hookscope/api/projects?reveal=1", "")
		req.Host = "localhost:" + port
		req.Header = header
		status, _, b := roundTrip(t, req)
		return status, string(b)
	}
	for _, header := range []http.Header{
		{"X-Forwarded-For": {"203.0.113.5"}},
		{"X-Client-Ip": {"203.0.113.5"}},
		{"Tailscale-User-Login": {"someone@example.com"}},
		{"Fly-Client-Ip": {"203.0.113.5"}},
		{"Cf-Connecting-Ip": {"203.0.113.5"}, "Cf-Ray": {"8f1c2d3e4f5a6b7c-CDG"}},
	} {
		status, body := get(header)
		if status != http.StatusForbidden || strings.Contains(body, secret) || !strings.Contains(body, "proxy or tunnel") {
			t.Errorf("%v: %d %s", header, status, body)
		}
	}
	// The same request without the tunnel's headers is the user's own.
	if status, body := get(http.Header{}); status != http.StatusOK || !strings.Contains(body, secret) {
		t.Errorf("local request: %d %s", status, body)
	}
}
