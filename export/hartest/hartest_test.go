package hartest

import (
	"strings"
	"testing"
)

// entry is a minimal HAR 1.2 entry with every required field, its request
// and response given.
func entry(request, response string) string {
	return `{"startedDateTime":"2026-12-01T10:00:00.123Z","time":0,"request":` + request +
		`,"response":` + response + `,"cache":{},"timings":{"send":0,"wait":0,"receive":0}}`
}

func doc(entries ...string) string {
	return `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[` + strings.Join(entries, ",") + `]}}`
}

const (
	request  = `{"method":"GET","url":"http://h/x","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":0}`
	response = `{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":0}`
)

// The checker passes a complete document and names the place of each fault
// the schema defines, so a test that uses it can fail.
func TestCheckNamesWhatBreaksTheSchema(t *testing.T) {
	if err := Check([]byte(doc(entry(request, response)))); err != nil {
		t.Fatalf("a valid HAR: %v", err)
	}
	tests := map[string]struct{ doc, want string }{
		"no log":              {`{}`, "log"},
		"entry without cache": {doc(strings.Replace(entry(request, response), `"cache":{},`, "", 1)), "cache"},
		"status as a string":  {doc(entry(request, strings.Replace(response, `"status":200`, `"status":"200"`, 1))), "/log/entries/0/response/status"},
		"relative url":        {doc(entry(strings.Replace(request, "http://h/x", "/x", 1), response)), "/log/entries/0/request/url"},
		"header without value": {doc(entry(strings.Replace(request, `"headers":[]`, `"headers":[{"name":"A"}]`, 1), response)),
			"/log/entries/0/request/headers/0"},
		"time without zone": {doc(strings.Replace(entry(request, response), ".123Z", ".123", 1)), "startedDateTime"},
		"not JSON":          {`{"log":`, "not JSON"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := Check([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}
