package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/seed"
)

// BenchmarkForgotPassword measures forgot-password for an address with an
// account and one without, interleaved, and reports the median answer
// time of each: they must be the same, or the answer's timing tells who
// has an account. Interleaving keeps the slow drifts of a shared machine
// (and the database's own background work, such as checkpoints after the
// writes the known address causes) out of the comparison.
func BenchmarkForgotPassword(b *testing.B) {
	h := benchHarness(b)
	emails := []string{seed.Username(1) + "@example.com", "nobody00001@example.com"}
	var took [2][]time.Duration
	n := 0
	for b.Loop() {
		i := n%2 ^ n/2%2 // K U U K K U...: each kind follows each kind as often
		n++
		req := httptest.NewRequestWithContext(b.Context(), http.MethodPost, "/instamern/users/forgot-password",
			strings.NewReader(`{"email":"`+emails[i]+`"}`))
		req.Header.Set("Content-Type", "application/json")
		// A client address per 1,000 requests, under the per-IP limit.
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.1:1234", n/1000/256%256, n/1000%256)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.srv.Config.Handler.ServeHTTP(rec, req)
		took[i] = append(took[i], time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		// The work off the request path, untimed: it must not overlap the
		// next request, as it would not a prober's single request.
		b.StopTimer()
		h.svc.Wait()
		b.StartTimer()
	}
	for i, name := range []string{"known", "unknown"} {
		b.ReportMetric(float64(median(took[i]).Nanoseconds()), name+"-ns/op")
	}
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}
