package api_test

import (
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
)

// TestRateLimitRedisOutage freezes the server's Redis (one of the test's
// own): requests do not wait for it (each well under a second; the cost
// is measured by redislimit's BenchmarkAllow), the limits still hold,
// counted in process, and /readyz stays ready while saying so.
func TestRateLimitRedisOutage(t *testing.T) {
	srv := ratelimittest.StartRedis(t)
	l, closeL, err := redislimit.Open(t.Context(), redislimit.Options{URL: srv.URL, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeL)
	base := newHarness(t, backends()[0])
	h := base.limited(t, l, func(c *api.Config) { c.ReadLimit = ratelimit.Rule{Limit: 3, Window: time.Hour} })
	wantLimits(t, h, map[string]any{"store": "redis", "degraded": false})

	srv.Freeze()
	t.Cleanup(srv.Thaw)
	for i := range 4 {
		start := time.Now()
		st, body, hd := h.from(t, "198.51.100.1", "GET", "/instamern/posts", "", nil)
		if took := time.Since(start); took > time.Second {
			t.Fatalf("request %d took %v with Redis frozen", i+1, took)
		}
		if i < 3 {
			wantSuccess(t, st, body, 200)
		} else {
			want429(t, st, body, hd, "Too many requests.")
		}
	}
	wantLimits(t, h, map[string]any{"store": "memory", "degraded": true})
}

// wantLimits checks the rateLimits part of /readyz, which is 200 either way.
func wantLimits(t *testing.T, h *harness, want map[string]any) {
	t.Helper()
	st, body := h.do(t, "GET", "/readyz", "", nil)
	wantSuccess(t, st, body, 200)
	got := obj(t, body, "data", "rateLimits")
	_, since := got["since"]
	if got["store"] != want["store"] || got["degraded"] != want["degraded"] || since != want["degraded"] {
		t.Fatalf("/readyz rateLimits %v, want %v (and since when degraded)", got, want)
	}
}
