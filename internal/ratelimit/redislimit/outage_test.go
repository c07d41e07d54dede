package redislimit_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
)

// slow is the bound a call may take while Redis is away, well above the
// 200ms timeout: generous, since
// the machine is shared; what a call costs is measured by the benchmarks.
const slow = 2 * time.Second

// TestOutage freezes, thaws and kills a Redis of its own under a
// Failover: no call waits for it longer than its timeout (and, once the
// breaker is open, not at all), the limits hold in process meanwhile, the
// state shows in Status, each transition is logged once, and the limits
// are shared again once Redis answers.
func TestOutage(t *testing.T) {
	srv := ratelimittest.StartRedis(t)
	clock := ratelimittest.NewClock()
	r, err := redislimit.New(t.Context(), srv.URL, "outage:", clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	var logs bytes.Buffer
	f := ratelimit.NewFailover(r, ratelimit.NewMemory(clock.Now), ratelimit.FailoverOptions{
		Timeout: 200 * time.Millisecond, Now: clock.Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	rule := ratelimit.Rule{Limit: 3, Window: time.Hour}
	burst := func(key string) {
		t.Helper()
		for i := range 4 {
			start := time.Now()
			d, err := f.Allow(t.Context(), key, rule)
			if took := time.Since(start); err != nil || took > slow || d.Allowed != (i < 3) {
				t.Fatalf("%s, request %d: %+v %v in %v; want allowed %v within %v", key, i+1, d, err, took, i < 3, slow)
			}
		}
	}
	burst("before")

	srv.Freeze()
	burst("frozen") // the first calls time out and open the breaker; all are answered
	if st := f.Status(); !st.Degraded {
		t.Fatalf("frozen: status %+v", st)
	}
	burst("frozen-open")

	srv.Thaw()
	clock.Advance(5 * time.Second) // the cool-down: the next call probes
	burst("thawed")
	if st := f.Status(); st.Degraded {
		t.Fatalf("thawed: status %+v", st)
	}
	if d, _ := r.Allow(t.Context(), "thawed", rule); d.Allowed {
		t.Fatal("thawed: the burst was not counted in Redis")
	}

	srv.Kill()
	burst("killed")
	if st := f.Status(); !st.Degraded {
		t.Fatalf("killed: status %+v", st)
	}
	if n := strings.Count(logs.String(), "does not answer"); n != 2 || strings.Count(logs.String(), "answers again") != 1 {
		t.Errorf("logs: want two outages and one recovery, once each:\n%s", logs.String())
	}
}

// A Redis that does not answer when the server starts is an outage, not
// an error: Open returns a limiter counting in process.
func TestOpenWhileDown(t *testing.T) {
	srv := ratelimittest.StartRedis(t)
	srv.Kill()
	l, closeL, err := redislimit.Open(t.Context(), redislimit.Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer closeL()
	if st := ratelimit.StatusOf(l); !st.Degraded {
		t.Fatalf("status %+v, want degraded", st)
	}
	start := time.Now()
	if d, err := l.Allow(t.Context(), "k", ratelimit.Rule{Limit: 1, Window: time.Minute}); err != nil || !d.Allowed || time.Since(start) > slow {
		t.Fatalf("Allow while down: %+v %v in %v", d, err, time.Since(start))
	}
	if _, _, err := redislimit.Open(t.Context(), redislimit.Options{URL: "http://nope"}); err == nil {
		t.Error("a malformed REDIS_URL was accepted")
	}
}

// BenchmarkAllow: what a rate-limited request pays to the limiter, with
// Redis answering, frozen (once the breaker is open; it logs how long the
// calls that opened it took), and in process.
func BenchmarkAllow(b *testing.B) {
	srv := ratelimittest.StartRedis(b)
	r, err := redislimit.New(b.Context(), srv.URL, "bench:", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close() })
	f := ratelimit.NewFailover(r, ratelimit.NewMemory(nil), ratelimit.FailoverOptions{CoolDown: time.Hour})
	b.Run("Redis", func(b *testing.B) { benchAllow(b, f) })
	srv.Freeze()
	b.Cleanup(srv.Thaw)
	start := time.Now()
	for !f.Status().Degraded { // the calls that time out and open the breaker
		_, _ = f.Allow(b.Context(), "bench", ratelimit.Rule{Limit: 1, Window: time.Hour})
	}
	b.Logf("frozen: the breaker opened after %v", time.Since(start))
	b.Run("RedisFrozen", func(b *testing.B) { benchAllow(b, f) })
	b.Run("Memory", func(b *testing.B) { benchAllow(b, ratelimit.NewMemory(nil)) })
}

func benchAllow(b *testing.B, l ratelimit.Limiter) {
	rule := ratelimit.Rule{Limit: 1 << 30, Window: time.Hour}
	ctx := context.Background()
	for b.Loop() {
		if _, err := l.Allow(ctx, "bench", rule); err != nil {
			b.Fatal(err)
		}
	}
}
