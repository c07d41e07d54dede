package ratelimit

import (
	"context"
	"errors"
	"time"
)

// Decision is the outcome of counting a request against a rule; with
// several keys, the most constraining one.
type Decision struct {
	Allowed   bool
	Limit     int           // the rule's Limit
	Remaining int           // requests that would be allowed at once after this one
	RetryIn   time.Duration // refused: until a request would be allowed
	ResetIn   time.Duration // until the whole burst is available again
}

// Decide counts one request under every key with rule: the request is
// allowed when every key allows it. A request that one key refuses is
// given back to the keys that allowed it, so that a refused request costs
// nothing.
func Decide(ctx context.Context, l Limiter, rule Rule, keys ...string) (Decision, error) {
	d := Decision{Allowed: true, Limit: rule.Limit, Remaining: rule.Limit}
	var counted []string
	for _, k := range keys {
		kd, err := l.Allow(ctx, k, rule)
		if err != nil {
			return d, errors.Join(err, undo(ctx, l, rule, counted))
		}
		switch {
		case !kd.Allowed && (d.Allowed || kd.RetryIn > d.RetryIn): // wait for the last one
			d = kd
		case kd.Allowed:
			counted = append(counted, k)
			if d.Allowed && kd.Remaining <= d.Remaining {
				d = kd
			}
		}
	}
	if d.Allowed {
		return d, nil
	}
	return d, undo(ctx, l, rule, counted)
}

// undo gives back the request counted on keys.
func undo(ctx context.Context, l Limiter, rule Rule, keys []string) error {
	var errs []error
	for _, k := range keys {
		errs = append(errs, l.Undo(ctx, k, rule))
	}
	return errors.Join(errs...)
}
