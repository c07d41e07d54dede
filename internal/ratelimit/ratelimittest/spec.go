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
// Its rules span minutes, so that no store's own expiry (in real time)
// ends a count under it.
func Spec(t *testing.T, l ratelimit.Limiter, clock *clocktest.Clock) {
	t.Helper()
	key := "spec:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	t.Run("Burst", func(t *testing.T) { specBurst(t, l, clock, key+":burst") })
	t.Run("NoDoubleBurstAtAnEdge", func(t *testing.T) { specEdge(t, l, clock, key+":edge") })
	t.Run("Undo", func(t *testing.T) { specUndo(t, l, key+":undo") })
}

// specBurst: Limit requests at once, then one per Window/Limit; a refused
// request is not counted; after ResetIn the whole burst is back.
func specBurst(t *testing.T, l ratelimit.Limiter, clock *clocktest.Clock, key string) {
	ctx := context.Background()
	rule := ratelimit.Rule{Limit: 3, Window: 3 * time.Minute} // one a minute
	var d ratelimit.Decision
	for i := range 3 {
		d = allow(t, l, key, rule)
		if !d.Allowed || d.Remaining != 2-i || d.Limit != 3 || d.ResetIn != time.Duration(i+1)*time.Minute {
			t.Fatalf("request %d: %+v; want allowed with %d left, whole again in %dm", i+1, d, 2-i, i+1)
		}
	}
	for range 2 {
		if d := allow(t, l, key, rule); d.Allowed || d.Remaining != 0 || d.RetryIn != time.Minute || d.ResetIn != 3*time.Minute {
			t.Fatalf("4th request: %+v; want refused, retry in 1m, whole again in 3m", d)
		}
	}
	clock.Advance(time.Minute) // the refused requests did not push this back
	if d := allow(t, l, key, rule); !d.Allowed || d.Remaining != 0 {
		t.Fatalf("a minute later: %+v; want one allowed", d)
	}
	if d := allow(t, l, key, rule); d.Allowed {
		t.Fatalf("a minute later, twice: %+v; want one only", d)
	}
	if d, err := l.Allow(ctx, key+":other", rule); err != nil || !d.Allowed || d.Remaining != 2 {
		t.Fatalf("another key: %+v %v; want its own burst", d, err)
	}
	clock.Advance(3 * time.Minute)
	if d := allow(t, l, key, rule); !d.Allowed || d.Remaining != 2 {
		t.Fatalf("after the reset: %+v; want the whole burst back", d)
	}
}

// specEdge: a burst used up just before what a fixed window would call
// its end buys nothing just after it. In any stretch of time d, at most
// Limit + d·Limit/Window requests pass.
func specEdge(t *testing.T, l ratelimit.Limiter, clock *clocktest.Clock, key string) {
	rule := ratelimit.Rule{Limit: 20, Window: 15 * time.Minute} // one per 45s
	clock.Advance(15*time.Minute - 2*time.Second)
	for i := range 20 {
		if d := allow(t, l, key, rule); !d.Allowed {
			t.Fatalf("request %d of the burst refused: %+v", i+1, d)
		}
	}
	clock.Advance(4 * time.Second)
	if d := allow(t, l, key, rule); d.Allowed || d.RetryIn != 41*time.Second {
		t.Fatalf("4s after a burst of 20, across a 15m boundary: %+v; want refused for 41s", d)
	}
	clock.Advance(15 * time.Minute) // 20 intervals: 20 more, not 40
	n := 0
	for allow(t, l, key, rule).Allowed {
		n++
	}
	if n != 20 {
		t.Fatalf("%d allowed a window later, want 20", n)
	}
}

// specUndo: Undo gives back a counted request, and never more than was
// counted.
func specUndo(t *testing.T, l ratelimit.Limiter, key string) {
	ctx := context.Background()
	rule := ratelimit.Rule{Limit: 2, Window: time.Hour}
	if err := l.Undo(ctx, key, rule); err != nil {
		t.Fatal(err)
	}
	allow(t, l, key, rule)
	if d := allow(t, l, key, rule); !d.Allowed || d.Remaining != 0 {
		t.Fatalf("an Undo on an unused key gave something: %+v", d)
	}
	if d := allow(t, l, key, rule); d.Allowed {
		t.Fatalf("3rd of 2 allowed: %+v", d)
	}
	if err := l.Undo(ctx, key, rule); err != nil {
		t.Fatal(err)
	}
	if d := allow(t, l, key, rule); !d.Allowed || d.Remaining != 0 {
		t.Fatalf("after an Undo: %+v; want one allowed", d)
	}
	for range 3 {
		if err := l.Undo(ctx, key, rule); err != nil {
			t.Fatal(err)
		}
	}
	if d := allow(t, l, key, rule); !d.Allowed || d.Remaining != 1 {
		t.Fatalf("after undoing everything: %+v; want the whole burst", d)
	}
}

func allow(t *testing.T, l ratelimit.Limiter, key string, rule ratelimit.Rule) ratelimit.Decision {
	t.Helper()
	d, err := l.Allow(context.Background(), key, rule)
	if err != nil {
		t.Fatalf("Allow: %v", err)
	}
	return d
}
