package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Failover is a Limiter that counts in a shared store (Redis) while it
// answers, and in process while it does not, so that an outage of the
// store neither slows requests nor lifts the limits. It is a circuit
// breaker: each call to the store has Timeout; after Failures failed calls
// in a row the breaker opens and every call goes to the fallback, without
// waiting for the store, for CoolDown; then one call probes the store,
// which closes the breaker if it answers and opens it again if not. The
// call that fails is answered by the fallback too.
//
// While open, each replica counts on its own: a client spreading its
// requests over n replicas gets n budgets. Counts do not move between the
// stores: a switch starts from what the other store remembers.
type Failover struct {
	shared, local Limiter
	opt           FailoverOptions

	mu      sync.Mutex
	fails   int       // consecutive failed calls
	open    bool      // counting in process
	retryAt time.Time // open: when to probe the store
	probing bool      // a probe is under way
	since   time.Time // open: since when
}

// FailoverOptions tune a Failover; zero fields take the defaults.
type FailoverOptions struct {
	Timeout  time.Duration    // per call to the store; default 50ms
	Failures int              // failed calls in a row that open the breaker; default 3
	CoolDown time.Duration    // open: before probing the store again; default 5s
	Now      func() time.Time // the breaker's clock (nil: time.Now)
	Log      *slog.Logger     // transitions (nil: none)
}

// NewFailover returns a Limiter counting in shared while it answers and
// in local (in process, reading the same clock) while it does not.
func NewFailover(shared, local Limiter, opt FailoverOptions) *Failover {
	if opt.Timeout <= 0 {
		opt.Timeout = 50 * time.Millisecond
	}
	if opt.Failures <= 0 {
		opt.Failures = 3
	}
	if opt.CoolDown <= 0 {
		opt.CoolDown = 5 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Failover{shared: shared, local: local, opt: opt}
}

// Allow implements Limiter.
func (f *Failover) Allow(ctx context.Context, key string, rule Rule) (Decision, error) {
	if use, probe := f.useShared(); use {
		sctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
		d, err := f.shared.Allow(sctx, key, rule)
		cancel()
		if f.settle(ctx, probe, err) {
			return d, nil
		}
	}
	return f.local.Allow(ctx, key, rule)
}

// Undo implements Limiter.
func (f *Failover) Undo(ctx context.Context, key string, rule Rule) error {
	if use, probe := f.useShared(); use {
		sctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
		err := f.shared.Undo(sctx, key, rule)
		cancel()
		if f.settle(ctx, probe, err) {
			return nil
		}
	}
	return f.local.Undo(ctx, key, rule)
}

// Status implements Reporter.
func (f *Failover) Status() Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.open {
		return Status{Store: "memory", Degraded: true, Since: f.since}
	}
	return Status{Store: "redis"}
}

// Check checks the shared store itself, whatever the breaker says, when
// it can be checked (it has a Check method, as redislimit's has); else it
// reports nothing wrong.
func (f *Failover) Check(ctx context.Context) error {
	if c, ok := f.shared.(interface{ Check(context.Context) error }); ok {
		return c.Check(ctx)
	}
	return nil
}

// useShared reports whether this call goes to the store: always while
// the breaker is closed; while it is open, one call (the probe) once
// CoolDown is over.
func (f *Failover) useShared() (use, probe bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.open {
		return true, false
	}
	if f.probing || f.opt.Now().Before(f.retryAt) {
		return false, false
	}
	f.probing = true
	return true, true
}

// settle records the outcome of a call to the store and reports whether
// its answer stands. A call whose caller gave up (ctx done) says nothing
// about the store and counts neither way.
func (f *Failover) settle(ctx context.Context, probe bool, err error) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if probe {
		f.probing = false
	}
	switch {
	case err == nil:
		if f.open {
			f.opt.Log.Info("rate limiter: Redis answers again; limits are shared again", "after", f.opt.Now().Sub(f.since).Round(time.Millisecond))
		}
		f.fails, f.open = 0, false
		return true
	case ctx.Err() != nil:
		return false
	}
	f.tripLocked(err)
	return false
}

// tripLocked counts a failed call, and opens the breaker (again) when it
// is one too many; only the opening is logged, not every call.
func (f *Failover) tripLocked(err error) {
	f.fails++
	if !f.open && f.fails < f.opt.Failures {
		return
	}
	if !f.open {
		f.opt.Log.Warn("rate limiter: Redis does not answer; counting in process until it does", "err", err, "failures", f.fails)
		f.since = f.opt.Now()
	}
	f.open, f.retryAt = true, f.opt.Now().Add(f.opt.CoolDown)
}

// Trip opens the breaker, as Failures failed calls would: for a store
// known not to answer (at start).
func (f *Failover) Trip(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = f.opt.Failures - 1
	f.tripLocked(err)
}
