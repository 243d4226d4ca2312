package projects

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"hookscope/delivery"
	"hookscope/store"
)

func validProject() store.Project {
	return store.Project{
		Slug: "shop",
		Name: "Shop",
		Webhooks: []store.Webhook{
			{Action: "ingested", URL: "http://127.0.0.1:9000/ingested", Enabled: true,
				Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t0ken"}}},
			{Action: "modified", URL: "https://example.com/modified?x=1", Enabled: true},
			{Action: "excluded"}, // an empty, disabled row of the form
		},
		Response:  store.ProjectResponse{Status: 503, Headers: map[string]string{"Retry-After": "2"}, DelaySeconds: 1.5},
		Templates: map[string]string{"integration/modified": `{"modified": [{"id": "{{id}}"}]}`},
	}
}

func TestValidateProject(t *testing.T) {
	tests := map[string]struct {
		edit     func(p *store.Project)
		existing []store.Project
		listen   string            // where the receiver listens
		want     map[string]string // field → message; "" accepts any message
	}{
		"valid":                   {edit: func(p *store.Project) {}},
		"notify problems":         {edit: func(p *store.Project) { p.Notify = "problems" }},
		"notify off":              {edit: func(p *store.Project) { p.Notify = "off" }},
		"notify misspelt":         {edit: func(p *store.Project) { p.Notify = "All" }, want: map[string]string{"notify": `must be "all", "problems", "off", or empty for the default`}},
		"empty slug":              {edit: func(p *store.Project) { p.Slug = "" }, want: map[string]string{"slug": "slug is required"}},
		"upper-case slug":         {edit: func(p *store.Project) { p.Slug = "Shop" }, want: map[string]string{"slug": ""}},
		"double dash":             {edit: func(p *store.Project) { p.Slug = "my--shop" }, want: map[string]string{"slug": ""}},
		"trailing dash":           {edit: func(p *store.Project) { p.Slug = "shop-" }, want: map[string]string{"slug": ""}},
		"underscore (reserved)":   {edit: func(p *store.Project) { p.Slug = "_hookscope" }, want: map[string]string{"slug": ""}},
		"63 characters":           {edit: func(p *store.Project) { p.Slug = strings.Repeat("a", 63) }},
		"64 characters":           {edit: func(p *store.Project) { p.Slug = strings.Repeat("a", 64) }, want: map[string]string{"slug": "slug must be at most 63 characters"}},
		"duplicate slug":          {edit: func(p *store.Project) {}, existing: []store.Project{{Slug: "shop"}}, want: map[string]string{"slug": `slug "shop" is already used by another project`}},
		"other slugs are fine":    {edit: func(p *store.Project) {}, existing: []store.Project{{Slug: "shop-2"}}},
		"url without scheme":      {edit: func(p *store.Project) { p.Webhooks[1].URL = "example.com/hook" }, want: map[string]string{"webhooks[1].url": "URL must start with http:// or https://"}},
		"ftp url":                 {edit: func(p *store.Project) { p.Webhooks[0].URL = "ftp://example.com/" }, want: map[string]string{"webhooks[0].url": "URL must start with http:// or https://"}},
		"url without host":        {edit: func(p *store.Project) { p.Webhooks[0].URL = "http://" }, want: map[string]string{"webhooks[0].url": "URL has no host"}},
		"url with a space":        {edit: func(p *store.Project) { p.Webhooks[0].URL = "http://a b/" }, want: map[string]string{"webhooks[0].url": "URL must not contain spaces"}},
		"url that does not parse": {edit: func(p *store.Project) { p.Webhooks[0].URL = "http://[::1/x" }, want: map[string]string{"webhooks[0].url": ""}},
		"bad port":                {edit: func(p *store.Project) { p.Webhooks[0].URL = "http://localhost:70000/" }, want: map[string]string{"webhooks[0].url": "URL port must be from 1 to 65535"}},
		"upper-case scheme":       {edit: func(p *store.Project) { p.Webhooks[0].URL = "HTTP://localhost/" }},
		"enabled without url":     {edit: func(p *store.Project) { p.Webhooks[2].Enabled = true }, want: map[string]string{"webhooks[2].url": "URL is required when the webhook is enabled"}},
		"header name with space": {edit: func(p *store.Project) {
			p.Webhooks[0].Headers = append(p.Webhooks[0].Headers, store.HeaderField{Name: "X-A", Value: "1"}, store.HeaderField{Name: "X Token", Value: "2"})
		}, want: map[string]string{"webhooks[0].headers[2].name": ""}},
		"empty header name":           {edit: func(p *store.Project) { p.Webhooks[1].Headers = []store.HeaderField{{Name: "", Value: "v"}} }, want: map[string]string{"webhooks[1].headers[0].name": "header name is required"}},
		"header value newline":        {edit: func(p *store.Project) { p.Webhooks[0].Headers[0].Value = "a\r\nX-Evil: 1" }, want: map[string]string{"webhooks[0].headers[0].value": ""}},
		"duplicate action":            {edit: func(p *store.Project) { p.Webhooks[2].Action = "Ingested" }, want: map[string]string{"webhooks[2].action": `action "Ingested" is already used by webhooks[0]`}},
		"action with slash":           {edit: func(p *store.Project) { p.Webhooks[2].Action = "a/b" }, want: map[string]string{"webhooks[2].action": ""}},
		"empty action":                {edit: func(p *store.Project) { p.Webhooks[2].Action = "" }, want: map[string]string{"webhooks[2].action": "action is required"}},
		"custom action":               {edit: func(p *store.Project) { p.Webhooks[2].Action = "onSubmit" }},
		"status 99":                   {edit: func(p *store.Project) { p.Response.Status = 99 }, want: map[string]string{"response.status": ""}},
		"status 600":                  {edit: func(p *store.Project) { p.Response.Status = 600 }, want: map[string]string{"response.status": ""}},
		"status 0 is default":         {edit: func(p *store.Project) { p.Response.Status = 0 }},
		"delay 31 s":                  {edit: func(p *store.Project) { p.Response.DelaySeconds = 31 }, want: map[string]string{"response.delaySeconds": "delay must be from 0 to 30 seconds"}},
		"response header name":        {edit: func(p *store.Project) { p.Response.Headers["Bad:Name"] = "x" }, want: map[string]string{"response.headers.Bad:Name": "not a valid header name"}},
		"template not json":           {edit: func(p *store.Project) { p.Templates["kili"] = "{nope" }, want: map[string]string{"templates.kili": ""}},
		"template not an object":      {edit: func(p *store.Project) { p.Templates["kili"] = "[1]" }, want: map[string]string{"templates.kili": ""}},
		"template null":               {edit: func(p *store.Project) { p.Templates["kili"] = "null" }, want: map[string]string{"templates.kili": "template must be a JSON object, not null"}},
		"integration without records": {edit: func(p *store.Project) { p.Templates["integration/modified"] = `{"a": 1}` }, want: map[string]string{"templates.integration/modified": ""}},
		"integration with records":    {edit: func(p *store.Project) { p.Templates["integration"] = `{"docs": [{"id": "{{id}}"}]}` }},
		"status 101":                  {edit: func(p *store.Project) { p.Response.Status = 101 }, want: map[string]string{"response.status": ""}},
		"status 200":                  {edit: func(p *store.Project) { p.Response.Status = 200 }},
		"signature algorithm":         {edit: func(p *store.Project) { p.Signature.Algorithm = "md5" }, want: map[string]string{"signature.algorithm": "algorithm must be sha1, sha256 or sha512"}},
		"known scheme":                {edit: func(p *store.Project) { p.Scheme = "stripe" }},
		"unknown scheme":              {edit: func(p *store.Project) { p.Scheme = "nope" }, want: map[string]string{"scheme": ""}},
		"integration template whole":  {edit: func(p *store.Project) { p.Templates[delivery.TemplateIntegration] = `{"a": 1}` }, want: map[string]string{"templates.integration": ""}},
		"template without a name":     {edit: func(p *store.Project) { p.Templates[" "] = `{}` }, want: map[string]string{"templates": "a template needs a name"}},
		"response header value":       {edit: func(p *store.Project) { p.Response.Headers["X-A"] = "a\nb" }, want: map[string]string{"response.headers.X-A": ""}},
		"signature header name":       {edit: func(p *store.Project) { p.Signature.Header = "X Sig" }, want: map[string]string{"signature.header": "not a valid header name"}},
		"webhook at the receiver":     {edit: func(p *store.Project) {}, listen: "127.0.0.1:9000", want: map[string]string{"webhooks[0].url": delivery.OwnReceiverMessage}},
		"webhook at localhost":        {edit: func(p *store.Project) { p.Webhooks[1].URL = "http://localhost:8787/x" }, listen: "127.0.0.1:8787", want: map[string]string{"webhooks[1].url": delivery.OwnReceiverMessage}},
		"another port is fine":        {edit: func(p *store.Project) {}, listen: "127.0.0.1:8787"},
		"format error before self":    {edit: func(p *store.Project) { p.Webhooks[0].URL = "http://127.0.0.1:70000/" }, listen: "127.0.0.1:9000", want: map[string]string{"webhooks[0].url": "URL port must be from 1 to 65535"}},
		"several errors at once": {
			edit: func(p *store.Project) { p.Slug = ""; p.Webhooks[1].URL = "nope" },
			want: map[string]string{"slug": "slug is required", "webhooks[1].url": "URL must start with http:// or https://"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := validProject()
			tc.edit(&p)
			got := Validate(p, tc.existing, tc.listen)
			if len(tc.want) == 0 {
				if got != nil {
					t.Fatalf("want valid, got %v", got)
				}
				return
			}
			if !reflect.DeepEqual(sortedKeys(got), sortedKeys(tc.want)) {
				t.Fatalf("fields %v, want %v (messages %v)", sortedKeys(got), sortedKeys(tc.want), got)
			}
			for field, msg := range tc.want {
				if got[field] == "" {
					t.Errorf("%s: empty message", field)
				}
				if msg != "" && got[field] != msg {
					t.Errorf("%s: %q, want %q", field, got[field], msg)
				}
			}
		})
	}
}

func sortedKeys(m map[string]string) []string {
	keys := []string{}
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// One webhook's URL and headers are checked with the rules of a project's
// webhooks, keyed relative to it, so the window can show them beside its
// "all actions" fields.
func TestValidateWebhook(t *testing.T) {
	if errs := ValidateWebhook(store.Webhook{URL: "https://example.com/x", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer t"}}}, "127.0.0.1:8787"); errs != nil {
		t.Fatalf("a valid webhook: %v", errs)
	}
	errs := ValidateWebhook(store.Webhook{URL: "http://127.0.0.1:8787/x", Headers: []store.HeaderField{{Name: "A", Value: "1"}, {Name: "Bad Name", Value: "a\r\nb"}}}, "127.0.0.1:8787")
	want := []string{"headers[1].name", "headers[1].value", "url"}
	if got := sortedKeys(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v (%v)", got, want, errs)
	}
	if errs["url"] != delivery.OwnReceiverMessage {
		t.Fatalf("url: %q", errs["url"])
	}
	if errs := ValidateWebhook(store.Webhook{}, ""); errs != nil {
		t.Fatalf("an empty, disabled webhook: %v", errs)
	}
}

func TestFieldErrorsBySection(t *testing.T) {
	errs := FieldErrors{"slug": "x", "signature.header": "x", "response.status": "x", "webhooks[0].url": "x", "webhooks[1].action": "x", "templates.kili": "x"}
	for s, want := range map[Section]int{General: 2, Response: 1, Webhooks: 2, Templates: 1} {
		if got := errs.In(s); got != want {
			t.Errorf("section %d: %d errors, want %d", s, got, want)
		}
	}
	if msg := errs.Error(); !strings.HasPrefix(msg, "invalid project: response.status: x; signature.header: x;") {
		t.Errorf("message %q", msg)
	}
}

func TestFieldErrorLinesAreInPathOrder(t *testing.T) {
	errs := FieldErrors{"webhooks[0].url": "bad URL", "slug": "required", "response.status": "not a status"}
	want := []string{"response.status: not a status", "slug: required", "webhooks[0].url: bad URL"}
	if got := errs.Lines(); !slices.Equal(got, want) {
		t.Errorf("Lines() = %q, want %q", got, want)
	}
	if got := errs.Error(); got != "invalid project: "+strings.Join(want, "; ") {
		t.Errorf("Error() = %q", got)
	}
}
