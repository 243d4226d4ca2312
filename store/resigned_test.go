package store

import (
	"bytes"
	"testing"
)

// Whether a replay was re-signed survives a reopen, and attempts recorded
// before the flag existed read as sent as captured.
func TestAttemptsKeepWhetherTheyWereResigned(t *testing.T) {
	s, path := openTemp(t, Options{})
	id := mustPut(t, s, sample("POST", "/a", "", "{}"))
	asCaptured := replayOf(id, Unsorted)
	resigned := replayOf(id, Unsorted)
	resigned.Resigned = true
	record(t, s, asCaptured)
	record(t, s, resigned)
	s = reopen(t, s, path)
	got, err := s.CaptureDeliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].Resigned || got[1].Resigned {
		t.Fatalf("after reopening the attempts read %+v, want the newer re-signed and the older as captured", got)
	}
	_, raw := attemptsInFile(t, s)
	if n := bytes.Count(raw, []byte(`"resigned"`)); n != 1 {
		t.Fatalf(`"resigned" is in %d stored attempts, want only the re-signed one (older records have none)`, n)
	}
}
