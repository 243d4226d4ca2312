package receiver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"hookscope/delivery"
	"hookscope/store"
)

func TestProjectAPIRefusesAWebhookToTheReceiverItself(t *testing.T) {
	srv, st := start(t, Options{})
	port := strings.TrimPrefix(srv.URL(), "http://127.0.0.1:")
	for _, target := range []string{srv.URL() + "/loop/x", "http://localhost:" + port + "/loop/x"} {
		body := `{"name": "Loop", "forward": true, "webhooks": [
			{"action": "other", "url": "http://127.0.0.1:1/x", "enabled": true},
			{"action": "x", "url": "` + target + `", "enabled": true}]}`
		resp := send(t, "PUT", srv.URL()+"/_hookscope/api/projects/loop", []byte(body), nil)
		var out struct {
			Error  string            `json:"error"`
			Fields map[string]string `json:"fields"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != 400 || out.Fields["webhooks[1].url"] != delivery.OwnReceiverMessage || len(out.Fields) != 1 {
			t.Errorf("%s: %d %+v", target, resp.StatusCode, out)
		}
	}
	if _, err := st.Project("loop"); err == nil {
		t.Error("the project was stored")
	}
	ok := `{"webhooks": [{"action": "x", "url": "http://127.0.0.1:1/x", "enabled": true}]}`
	if resp := send(t, "PUT", srv.URL()+"/_hookscope/api/projects/loop", []byte(ok), nil); resp.StatusCode != 201 {
		t.Errorf("another port: %d", resp.StatusCode)
	}
}

func TestAPIRefusesRequestsHookscopeSent(t *testing.T) {
	srv, st := start(t, Options{})
	send(t, "POST", srv.URL()+"/a", []byte("x"), nil)
	resp := send(t, "DELETE", srv.URL()+"/_hookscope/api/captures", nil, http.Header{delivery.HopHeader: {"1"}})
	var out struct{ Error string }
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 403 || !strings.Contains(out.Error, delivery.HopHeader) {
		t.Errorf("%d %q", resp.StatusCode, out.Error)
	}
	if n, _ := st.Count(); n != 1 {
		t.Errorf("%d captures left, want 1", n)
	}
}

// TestKeepPathReplayCannotReachTheAPI replays, through the real API, a
// capture whose path names the API back to the receiver with its path.
func TestKeepPathReplayCannotReachTheAPI(t *testing.T) {
	srv, st := start(t, Options{})
	putProject(t, st, store.Project{Slug: "shop", Name: "shop"})
	waitProject(t, srv, "shop", func(store.Project) bool { return true })
	bad := capturedFrom(t, st, send(t, "DELETE", srv.URL()+"/shop/_hookscope/api/captures", nil, nil))
	replay := func(id store.ID, target string) (int, map[string]any) {
		body := `{"url": "` + target + `", "keep_path": true}`
		resp := send(t, "POST", srv.URL()+"/_hookscope/api/captures/"+id.String()+"/replay", []byte(body), nil)
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	status, out := replay(bad.ID, srv.URL())
	if status != 200 || out["status_code"] != float64(403) {
		t.Errorf("replay to the API: %d %v", status, out)
	}
	if n, _ := st.Count(); n != 1 {
		t.Fatalf("%d captures after the replay, want 1: the API acted on it", n)
	}

	// A dot segment would climb out of the target's path on a server that
	// removes them; it is refused before anything is sent.
	dotted := rawCapture(t, st, srv.Addr(), "DELETE /shop/x/%2e%2e/../_hookscope/api/captures HTTP/1.1")
	status, out = replay(dotted, srv.URL()+"/base")
	if status != 400 || !strings.Contains(out["error"].(string), `"." or ".." segment`) {
		t.Errorf("dot segments: %d %v", status, out)
	}
	if n, _ := st.Count(); n != 2 {
		t.Errorf("%d captures, want 2", n)
	}
	if hist, _ := delivery.Replays(st, &store.Capture{ID: dotted, Project: "shop"}); len(hist) != 0 {
		t.Errorf("a refused replay was sent: %+v", hist)
	}
}

// rawCapture sends a request line as written (net/http would not send a
// dot segment unchanged) and returns the capture's ID.
func rawCapture(t *testing.T, st *store.Store, addr, line string) store.ID {
	t.Helper()
	conn := dial(t, addr)
	defer conn.Close()
	fmt.Fprintf(conn, "%s\r\nHost: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", line, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id, err := store.ParseID(resp.Header.Get(CaptureIDHeader))
	if err != nil {
		t.Fatalf("%s: %d, no capture: %v", line, resp.StatusCode, err)
	}
	return id
}
