package signature

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSnippetErrors(t *testing.T) {
	if _, err := Snippet("nope", "go"); err == nil {
		t.Error("unknown scheme accepted")
	}
	if _, err := Snippet(SchemeGitHub, "rust"); err == nil {
		t.Error("unknown language accepted")
	}
}

func TestGoSnippetsParse(t *testing.T) {
	for _, s := range Schemes() {
		src, err := Snippet(s.Name, "go")
		if err != nil || !strings.Contains(src, "func verify(") {
			t.Fatalf("%s: %v / no verify func", s.Name, err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), s.Name+".go", "package x\n\n"+src, 0); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		py, err := Snippet(s.Name, "python")
		if err != nil || !strings.Contains(py, "def verify(") {
			t.Errorf("%s python: %v", s.Name, err)
		}
	}
}

// customHMAC is a generic HMAC project set up with every option changed;
// its snippet runs as the pseudo-scheme customHMACCase.
var customHMAC = Config{Scheme: SchemeHMAC, Secret: "custom-secret", Header: "X-My-Sig", Algorithm: "sha512", Encoding: "base64", Prefix: "v1="}

const customHMACCase = "hmac/custom"

// snipCase is one request a snippet must accept (Want) or reject.
type snipCase struct {
	Scheme  string
	URL     string
	Headers map[string]string
	Body    string // base64
	Secret  string
	Want    bool
}

func toSnipCase(scheme string, r Request, secret string, want bool) snipCase {
	h := map[string]string{}
	for k, v := range r.Header {
		if len(v) > 0 {
			h[k] = v[0]
		}
	}
	return snipCase{scheme, r.URL, h, base64.StdEncoding.EncodeToString(r.Body), secret, want}
}

// snippetCases signs a request per scheme at the real current time (the
// snippets read the clock), plus a tampered copy, plus published vectors of
// the schemes without a timestamp.
func snippetCases(t *testing.T) []snipCase {
	now := time.Now()
	var out []snipCase
	for _, s := range Schemes() {
		cfg := roundTripConfig(s.Name)
		body := jsonIndented
		if s.Name == SchemeTwilio {
			body = "From=%2B14158675309&Sid=CA1&SidAccount=AC1&Body=hi+there"
		}
		r := signed(t, cfg, body, now)
		out = append(out, toSnipCase(s.Name, r, cfg.Secret, true))
		bad := r
		bad.Header = r.Header.Clone()
		if s.Name == SchemeHeaderToken {
			bad.Header.Set("Authorization", "Bearer "+cfg.Secret)
		} else {
			bad.Body = bytes.Clone(r.Body)
			bad.Body[3] ^= 1
		}
		out = append(out, toSnipCase(s.Name, bad, cfg.Secret, false))
		if s.Timestamped {
			old := signed(t, cfg, body, now.Add(-10*time.Minute))
			out = append(out, toSnipCase(s.Name, old, cfg.Secret, false))
		}
	}
	// A generic HMAC set up unlike ConfiguredSnippet's defaults.
	cr := signed(t, customHMAC, jsonIndented, now)
	out = append(out, toSnipCase(customHMACCase, cr, customHMAC.Secret, true))
	cr.Body = []byte(jsonCompact)
	out = append(out, toSnipCase(customHMACCase, cr, customHMAC.Secret, false))
	tj := Request{URL: "https://hooks.example.com/voice", Header: hdr("Content-Type", "application/json"), Body: []byte(jsonCompact)}
	if err := Sign(&tj, Config{Scheme: SchemeTwilio, Secret: "tok"}, now); err != nil {
		t.Fatal(err)
	}
	out = append(out, toSnipCase(SchemeTwilio, tj, "tok", true))
	tj.Body = []byte(jsonIndented)
	out = append(out, toSnipCase(SchemeTwilio, tj, "tok", false))
	// Published vectors (sources in vectors_test.go).
	out = append(out,
		toSnipCase(SchemeGitHub, Request{URL: "https://x/", Body: []byte("Hello, World!"), Header: hdr("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")}, "It's a Secret to Everybody", true),
		toSnipCase(SchemeHubSHA256Base64, Request{URL: "https://x/", Body: []byte(unitaryErrorJSON), Header: hdr("X-Hub-Signature-256", "xDIo1V+MXrch+M11WZF1TTbBc5FWQSOyBNpkLxMR27k=")}, "test_key", true),
		toSnipCase(SchemeShopify, Request{URL: "https://x/", Body: []byte(`{"foo": "bar"}`), Header: hdr("X-Shopify-Hmac-Sha256", "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=")}, "test_secret_key", true),
		toSnipCase(SchemeTwilio, twilioReq(twilioURL, twilioParamsForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), "12345", true),
		toSnipCase(SchemeTwilio, twilioReq(twilioURL, "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234", "IK+Dwps556ElfBT0I3Rgjkr1wJU="), "12345", true),
		toSnipCase(SchemeTwilio, Request{URL: twilioURL + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
			Header: hdr("X-Twilio-Signature", "a9nBmqA0ju/hNViExpshrM61xv4="), Body: []byte(`{"property": "value", "boolean": true}`)}, "12345", true),
	)
	return out
}

func writeCases(t *testing.T, dir string, cases []snipCase) {
	t.Helper()
	data, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cases.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

const goSnippetMain = `package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

type tcase struct {
	Scheme, URL string
	Headers     map[string]string
	Body        string
	Secret      string
	Want        bool
}

func main() {
	data, err := os.ReadFile("cases.json")
	if err != nil {
		panic(err)
	}
	var cases []tcase
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	fails := 0
	for i, c := range cases {
		body, _ := base64.StdEncoding.DecodeString(c.Body)
		r, err := http.NewRequest("POST", c.URL, bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		for k, v := range c.Headers {
			r.Header.Set(k, v)
		}
		var got bool
		switch c.Scheme {
%s		}
		if got != c.Want {
			fmt.Printf("case %%d (%%s): got %%v, want %%v\n", i, c.Scheme, got, c.Want)
			fails++
		}
	}
	if fails > 0 {
		os.Exit(1)
	}
}
`

// toolOrSkip returns the path of the program name, and skips the test in
// -short mode or where the program is not installed.
func toolOrSkip(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs " + name)
	}
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skip(name + " not found")
	}
	return path
}

// TestGoSnippetsVerify compiles every Go snippet and runs it against
// requests signed by Sign and against published vectors.
func TestGoSnippetsVerify(t *testing.T) {
	goTool := toolOrSkip(t, "go")
	dir := t.TempDir()
	var sw strings.Builder
	for i, s := range Schemes() {
		src, _ := Snippet(s.Name, "go")
		fn := fmt.Sprintf("verify%d", i)
		src = strings.Replace(src, "func verify(", "func "+fn+"(", 1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.go", i)), []byte("package main\n\n"+src), 0o644); err != nil {
			t.Fatal(err)
		}
		call := fn + "(r, body, c.Secret)"
		if s.Name == SchemeTwilio {
			call = fn + "(c.URL, r, body, c.Secret)"
		}
		fmt.Fprintf(&sw, "\t\tcase %q:\n\t\t\tgot = %s\n", s.Name, call)
	}
	custom, err := ConfiguredSnippet(customHMAC, "go")
	if err != nil {
		t.Fatal(err)
	}
	custom = strings.Replace(custom, "func verify(", "func verifyCustom(", 1)
	if err := os.WriteFile(filepath.Join(dir, "custom.go"), []byte("package main\n\n"+custom), 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&sw, "\t\tcase %q:\n\t\t\tgot = verifyCustom(r, body, c.Secret)\n", customHMACCase)
	files := map[string]string{
		"main.go": fmt.Sprintf(goSnippetMain, sw.String()),
		"go.mod":  "module snippetcheck\n\ngo 1.22\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeCases(t, dir, snippetCases(t))
	for _, args := range [][]string{{"vet", "."}, {"run", "."}} {
		cmd := exec.Command(goTool, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", args[0], err, out)
		}
	}
}

const pySnippetRunner = `
import base64, json, sys

class Headers(dict):
    def __init__(self, d):
        super().__init__({k.lower(): v for k, v in d.items()})
    def get(self, k, default=None):
        return super().get(k.lower(), default)

snippets = json.load(open("snippets.json"))
fails = 0
for i, c in enumerate(json.load(open("cases.json"))):
    ns = {}
    exec(snippets[c["Scheme"]], ns)
    body = base64.b64decode(c["Body"])
    h = Headers(c["Headers"])
    if c["Scheme"] == "twilio":
        got = ns["verify"](c["URL"], h, body, c["Secret"])
    else:
        got = ns["verify"](h, body, c["Secret"])
    if got != c["Want"]:
        print("case %d (%s): got %r, want %r" % (i, c["Scheme"], got, c["Want"]))
        fails += 1
sys.exit(1 if fails else 0)
`

// TestPythonSnippetsVerify runs every Python snippet the same way, when a
// Python 3.9+ is available.
func TestPythonSnippetsVerify(t *testing.T) {
	py := toolOrSkip(t, "python3")
	if exec.Command(py, "-c", "import sys; sys.exit(sys.version_info < (3, 9))").Run() != nil {
		t.Skip("python3 older than 3.9")
	}
	dir := t.TempDir()
	snips := map[string]string{}
	for _, s := range Schemes() {
		snips[s.Name], _ = Snippet(s.Name, "python")
	}
	snips[customHMACCase], _ = ConfiguredSnippet(customHMAC, "python")
	data, _ := json.Marshal(snips)
	if err := os.WriteFile(filepath.Join(dir, "snippets.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "run.py"), []byte(pySnippetRunner), 0o644); err != nil {
		t.Fatal(err)
	}
	writeCases(t, dir, snippetCases(t))
	cmd := exec.Command(py, "run.py")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
}
