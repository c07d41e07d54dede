// Package redislimit is a ratelimit.Limiter in Redis, so that every
// replica counts against the same limits.
package redislimit

import (
	"context"
	"fmt"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/redis/go-redis/v9"
)

// Limiter is a GCRA ratelimit.Limiter in Redis: each key is one string,
// the key's theoretical arrival time (when its burst is whole again) in
// microseconds, read and moved by one Lua script, so that replicas
// counting at once never lose a count. It expires when the burst is whole
// again: an unused key holds nothing.
//
// The time comes from the limiter's clock, not from Redis, so that tests
// can move it; replicas' clocks must agree (NTP): a replica whose clock is
// ahead by d allows about d/interval requests more.
type Limiter struct {
	client *redis.Client
	prefix string
	now    func() time.Time
}

// New connects to the Redis at url (redis://host:port/db) and checks
// that it answers. Every key it writes starts with prefix; it reads the
// time from now (nil: time.Now).
func New(ctx context.Context, url, prefix string, now func() time.Time) (*Limiter, error) {
	l, err := dial(url, prefix, now)
	if err != nil {
		return nil, err
	}
	if err := l.client.Ping(ctx).Err(); err != nil {
		_ = l.Close()
		return nil, fmt.Errorf("redis limiter: %w", err)
	}
	return l, nil
}

// dial returns a limiter on the Redis at url without checking that it
// answers. Calls end at their context's deadline (the Failover's
// timeout); the client's own timeouts only bound callers without one.
func dial(url, prefix string, now func() time.Time) (*Limiter, error) {
	if now == nil {
		now = time.Now
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis limiter: %w", err)
	}
	opt.ContextTimeoutEnabled = true
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.PoolTimeout = time.Second, time.Second, time.Second, time.Second
	// A retry would wait past the caller's deadline: the breaker decides.
	opt.MaxRetries, opt.DialerRetries = -1, 1
	return &Limiter{client: redis.NewClient(opt), prefix: prefix, now: now}, nil
}

// Check pings Redis.
func (l *Limiter) Check(ctx context.Context) error { return l.client.Ping(ctx).Err() }

// Close closes the connection pool.
func (l *Limiter) Close() error { return l.client.Close() }

// Status implements ratelimit.Reporter.
func (l *Limiter) Status() ratelimit.Status { return ratelimit.Status{Store: "redis"} }

// Allow implements ratelimit.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string, rule ratelimit.Rule) (ratelimit.Decision, error) {
	v, err := takeScript.Run(ctx, l.client, []string{l.key(key)}, l.args(rule)...).Int64Slice()
	if err != nil {
		return ratelimit.Decision{}, fmt.Errorf("redis limiter: %w", err)
	}
	return ratelimit.Decision{Allowed: v[0] == 1, Limit: rule.Limit, Remaining: int(v[1]),
		RetryIn: time.Duration(v[2]) * time.Microsecond, ResetIn: time.Duration(v[3]) * time.Microsecond}, nil
}

// Undo implements ratelimit.Limiter.
func (l *Limiter) Undo(ctx context.Context, key string, rule ratelimit.Rule) error {
	if err := giveBackScript.Run(ctx, l.client, []string{l.key(key)}, l.args(rule)...).Err(); err != nil {
		return fmt.Errorf("redis limiter: %w", err)
	}
	return nil
}

// args are the scripts' ARGV: now, the rule's window and its interval,
// in microseconds.
func (l *Limiter) args(rule ratelimit.Rule) []any {
	window := rule.Window.Microseconds()
	return []any{l.now().UnixMicro(), window, max(window/int64(rule.Limit), 1)}
}

// key names key's TAT; "gcra:" sets these keys apart from any others
// under the same prefix.
func (l *Limiter) key(key string) string { return l.prefix + "gcra:" + key }
