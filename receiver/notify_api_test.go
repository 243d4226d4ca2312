package receiver

import (
	"net/http"
	"testing"
	"time"
)

// A project's notification choice goes through the API and back; a value
// the window would not understand is refused with its field named once.
func TestProjectNotifyChoiceThroughTheAPI(t *testing.T) {
	api, _ := apiServer(t, time.Now)
	status, _, body := call(t, "PUT", api+"/projects/isahit", `{"slug": "isahit", "notify": "sometimes"}`)
	if status != http.StatusBadRequest {
		t.Fatalf("PUT notify=sometimes: %d %v", status, body)
	}
	// The field is named once, by the path the message is keyed under.
	const msg = `must be "all", "problems", "off", or empty for the default`
	if got := field(body, "fields", "notify"); got != msg {
		t.Errorf("fields.notify = %q, want %q", got, msg)
	}
	if got := field(body, "error"); got != "invalid project: notify: "+msg {
		t.Errorf("error = %q", got)
	}
	status, _, body = call(t, "PUT", api+"/projects/isahit", `{"slug": "isahit", "notify": "problems"}`)
	if status/100 != 2 {
		t.Fatalf("PUT notify=problems: %d %v", status, body)
	}
	_, _, body = call(t, "GET", api+"/projects/isahit", "")
	if got := field(body, "notify"); got != "problems" {
		t.Fatalf("GET notify = %v, want problems", got)
	}
}
