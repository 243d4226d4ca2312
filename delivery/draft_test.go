package delivery

import (
	"net/http"
	"reflect"
	"testing"

	"hookscope/signature"
	"hookscope/store"
)

// stored puts c in the store and reads it back, as the dialog gets it.
func stored(t *testing.T, st *store.Store, c *store.Capture) *store.Capture {
	t.Helper()
	putCapture(t, st, c)
	got, err := st.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestNewReplayDraft(t *testing.T) {
	c := newClient(t)
	hook := store.Webhook{Action: "orders", URL: "http://127.0.0.1:9/orders", Headers: []store.HeaderField{
		{Name: "Authorization", Value: "Bearer app"}, {Name: "X-Env", Value: "test"},
	}}
	shop := putProject(t, c.Store, store.Project{Slug: "shop", Name: "Shop", Secret: "whsec_x", Scheme: signature.SchemeStripe, Webhooks: []store.Webhook{hook}})
	svix := putProject(t, c.Store, store.Project{Slug: "svix", Name: "Svix", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
	bare := putProject(t, c.Store, store.Project{Slug: "bare", Name: "Bare", Scheme: signature.SchemeGitHub})

	tests := map[string]struct {
		capture *store.Capture
		project *store.Project
		want    Draft
	}{
		"to the project's webhook, in the sender's order": {
			capture: &store.Capture{Method: "PATCH", Path: "/shop/orders/1", Project: "shop", Body: []byte(`{"id":1}`),
				Header: withHopHeaders(http.Header{
					"Stripe-Signature": {"t=1,v1=ab"}, "Authorization": {"Bearer sender"},
					"Content-Type": {"application/json"}, "X-Multi": {"1", "2"}, "User-Agent": {"Stripe/1.0"},
				}),
				HeaderOrder: []string{"Host", "User-Agent", "Content-Length", "X-Multi", "Stripe-Signature", "Content-Type", "Authorization"},
			},
			project: &shop,
			want: Draft{
				Method: "PATCH", Target: hook.URL, Webhook: "orders", Body: []byte(`{"id":1}`),
				Header: []store.HeaderField{
					{Name: "User-Agent", Value: "Stripe/1.0"}, {Name: "X-Multi", Value: "1"}, {Name: "X-Multi", Value: "2"},
					{Name: "Stripe-Signature", Value: "t=1,v1=ab"}, {Name: "Content-Type", Value: "application/json"},
					{Name: "Authorization", Value: "Bearer app"}, {Name: "X-Env", Value: "test"},
				},
				Resign: Resign{Scheme: signature.SchemeStripe, Title: "Stripe", FreshTimestamp: true},
			},
		},
		"unsorted, binary, no method, no order known": {
			capture: &store.Capture{Path: "/loose", Body: []byte("a\x00\xff"), Truncated: true,
				Header: http.Header{"X-B": {"2"}, "X-A": {"1"}}},
			want: Draft{
				Method: "POST", Body: []byte("a\x00\xff"), Binary: true, Truncated: true,
				Header: []store.HeaderField{{Name: "X-A", Value: "1"}, {Name: "X-B", Value: "2"}},
			},
		},
		"the scheme the headers reveal, which signs an id": {
			capture: &store.Capture{Method: "POST", Path: "/svix", Project: "svix", Body: []byte(`{}`),
				Header: http.Header{"Svix-Id": {"msg_1"}, "Svix-Timestamp": {"1"}, "Svix-Signature": {"v1,xx"}}},
			project: &svix,
			want: Draft{
				Method: "POST", Body: []byte(`{}`),
				Header: []store.HeaderField{{Name: "Svix-Id", Value: "msg_1"}, {Name: "Svix-Signature", Value: "v1,xx"}, {Name: "Svix-Timestamp", Value: "1"}},
				Resign: Resign{Scheme: signature.SchemeStandardWebhooks, Title: "Standard Webhooks / Svix", FreshTimestamp: true, FreshID: true},
			},
		},
		"a scheme but no secret: not re-signable": {
			capture: &store.Capture{Method: "POST", Path: "/bare", Project: "bare", Header: http.Header{"X-Hub-Signature-256": {"sha256=00"}}},
			project: &bare,
			want:    Draft{Method: "POST", Header: []store.HeaderField{{Name: "X-Hub-Signature-256", Value: "sha256=00"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			capture := stored(t, c.Store, tc.capture)
			got := NewReplayDraft(capture, tc.project)
			if len(got.Body) == 0 {
				got.Body = nil // an empty body reads back as empty or nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("draft\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// A draft sent as it is makes the request a replay to the project's
// webhook makes, so the dialog shows what Ctrl+R would send.
func TestReplayDraftSentAsIsIsTheDefaultReplay(t *testing.T) {
	c := newClient(t)
	p := putProject(t, c.Store, project("shop", store.Webhook{Action: "orders", URL: "http://127.0.0.1:9/orders", Headers: []store.HeaderField{{Name: "Authorization", Value: "Bearer app"}}}))
	capture := stored(t, c.Store, &store.Capture{Method: "POST", Path: "/shop/orders", RawQuery: "x=1", Project: "shop", Body: []byte("{}\r\n"),
		Header: withHopHeaders(http.Header{"Authorization": {"Bearer sender"}, "X-Multi": {"1", "2"}})})

	def, err := c.ReplayRequest(capture, &p, ReplayOptions{KeepQuery: true})
	if err != nil {
		t.Fatal(err)
	}
	d := NewReplayDraft(capture, &p)
	h := http.Header{}
	for _, f := range d.Header {
		h.Add(f.Name, f.Value)
	}
	fromDraft, err := c.ReplayRequest(capture, &p, ReplayOptions{URL: d.Target, Method: d.Method, Header: h, Body: d.Body, KeepQuery: true, Edited: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(def, fromDraft) {
		t.Fatalf("default replay\n%+v\nthe draft sent as is\n%+v", def, fromDraft)
	}
}
