// Package ratelimit limits requests per key with GCRA (the generic cell
// rate algorithm): a rule of Limit per Window allows a burst of Limit
// requests, then one more every Window/Limit. Unlike fixed windows, no
// window edge lets through twice the limit: in any stretch of time d, at
// most Limit + d·Limit/Window requests pass.
//
// Keys are counted in process (Memory) or in Redis (package redislimit),
// so that every replica counts against the same limits; Failover counts in
// process while Redis does not answer. The package knows nothing of HTTP:
// the api package turns its decisions into headers and 429s.
//
// Limiters read the time from an injected clock, so that tests advance it
// instead of waiting; they report durations from that clock's now, so
// that callers need no clock of their own.
package ratelimit

import (
	"context"
	"time"
)

// Rule allows a burst of Limit requests, and Limit per Window over time;
// a zero Limit disables it.
type Rule struct {
	Limit  int
	Window time.Duration
}

// interval is the time it takes rule to allow one more request.
func (r Rule) interval() time.Duration {
	return max(r.Window/time.Duration(r.Limit), time.Nanosecond)
}

// Limiter counts requests per key.
type Limiter interface {
	// Allow counts one request on key when rule allows it now. A refused
	// request is not counted.
	Allow(ctx context.Context, key string, rule Rule) (Decision, error)
	// Undo gives back one request that Allow counted on key under rule,
	// as if it had not been made; with none to give back it does nothing.
	Undo(ctx context.Context, key string, rule Rule) error
}
