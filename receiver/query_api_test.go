package receiver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hookscope/export/hartest"
	"hookscope/store"
)

// sendEvents posts three Isahit-like events to a running receiver and
// returns its API's base URL.
func sendEvents(t *testing.T) (string, *Server, *store.Store) {
	t.Helper()
	srv, st := start(t, Options{})
	for _, body := range []string{
		`{"type":"review","taskId":"t-1","batchId":"b-12"}`,
		`{"type":"annotation","taskId":"t-2","batchId":"b-12"}`,
		`{"type":"review","taskId":"t-3","batchId":"b-13"}`,
	} {
		resp := send(t, "POST", srv.URL()+"/isahit/events?src=test", []byte(body), http.Header{"Content-Type": {"application/json"}, "X-Event": {"onSubmit"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("capture answered %d", resp.StatusCode)
		}
	}
	return srv.URL() + "/_hookscope/api", srv, st
}

func TestAPIListTakesTheQuerySyntax(t *testing.T) {
	api, _, _ := sendEvents(t)
	tests := []struct {
		q    string
		want []string // taskIds, newest first
	}{
		{"body.type:review", []string{"t-3", "t-1"}},
		{"-body.type:review", []string{"t-2"}},
		{"body.batchId:b-12 header.x-event:onSubmit method:POST", []string{"t-2", "t-1"}},
		{"t-2", []string{"t-2"}},
		{"path:/other/*", nil},
	}
	for _, tt := range tests {
		var list ListJSON
		getJSON(t, api+"/captures?q="+url.QueryEscape(tt.q), http.StatusOK, &list)
		var got []string
		for _, c := range list.Captures {
			var full CaptureJSON
			getJSON(t, api+"/captures/"+c.ID, http.StatusOK, &full)
			raw, _ := base64.StdEncoding.DecodeString(full.BodyBase64)
			var body struct{ TaskID string }
			json.Unmarshal(raw, &body)
			got = append(got, body.TaskID)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("q=%s lists %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestAPIQuerySyntaxErrorIs400WithAPosition(t *testing.T) {
	api, _, _ := sendEvents(t)
	for q, pos := range map[string]float64{"bdy.type:review": 0, `method:POST "unclosed`: 12, "status:abc": 7} {
		for _, path := range []string{"/captures", "/captures/export?format=jsonl&"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = ""
			}
			status, _, v := call(t, "GET", api+path+sep+"q="+url.QueryEscape(q), "")
			m, _ := v.(map[string]any)
			if status != http.StatusBadRequest || m["position"] != pos || !strings.Contains(m["error"].(string), "column") {
				t.Errorf("%s q=%s: %d %v, want 400 at %v", path, q, status, v, pos)
			}
		}
	}
}

func getRaw(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b
}

func postImport(t *testing.T, api string, body []byte) (int, ImportJSON) {
	t.Helper()
	resp, err := http.Post(api+"/captures/import", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out ImportJSON
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestAPIExportsTheQueryAndImportsItBack(t *testing.T) {
	api, srv, _ := sendEvents(t)
	har := getRaw(t, api+"/captures/export?format=har&q="+url.QueryEscape("body.type:review"))
	hartest.Validate(t, har)
	var doc struct {
		Log struct {
			Version string
			Entries []struct {
				Request struct {
					URL      string
					PostData struct{ Text string }
				}
			}
		}
	}
	if err := json.Unmarshal(har, &doc); err != nil {
		t.Fatalf("HAR export is not JSON: %v", err)
	}
	if doc.Log.Version != "1.2" || len(doc.Log.Entries) != 2 {
		t.Fatalf("HAR version %q with %d entries, want 1.2 with the 2 reviews", doc.Log.Version, len(doc.Log.Entries))
	}
	for _, e := range doc.Log.Entries {
		if e.Request.URL != srv.URL()+"/isahit/events?src=test" || !strings.Contains(e.Request.PostData.Text, `"review"`) {
			t.Errorf("entry %s %s: want the capture's own URL and a review", e.Request.URL, e.Request.PostData.Text)
		}
	}
	jsonl := getRaw(t, api+"/captures/export?format=jsonl")
	lines := 0
	for sc := bufio.NewScanner(bytes.NewReader(jsonl)); sc.Scan(); {
		lines++
	}
	if lines != 3 {
		t.Errorf("JSON Lines export has %d lines, want 3", lines)
	}

	other, _ := start(t, Options{})
	otherAPI := other.URL() + "/_hookscope/api"
	if status, res := postImport(t, otherAPI, har); status != http.StatusOK || res != (ImportJSON{Format: "har", Stored: 2}) {
		t.Errorf("HAR import: %d %+v", status, res)
	}
	if status, res := postImport(t, otherAPI, jsonl); status != http.StatusOK || res != (ImportJSON{Format: "jsonl", Stored: 1, Duplicates: 2}) {
		t.Errorf("JSON Lines import over it: %d %+v, want 1 stored and 2 duplicates", status, res)
	}
	var list ListJSON
	getJSON(t, otherAPI+"/captures?q="+url.QueryEscape("body.type:annotation"), http.StatusOK, &list)
	if len(list.Captures) != 1 {
		t.Errorf("imported annotation not found by a query: %+v", list.Captures)
	}
	if status, _ := postImport(t, otherAPI, []byte("not a capture")); status != http.StatusBadRequest {
		t.Errorf("garbage import answered %d, want 400", status)
	}
	if status, _, _ := call(t, "GET", api+"/captures/export?format=csv", ""); status != http.StatusBadRequest {
		t.Errorf("format=csv answered %d, want 400", status)
	}
}

// A listening receiver names its address next to the database, so a
// second process that finds the file held can say where it runs.
func TestReceiverAnnouncesItsAddressNextToTheDatabase(t *testing.T) {
	srv, st := start(t, Options{})
	was := srv.URL()
	err := store.LockedError(st.Path())
	if !store.IsLocked(err) || !strings.Contains(err.Error(), "http://"+srv.Addr()) {
		t.Fatalf("LockedError = %v, want the address %s", err, srv.Addr())
	}
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := store.HolderOf(st.Path()); ok {
		t.Error("the instance file outlives the receiver")
	}
	if err := store.LockedError(st.Path()); strings.Contains(err.Error(), was) || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("after Stop: %v", err)
	}
}
