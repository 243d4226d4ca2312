package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// attemptsInFile counts the attempts stored in the delivery bucket, read
// straight from the file.
func attemptsInFile(t *testing.T, s *Store) (n int, raw []byte) {
	t.Helper()
	mustView(t, s, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDeliveries).ForEach(func(_, v []byte) error {
			n++
			raw = append(raw, v...)
			return nil
		})
	})
	return n, raw
}

// captureRef is how a stored attempt names its capture.
func captureRef(id ID) []byte { return fmt.Appendf(nil, `"captureId":%d`, uint64(id)) }

func replayOf(id ID, project string) Attempt {
	return Attempt{Project: project, Action: "replay", CaptureID: id, StatusCode: 200,
		Request: SentRequest{Method: "POST", URL: "http://127.0.0.1:9/hook", Body: []byte(`{"secret-body":` + id.String() + `}`)}}
}

func TestDeletingCapturesDeletesTheirHistory(t *testing.T) {
	s, _ := openTemp(t, Options{})
	mustPutProject(t, s, validProject())
	c := sample("POST", "/shop/ingested", "", "{}")
	c.Project = "shop"
	doomed := mustPut(t, s, c)
	kept := mustPut(t, s, sample("POST", "/other", "", "{}"))
	record(t, s, replayOf(doomed, "shop"))
	record(t, s, replayOf(doomed, "shop"))
	record(t, s, replayOf(kept, Unsorted))
	record(t, s, Attempt{Project: "shop", Action: "ingested", StatusCode: 200}) // a test event
	if err := s.Delete(doomed); err != nil {
		t.Fatal(err)
	}
	// A replay that ends after its capture was deleted is not kept either.
	record(t, s, replayOf(doomed, "shop"))
	if n, raw := attemptsInFile(t, s); n != 2 || bytes.Contains(raw, captureRef(doomed)) {
		t.Fatalf("after deleting the capture %d attempts are stored (some of it: %v), want 2",
			n, bytes.Contains(raw, captureRef(doomed)))
	}
	if as, _ := s.CaptureDeliveries(kept); len(as) != 1 {
		t.Fatalf("another capture's history: %d attempts", len(as))
	}
	if err := s.Clear(); err != nil {
		t.Fatal(err)
	}
	n, _ := attemptsInFile(t, s)
	if d, _ := s.Deliveries("shop", "", 10); n != 1 || len(d) != 1 || d[0].CaptureID != 0 {
		t.Fatalf("after Clear all, %d attempts stored, want the project's test event only: %+v", n, d)
	}
}

func TestRetentionDeletesThePrunedCapturesHistory(t *testing.T) {
	s, _ := openTemp(t, Options{MaxCount: 2})
	first := mustPut(t, s, sample("POST", "/a", "", "{}"))
	record(t, s, replayOf(first, Unsorted))
	mustPut(t, s, sample("POST", "/b", "", "{}"))
	third := mustPut(t, s, sample("POST", "/c", "", "{}"))
	record(t, s, replayOf(third, Unsorted))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := s.Get(first); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("retention kept the oldest capture")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, raw := attemptsInFile(t, s); n != 1 || !bytes.Contains(raw, captureRef(third)) {
		t.Fatalf("%d attempts stored after pruning, want the newest capture's only", n)
	}
}

func TestHistoryIsCappedByBytes(t *testing.T) {
	s, _ := openTemp(t, Options{})
	// The cap scaled down 64 times, to write megabytes rather than gigabytes.
	s.historyBytes = MaxDeliveryBytesPerProject / 64
	body := bytes.Repeat([]byte("x"), 3<<20/64)
	for range 25 {
		record(t, s, Attempt{Project: "shop", Action: "replay", StatusCode: 200, Request: SentRequest{Body: body}})
	}
	newest := record(t, s, Attempt{Project: "shop", Action: "replay", StatusCode: 200, Request: SentRequest{Body: []byte("last")}})
	n, raw := attemptsInFile(t, s)
	if len(raw) > s.historyBytes {
		t.Fatalf("%d attempts of %d KiB stored, above the %d KiB cap", n, len(raw)>>10, s.historyBytes>>10)
	}
	if n < 15 {
		t.Fatalf("only %d attempts kept under the cap", n)
	}
	if d, _ := s.Deliveries("shop", "", 1); len(d) != 1 || d[0].ID != newest.ID {
		t.Fatal("the newest attempt was dropped")
	}
}

func TestStoredAttemptsMaskCredentialsButNotSignatures(t *testing.T) {
	header := http.Header{
		"Authorization":       {"Bearer sk_live_abcdefghijklmnop1234"},
		"Cookie":              {"session=abcdefghijklmnopqrstuvwxyz"},
		"X-Api-Key":           {"key-abcdefghijklmnop9876"},
		"X-Gitlab-Token":      {"short"},
		"X-Hub-Signature-256": {"sha256=0123456789abcdef0123456789abcdef"},
		"Content-Type":        {"application/json"},
	}
	respHeader := http.Header{"Set-Cookie": {"sid=zyxwvutsrqponmlkjihg; Path=/"}, "X-Echo": {"sk_live_abcdefghijklmnop1234"}}
	// A debugging endpoint echoes what it got.
	respBody := []byte(`{"got": "Bearer sk_live_abcdefghijklmnop1234", "key": "key-abcdefghijklmnop9876"}`)
	for _, keep := range []bool{false, true} {
		s, path := openTemp(t, Options{KeepCredentialsInHistory: keep})
		a := record(t, s, Attempt{Project: "shop", Action: "replay", StatusCode: 200,
			Request: SentRequest{Method: "POST", URL: "http://x/", Header: header.Clone()}, ResponseHeader: respHeader.Clone(), ResponseBody: respBody})
		if a.Request.Header.Get("Authorization") != header.Get("Authorization") {
			t.Fatal("the caller's attempt was masked")
		}
		d, err := s.Deliveries("shop", "", 1)
		if err != nil || len(d) != 1 {
			t.Fatal(d, err)
		}
		got := d[0].Request.Header
		s.Close()
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if keep {
			if got.Get("Authorization") != header.Get("Authorization") || !bytes.Contains(file, []byte("sk_live_abcdefghijklmnop1234")) {
				t.Fatalf("KeepCredentialsInHistory masked %v", got)
			}
			continue
		}
		want := map[string]string{
			"Authorization":       "Bearer ••••1234",
			"Cookie":              "••••wxyz",
			"X-Api-Key":           "••••9876",
			"X-Gitlab-Token":      "••••",
			"X-Hub-Signature-256": header.Get("X-Hub-Signature-256"),
			"Content-Type":        "application/json",
		}
		for name, v := range want {
			if got.Get(name) != v {
				t.Errorf("stored %s: %q, want %q", name, got.Get(name), v)
			}
		}
		if sc := d[0].ResponseHeader.Get("Set-Cookie"); strings.Contains(sc, "zyxw") {
			t.Errorf("stored Set-Cookie %q", sc)
		}
		for _, secret := range []string{"sk_live_abcdefghijklmnop", "abcdefghijklmnopqrstuv", "zyxwvutsrqponm", "key-abcdefghijklmnop"} {
			if bytes.Contains(file, []byte(secret)) {
				t.Errorf("the file holds the credential %q", secret)
			}
		}
	}
}

func TestMaskCredential(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig": "Bearer ••••.sig",
		"Basic dXNlcjpwYXNzd29yZA==":              "Basic ••••ZA==",
		"Bearer t0ken":                            "Bearer ••••",
		"s3cr3t-token-value-42":                   "••••e-42",
		"":                                        "",
	} {
		if got := MaskCredential(in); got != want {
			t.Errorf("MaskCredential(%q) = %q, want %q", in, got, want)
		}
	}
}

// An older file indexes its history at open and drops the attempts of
// captures it had deleted already.
func TestOpeningAnOlderFileIndexesItsHistory(t *testing.T) {
	s, path := openTemp(t, Options{})
	gone := mustPut(t, s, sample("POST", "/a", "", "{}"))
	kept := mustPut(t, s, sample("POST", "/b", "", "{}"))
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i, id := range []ID{gone, kept} {
			v, _ := json.Marshal(replayOf(id, Unsorted))
			if err := tx.Bucket(bucketDeliveries).Put(deliveryKey(Unsorted, ID(i+1)), v); err != nil {
				return err
			}
		}
		if err := deleteKey(tx, gone.key()); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketCaptureDeliveries)
	})
	if err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	if n, _ := attemptsInFile(t, s); n != 1 {
		t.Fatalf("%d attempts after reopening, want the one of the capture still stored", n)
	}
	if err := s.Delete(kept); err != nil {
		t.Fatal(err)
	}
	if n, _ := attemptsInFile(t, s); n != 0 {
		t.Fatalf("%d attempts after deleting their capture", n)
	}
}

func TestSignatureHeadersAreNotCredentials(t *testing.T) {
	for _, name := range []string{"X-Hub-Signature-256", "X-Hub-Signature", "Stripe-Signature", "Webhook-Signature",
		"Webhook-Timestamp", "Svix-Signature", "X-Slack-Signature", "X-Slack-Request-Timestamp", "X-Shopify-Hmac-Sha256",
		"X-Twilio-Signature", "Content-Type", "User-Agent"} {
		if IsCredentialHeader(name) {
			t.Errorf("%s is masked", name)
		}
	}
	for _, name := range []string{"Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Auth-Token",
		"X-Api-Key", "Apikey", "X-Gitlab-Token", "X-Client-Secret", "X-Password"} {
		if !IsCredentialHeader(name) {
			t.Errorf("%s is kept", name)
		}
	}
}

// A capture replayed while Unsorted keeps its replays once a new project
// adopts it: they were recorded under Unsorted's history.
func TestAnAdoptedCaptureKeepsItsReplays(t *testing.T) {
	s, _ := openTemp(t, Options{})
	id := mustPut(t, s, sample("POST", "/later/x", "", "{}"))
	first := record(t, s, replayOf(id, Unsorted))
	mustPutProject(t, s, Project{Slug: "later"})
	if _, err := s.RunAdoption("later", nil); err != nil {
		t.Fatal(err)
	}
	second := record(t, s, replayOf(id, "later"))
	as, err := s.CaptureDeliveries(id)
	if err != nil || len(as) != 2 || as[0].ID != second.ID || as[1].ID != first.ID {
		t.Fatalf("replays after the adoption: %+v (%v), want both, newest first", as, err)
	}
}
