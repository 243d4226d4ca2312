package receiver

import (
	"net/http"
	"testing"
	"time"
)

// A project's notification choice goes through the API and back; a value
// the window would not understand is refused with its field named.
func TestProjectNotifyChoiceThroughTheAPI(t *testing.T) {
	api, _ := apiServer(t, time.Now)
	status, _, body := call(t, "PUT", api+"/projects/isahit", `{"slug": "isahit", "notify": "sometimes"}`)
	if status != http.StatusBadRequest || field(body, "fields", "notify") == nil {
		t.Fatalf("PUT notify=sometimes: %d %v", status, body)
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
