package receiver

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"hookscope/projects/rules"
	"hookscope/store"
)

// BenchmarkCaptureParallel sends 1 KiB JSON posts from many goroutines over
// loopback to a real receiver; each answer waits for the fsync'd capture.
func BenchmarkCaptureParallel(b *testing.B) {
	srv, _ := start(b, Options{})
	postInParallel(b, srv.URL()+"/bench/orders")
}

// postInParallel sends 1 KiB JSON posts to url from 32 goroutines per
// core, each expecting a 200.
func postInParallel(b *testing.B, url string) {
	body := append([]byte(`{"event":"order.created","data":{"note":"`), append(bytes.Repeat([]byte("x"), 1024-64), `"}}`...)...)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetBytes(int64(len(body)))
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

// BenchmarkFramingOfOneRequest is what following the framing adds to each
// request: its bytes fed through the connection's framer (a 1 KiB JSON post
// as curl sends it) and the handler's look-up of its head.
func BenchmarkFramingOfOneRequest(b *testing.B) {
	body := bytes.Repeat([]byte("x"), 1024)
	raw := append([]byte("POST /bench/orders HTTP/1.1\r\nHost: 127.0.0.1:8787\r\nUser-Agent: curl/8.5.0\r\n"+
		"Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n"), body...)
	r, _ := http.NewRequest("POST", "/bench/orders", nil)
	r.RequestURI = "/bench/orders"
	c := &framingConn{}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		c.f.feed(raw)
		if fault, known, _ := c.fault(r); fault != "" || !known {
			b.Fatalf("fault %q known %v", fault, known)
		}
	}
}

// BenchmarkCaptureParallelWithRule is BenchmarkCaptureParallel against a
// project whose rule answers every request (it counts each one in the
// store before the capture is stored).
func BenchmarkCaptureParallelWithRule(b *testing.B) {
	srv, st := start(b, Options{})
	if err := st.PutProject(setRules(store.Project{Slug: "bench", Name: "Bench"}, rules.Rule{Name: "ok", Enabled: true,
		Steps: []rules.Step{{Action: rules.ActionRespond, Status: 200}}})); err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if p, ok := srv.Projects().Get("bench"); ok && len(rulesOf(p)) == 1 {
			break
		}
	}
	postInParallel(b, srv.URL()+"/bench/orders")
}
