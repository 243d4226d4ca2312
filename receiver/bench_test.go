package receiver

import (
	"bytes"
	"net/http"
	"testing"
)

// BenchmarkCaptureParallel sends 1 KiB JSON posts from many goroutines over
// loopback to a real receiver; each answer waits for the fsync'd capture.
func BenchmarkCaptureParallel(b *testing.B) {
	srv, _ := start(b, Options{})
	body := append([]byte(`{"event":"order.created","data":{"note":"`), append(bytes.Repeat([]byte("x"), 1024-64), `"}}`...)...)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url := srv.URL() + "/bench/orders"
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
