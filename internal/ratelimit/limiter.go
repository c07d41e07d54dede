// Package ratelimit counts requests per key in fixed windows: in process
// (Memory) or in Redis (package redislimit), so that every replica counts
// against the same limits. It knows nothing of HTTP; the api package turns
// its decisions into headers and 429s.
//
// Limiters read the time from an injected clock, so that tests advance it
// instead of waiting; they report when a window ends as a duration from
// that clock's now, so that callers need no clock of their own.
package ratelimit

import (
	"context"
	"time"
)

// Rule allows Limit requests per Window; a zero Limit disables it.
type Rule struct {
	Limit  int
	Window time.Duration
}

// Limiter counts requests per key in fixed windows.
type Limiter interface {
	// Allow counts one request for key under rule and returns how many
	// remain in the window and how long until the window resets.
	Allow(ctx context.Context, key string, rule Rule) (allowed bool, remaining int, resetIn time.Duration, err error)
	// Peek returns key's count in the current window, without counting,
	// and how long until the window resets (zero count: no window is open).
	Peek(ctx context.Context, key string, rule Rule) (count int, resetIn time.Duration, err error)
}
