package export

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"hookscope/store"
)

// received is what the test server saw of one request.
type received struct {
	method, uri, host, proto string
	header                   http.Header
	body                     []byte
}

func TestCurlResendsExactly(t *testing.T) {
	for _, tool := range []string{"curl", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.RequestURI, r.Host, r.Proto, r.Header.Clone(), body}
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	big := bytes.Repeat([]byte("0123456789abcdef"), 200) // over curl's Expect: 100-continue threshold
	tests := map[string]struct {
		c *store.Capture
		// form is a fragment the command must contain: which quoting it chose.
		form string
		// wantHost is the Host the server must see; "" means the URL's.
		wantHost string
	}{
		"json with repeated headers": {
			c: &store.Capture{Method: "POST", Path: "/stripe/hook", RawQuery: "a=1&a=2&b=%20x", Host: addr,
				Header: http.Header{
					"Content-Type":   {"application/json"},
					"User-Agent":     {"Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
					"X-Trace":        {"one", "two"},
					"Content-Length": {"31"},
					"Connection":     {"keep-alive, X-Hop"},
					"X-Hop":          {"dropped: named by Connection"},
				},
				Body: []byte(`{"id":"evt_1","amount":4200}`)},
			form: `--data-binary '{"id":"evt_1","amount":4200}'`,
		},
		"single quotes and shell metacharacters": {
			c: &store.Capture{Method: "PUT", Path: "/it's", Host: addr,
				Header: http.Header{"Content-Type": {"text/plain"}, "X-Note": {"it's $HOME `id` \\n"}},
				Body:   []byte("it's 'quoted' \"and\" $HOME $(id) `id` back\\slash\n\ttab %s %%\n")},
			form: `'\''quoted'\''`,
		},
		"binary with NUL and 0xff": {
			c: &store.Capture{Method: "POST", Path: "/bin", Host: addr,
				Header: http.Header{"Content-Type": {"application/octet-stream"}},
				Body:   []byte{0x00, 0x01, 'A', '%', 'd', '\\', '\'', 0xff, 0xfe, '\n', 0x00, '7', 0x1b, '[', '0', 'm', 0x00}},
			form: "--data-binary @-",
		},
		"multipart with a NUL, starting with its boundary's dashes": {
			c: &store.Capture{Method: "POST", Path: "/upload", Host: addr,
				Header: http.Header{"Content-Type": {"multipart/form-data; boundary=------------------------e56b"}},
				Body:   []byte("--------------------------e56b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n\x00\x01-\r\n--------------------------e56b--\r\n")},
			form: `printf '\055-----`,
		},
		"invalid UTF-8 and CRLF": {
			c: &store.Capture{Method: "POST", Path: "/latin1", Host: addr,
				Header: http.Header{"Content-Type": {"text/plain; charset=iso-8859-1"}},
				Body:   []byte("caf\xe9 \x80\x9f ok \xc3\xa9 it's\r\nline2\\x41\r\n")},
			form: `--data-binary $'caf\xe9`,
		},
		"empty GET sends no header curl would add": {
			c:    &store.Capture{Method: "GET", Path: "/health", Host: addr},
			form: "curl 'http://",
		},
		"body starting with @ is not a file name": {
			c: &store.Capture{Method: "POST", Path: "/at", Host: addr,
				Header: http.Header{"Content-Type": {"text/plain"}},
				Body:   []byte("@/etc/passwd")},
			form: "--data-raw '@/etc/passwd'",
		},
		"tunnelled host is kept": {
			c: &store.Capture{Method: "POST", Path: "/gh", Host: "abc123.ngrok.app",
				Header: http.Header{"X-Github-Event": {"push"}, "Content-Type": {"application/json"}},
				Body:   []byte(`{}`)},
			form:     "-H 'Host: abc123.ngrok.app'",
			wantHost: "abc123.ngrok.app",
		},
		"brackets, braces and escaped slash in the target": {
			c: &store.Capture{Method: "DELETE", Path: "/p/a%2Fb/[x]/./y", RawQuery: "q={1}&r[]=2&r[]=3", Host: addr,
				Header: http.Header{"Accept": {"*/*", "application/json"}}},
			form: "--globoff",
		},
		"empty header value": {
			c: &store.Capture{Method: "GET", Path: "/e", Host: addr,
				Header: http.Header{"X-Empty": {""}, "User-Agent": {"x"}}},
			form: "-H 'X-Empty;'",
		},
		"PUT with an explicit empty body": {
			c: &store.Capture{Method: "PUT", Path: "/empty", Host: addr,
				Header: http.Header{"Content-Length": {"0"}}},
			form: "--data-binary ''",
		},
		"HEAD": {
			c:    &store.Capture{Method: "HEAD", Path: "/head", Host: addr},
			form: "--head",
		},
		"body too long for one argument": {
			c: &store.Capture{Method: "POST", Path: "/huge", Host: addr,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   append(bytes.Repeat([]byte(`{"k":"it's 100%"},`), 20_000), 0xff)},
			form: "--data-binary @-",
		},
		"large body without Expect": {
			c: &store.Capture{Method: "PATCH", Path: "/big", Host: addr,
				Header: http.Header{"Content-Type": {"text/plain"}}, Body: big},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cmd := Curl(tt.c, srv.URL)
			if !strings.Contains(cmd, tt.form) {
				t.Errorf("command does not contain %q:\n%s", tt.form, cmd)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			run := exec.CommandContext(ctx, "bash", "-c", cmd)
			if len(cmd) > 64<<10 {
				// Too long for bash -c's own argument; a user would paste it
				// or save it as a script, so run it as a script.
				script := filepath.Join(t.TempDir(), "resend.sh")
				if err := os.WriteFile(script, []byte(cmd), 0o600); err != nil {
					t.Fatal(err)
				}
				run = exec.CommandContext(ctx, "bash", script)
			}
			out, err := run.CombinedOutput()
			if err != nil {
				t.Fatalf("bash -c failed: %v\n%s\ncommand:\n%s", err, out, cmd)
			}
			var r received
			select {
			case r = <-got:
			default:
				t.Fatalf("server got no request; command:\n%s", cmd)
			}
			c := tt.c
			wantURI := c.Path
			if c.RawQuery != "" {
				wantURI += "?" + c.RawQuery
			}
			wantHost := tt.wantHost
			if wantHost == "" {
				wantHost = addr
			}
			if r.method != c.Method || r.uri != wantURI || r.host != wantHost {
				t.Errorf("got %s %s Host %s, want %s %s Host %s", r.method, r.uri, r.host, c.Method, wantURI, wantHost)
			}
			if !bytes.Equal(r.body, c.Body) {
				t.Errorf("body:\n got %q\nwant %q", r.body, c.Body)
			}
			// curl computes Content-Length; everything else must be exactly
			// what the capture had, minus hop-by-hop headers.
			if len(c.Body) > 0 && r.header.Get("Content-Length") != strconv.Itoa(len(c.Body)) {
				t.Errorf("Content-Length %q for a %d-byte body", r.header.Get("Content-Length"), len(c.Body))
			}
			gotH := r.header.Clone()
			gotH.Del("Content-Length")
			wantH := c.Header.Clone()
			if wantH == nil {
				wantH = http.Header{}
			}
			for _, h := range []string{"Content-Length", "Connection", "X-Hop"} {
				wantH.Del(h)
			}
			if !reflect.DeepEqual(gotH, wantH) {
				t.Errorf("headers:\n got %v\nwant %v\ncommand:\n%s", gotH, wantH, cmd)
			}
		})
	}
}

func TestCurlMarksTruncatedBodies(t *testing.T) {
	c := &store.Capture{Method: "POST", Path: "/x", Body: []byte("abc"), Truncated: true}
	cmd := Curl(c, "")
	if !strings.HasPrefix(cmd, "# Hookscope kept only the first 3 bytes") {
		t.Errorf("no truncation note:\n%s", cmd)
	}
	if !strings.Contains(cmd, "'http://localhost/x'") {
		t.Errorf("empty baseURL and Host should give http://localhost:\n%s", cmd)
	}
}

// A tunnelled capture resent to the local receiver must not carry what the
// tunnel added, or the new capture would claim to have come through it.
func TestCurlOfATunnelledCaptureDropsWhatTheTunnelAdded(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skipf("curl not installed: %v", err)
	}
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.RequestURI, r.Host, r.Proto, r.Header.Clone(), body}
	}))
	defer srv.Close()
	c := &store.Capture{Method: "POST", Path: "/stripe", Host: "calm-river.trycloudflare.com", Via: "cloudflared",
		Header: http.Header{
			"Content-Type":      {"application/json"},
			"Stripe-Signature":  {"t=1,v1=abc"},
			"User-Agent":        {"Stripe/1.0"},
			"Cf-Connecting-Ip":  {"203.0.113.5"},
			"Cf-Ray":            {"8c1f2e3d4a5b6c7d-CDG"},
			"Cf-Visitor":        {`{"scheme":"https"}`},
			"Cf-Warp-Tag-Id":    {"5f1c"},
			"Cdn-Loop":          {"cloudflare"},
			"X-Forwarded-For":   {"203.0.113.5"},
			"X-Forwarded-Proto": {"https"},
		},
		Body: []byte(`{"id":"evt_1"}`)}
	cmd := Curl(c, srv.URL)
	for _, s := range []string{"trycloudflare", "Cf-", "X-Forwarded", "Cdn-Loop"} {
		if strings.Contains(cmd, s) {
			t.Errorf("command keeps %q:\n%s", s, cmd)
		}
	}
	out, err := exec.Command("bash", "-c", cmd).CombinedOutput()
	if err != nil {
		t.Fatalf("bash -c failed: %v\n%s", err, out)
	}
	r := <-got
	if r.host != srv.Listener.Addr().String() {
		t.Errorf("Host %q, want the local receiver's", r.host)
	}
	r.header.Del("Content-Length")
	want := http.Header{"Content-Type": {"application/json"}, "Stripe-Signature": {"t=1,v1=abc"}, "User-Agent": {"Stripe/1.0"}}
	if !reflect.DeepEqual(r.header, want) {
		t.Errorf("headers:\n got %v\nwant %v", r.header, want)
	}
	if string(r.body) != `{"id":"evt_1"}` {
		t.Errorf("body %q", r.body)
	}
}
