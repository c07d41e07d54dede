package redislimit_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
	"github.com/instamern/gram/internal/testenv"
)

// TestLimiter runs the same spec against a real Redis (GRAM_TEST_REDIS),
// and checks that two limiters (two replicas) share one count.
func TestLimiter(t *testing.T) {
	url := testenv.Need(t, "GRAM_TEST_REDIS")
	ctx := context.Background()
	clock := ratelimittest.NewClock()
	a, err := redislimit.New(ctx, url, "gramtest:", clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ratelimittest.Spec(t, a, clock)
	b, err := redislimit.New(ctx, url, "gramtest:", clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rule := ratelimit.Rule{Limit: 2, Window: time.Minute}
	key := "shared:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	dA, _ := a.Allow(ctx, key, rule)
	dB, _ := b.Allow(ctx, key, rule)
	dA2, _ := a.Allow(ctx, key, rule)
	if !dA.Allowed || !dB.Allowed || dA2.Allowed {
		t.Fatalf("replicas do not share the count: %v %v %v", dA.Allowed, dB.Allowed, dA2.Allowed)
	}
	if _, err := redislimit.New(ctx, "redis://127.0.0.1:1/0", "", nil); err == nil {
		t.Fatal("a Redis that is down was accepted")
	}
}
