package diff

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// bigBodies are two bodies of about 1 MiB that differ every 100th record.
func bigBodies(jsonBody bool) (a, b Message) {
	var sa, sb strings.Builder
	h := http.Header{"Content-Type": {"text/plain"}}
	if jsonBody {
		h = http.Header{"Content-Type": {"application/json"}}
		sa.WriteString("[")
		sb.WriteString("[")
	}
	for i := 0; sa.Len() < 1<<20; i++ {
		sep := "\n"
		if jsonBody && i > 0 {
			sep = ",\n"
		}
		rec := fmt.Sprintf(`{"id": %d, "type": "annotation", "taskId": "t_%06d", "amount": %d.0}`, i, i, i)
		sa.WriteString(sep + rec)
		if i%100 == 0 {
			rec = fmt.Sprintf(`{"id": %d, "type": "review", "taskId": "t_%06d", "amount": %d}`, i, i, i)
		}
		sb.WriteString(sep + rec)
	}
	if jsonBody {
		sa.WriteString("]")
		sb.WriteString("]")
	}
	return Message{Header: h, Body: []byte(sa.String())}, Message{Header: h, Body: []byte(sb.String())}
}

func BenchmarkCompareJSON1MiB(b *testing.B) {
	x, y := bigBodies(true)
	b.SetBytes(int64(len(x.Body)))
	for b.Loop() {
		Compare(x, y, Ignore{Keys: []string{"taskId"}})
	}
}

func BenchmarkCompareText1MiB(b *testing.B) {
	x, y := bigBodies(false)
	b.SetBytes(int64(len(x.Body)))
	for b.Loop() {
		Compare(x, y, Ignore{})
	}
}
