package ratelimit

import (
	"context"
	"time"
)

// Decision is the outcome of counting a request against a rule; with
// several keys, the most constraining one.
type Decision struct {
	Limit, Remaining int
	Allowed          bool
	ResetIn          time.Duration // until the window ends (refused: the last refusing one)
}

// Decide counts one request under every key with rule: the request is
// allowed when every key allows it.
func Decide(ctx context.Context, l Limiter, rule Rule, keys ...string) (Decision, error) {
	d := Decision{Limit: rule.Limit, Remaining: rule.Limit, Allowed: true}
	for _, k := range keys {
		ok, remaining, resetIn, err := l.Allow(ctx, k, rule)
		if err != nil {
			return d, err
		}
		switch {
		case !ok && (d.Allowed || resetIn > d.ResetIn): // refused: wait for the last window
			d.Allowed, d.Remaining, d.ResetIn = false, 0, resetIn
		case d.Allowed && remaining <= d.Remaining:
			d.Remaining, d.ResetIn = remaining, resetIn
		}
	}
	return d, nil
}
