// Package ratelimittest holds what the tests of limiters and of their
// users share: the behaviour every Limiter must have, and the limiters to
// run scenarios on.
package ratelimittest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/instamern/gram/internal/clocktest"
	"github.com/instamern/gram/internal/ratelimit"
)

// Spec checks what every Limiter must do; l reads the time from clock.
func Spec(t *testing.T, l ratelimit.Limiter, clock *clocktest.Clock) {
	t.Helper()
	ctx := context.Background()
	rule := ratelimit.Rule{Limit: 3, Window: time.Minute}
	key := "spec:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	for i := range 3 {
		ok, remaining, resetIn, err := l.Allow(ctx, key, rule)
		if err != nil || !ok || remaining != 2-i {
			t.Fatalf("request %d: allowed %v remaining %d err %v; want allowed with %d left", i+1, ok, remaining, err, 2-i)
		}
		if resetIn <= 0 || resetIn > rule.Window {
			t.Fatalf("reset in %v, want within the window", resetIn)
		}
	}
	_, before, _ := l.Peek(ctx, key, rule)
	clock.Advance(10 * time.Second)
	if n, resetIn, err := l.Peek(ctx, key, rule); err != nil || n != 3 || resetIn != before-10*time.Second {
		t.Fatalf("Peek after 3 and 10s: count %d reset in %v err %v; want 3 and %v", n, resetIn, err, before-10*time.Second)
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
	// A window ends when Allow said it would: a short rule's count starts again.
	short := ratelimit.Rule{Limit: 1, Window: 200 * time.Millisecond}
	ok, _, resetIn, _ := l.Allow(ctx, key+":short", short)
	if !ok {
		t.Fatal("first request of a short window refused")
	}
	clock.Advance(resetIn)
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
