package ratelimit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

// store is a shared store that can be told to fail; it counts its calls.
type store struct {
	*ratelimit.Memory
	mu    sync.Mutex
	err   error
	calls int
}

func (s *store) call() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return s.err
}

func (s *store) set(err error) { s.mu.Lock(); s.err = err; s.mu.Unlock() }

func (s *store) count() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

func (s *store) Allow(ctx context.Context, key string, rule ratelimit.Rule) (ratelimit.Decision, error) {
	if err := s.call(); err != nil {
		return ratelimit.Decision{}, err
	}
	return s.Memory.Allow(ctx, key, rule)
}

func (s *store) Undo(ctx context.Context, key string, rule ratelimit.Rule) error {
	if err := s.call(); err != nil {
		return err
	}
	return s.Memory.Undo(ctx, key, rule)
}

// The breaker: closed, it counts in the store; Failures failed calls in
// a row open it, and it counts in process without calling the store,
// keeping the limits; after CoolDown one call probes the store. Only the
// transitions are logged.
func TestFailover(t *testing.T) {
	clock := ratelimittest.NewClock()
	shared := &store{Memory: ratelimit.NewMemory(clock.Now)}
	var logs bytes.Buffer
	f := ratelimit.NewFailover(shared, ratelimit.NewMemory(clock.Now), ratelimit.FailoverOptions{
		Failures: 2, CoolDown: 5 * time.Second, Now: clock.Now, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	rule := ratelimit.Rule{Limit: 2, Window: time.Hour}
	allow := func(key string) bool {
		t.Helper()
		d, err := f.Allow(ctx, key, rule)
		if err != nil {
			t.Fatalf("Allow: %v (a Failover answers every call)", err)
		}
		return d.Allowed
	}
	allow("a")
	if shared.count() != 1 || f.Status() != (ratelimit.Status{Store: "redis"}) {
		t.Fatalf("closed: %d calls to the store, status %+v", shared.count(), f.Status())
	}

	shared.set(errors.New("connection refused"))
	allow("b")
	if f.Status().Degraded {
		t.Fatal("opened after one failure of two")
	}
	allow("b") // the second failure opens it; both answered in process
	if !f.Status().Degraded || f.Status().Store != "memory" || !f.Status().Since.Equal(clock.Now()) {
		t.Fatalf("after 2 failures: %+v", f.Status())
	}
	if allow("b") { // two counted in process already: the limit holds
		t.Fatal("open: the third request of a limit of 2 was allowed")
	}
	calls := shared.count()
	for range 10 {
		allow("c")
	}
	if shared.count() != calls {
		t.Fatalf("open: %d calls to the store during the cool-down", shared.count()-calls)
	}

	clock.Advance(5 * time.Second) // one probe, which fails: open again
	allow("d")
	allow("d")
	if shared.count() != calls+1 || !f.Status().Degraded {
		t.Fatalf("after the cool-down: %d probes, status %+v; want 1 and still open", shared.count()-calls, f.Status())
	}

	shared.set(nil)
	clock.Advance(5 * time.Second)
	allow("e") // the probe answers: closed
	if f.Status().Degraded || shared.count() != calls+2 {
		t.Fatalf("after a good probe: %+v", f.Status())
	}
	if err := f.Undo(ctx, "a", rule); err != nil || shared.count() != calls+3 {
		t.Fatalf("Undo, closed: %v, %d calls", err, shared.count()-calls-2)
	}

	out := logs.String()
	if strings.Count(out, "does not answer") != 1 || strings.Count(out, "answers again") != 1 || strings.Count(out, "\n") != 2 {
		t.Errorf("logs, want one line per transition:\n%s", out)
	}
}

// A call whose caller gave up says nothing about the store.
func TestFailoverCallerCanceled(t *testing.T) {
	clock := ratelimittest.NewClock()
	shared := &store{Memory: ratelimit.NewMemory(clock.Now)}
	f := ratelimit.NewFailover(shared, ratelimit.NewMemory(clock.Now), ratelimit.FailoverOptions{Failures: 1, Now: clock.Now})
	shared.set(context.Canceled)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Allow(ctx, "k", ratelimit.Rule{Limit: 1, Window: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if f.Status().Degraded {
		t.Error("a canceled request opened the breaker")
	}
	f.Trip(errors.New("down at start"))
	if !f.Status().Degraded {
		t.Error("Trip did not open the breaker")
	}
}

// The Failover is a Limiter like the others, closed or open.
func TestFailoverSpec(t *testing.T) {
	for name, fail := range map[string]error{"Closed": nil, "Open": errors.New("down")} {
		t.Run(name, func(t *testing.T) {
			clock := ratelimittest.NewClock()
			shared := &store{Memory: ratelimit.NewMemory(clock.Now), err: fail}
			f := ratelimit.NewFailover(shared, ratelimit.NewMemory(clock.Now), ratelimit.FailoverOptions{Failures: 1, Now: clock.Now})
			ratelimittest.Spec(t, f, clock)
		})
	}
}
