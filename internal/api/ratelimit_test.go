package api

import (
	"context"
	"github.com/instamern/gram/internal/testenv"
	"strconv"
	"testing"
	"time"
)

// limiterSpec is what every Limiter must do.
func limiterSpec(t *testing.T, l Limiter) {
	ctx := context.Background()
	rule := RateRule{Limit: 3, Window: time.Minute}
	key := "spec:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	for i := range 3 {
		ok, remaining, reset, err := l.Allow(ctx, key, rule)
		if err != nil || !ok || remaining != 2-i {
			t.Fatalf("request %d: allowed %v remaining %d err %v; want allowed with %d left", i+1, ok, remaining, err, 2-i)
		}
		if d := time.Until(reset); d <= 0 || d > time.Minute+time.Second {
			t.Fatalf("reset in %v, want within the window", d)
		}
	}
	if n, reset, err := l.Peek(ctx, key, rule); err != nil || n != 3 || time.Until(reset) <= 0 {
		t.Fatalf("Peek after 3: count %d reset %v err %v; want 3 and a reset ahead", n, reset, err)
	}
	if n, _, _ := l.Peek(ctx, key, rule); n != 3 {
		t.Fatalf("Peek counted: %d", n)
	}
	if ok, remaining, _, err := l.Allow(ctx, key, rule); err != nil || ok || remaining != 0 {
		t.Fatalf("4th request: allowed %v remaining %d err %v; want refused", ok, remaining, err)
	}
	if n, _, err := l.Peek(ctx, key+":never", rule); err != nil || n != 0 {
		t.Fatalf("Peek of an unused key: %d %v", n, err)
	}
	// A window ends: a short rule's count starts again.
	short := RateRule{Limit: 1, Window: 200 * time.Millisecond}
	if ok, _, _, _ := l.Allow(ctx, key+":short", short); !ok {
		t.Fatal("first request of a short window refused")
	}
	time.Sleep(450 * time.Millisecond)
	if n, _, _ := l.Peek(ctx, key+":short", short); n != 0 {
		t.Fatalf("Peek after the window: %d, want 0", n)
	}
	if ok, _, _, _ := l.Allow(ctx, key+":short", short); !ok {
		t.Fatal("the window did not end")
	}
	if ok, _, _, _ := l.Allow(ctx, key+":other", rule); !ok {
		t.Fatal("another key shares the first key's count")
	}
}

func TestMemLimiter(t *testing.T) { limiterSpec(t, NewMemLimiter()) }

// TestRedisLimiter runs the same spec against a real Redis (GRAM_TEST_REDIS),
// and checks that two limiters (two replicas) share one count.
func TestRedisLimiter(t *testing.T) {
	url := testenv.Need(t, "GRAM_TEST_REDIS")
	ctx := context.Background()
	a, err := NewRedisLimiter(ctx, url, "gramtest:")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	limiterSpec(t, a)
	b, err := NewRedisLimiter(ctx, url, "gramtest:")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rule := RateRule{Limit: 2, Window: time.Minute}
	key := "shared:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	okA, _, _, _ := a.Allow(ctx, key, rule)
	okB, _, _, _ := b.Allow(ctx, key, rule)
	okA2, _, _, _ := a.Allow(ctx, key, rule)
	if !okA || !okB || okA2 {
		t.Fatalf("replicas do not share the count: %v %v %v", okA, okB, okA2)
	}
	if _, err := NewRedisLimiter(ctx, "redis://127.0.0.1:1/0", ""); err == nil {
		t.Fatal("a Redis that is down was accepted")
	}
}
