// Package redislimit is a ratelimit.Limiter in Redis, so that every
// replica counts against the same limits.
package redislimit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/redis/go-redis/v9"
)

// Limiter is a fixed-window ratelimit.Limiter in Redis. Windows are
// aligned to its clock: each is one counter named by the window's start,
// so the clock alone decides which window a request falls in. The
// counter's expiry only collects it once its window is over.
type Limiter struct {
	client *redis.Client
	prefix string
	now    func() time.Time
}

// New connects to the Redis at url (redis://host:port/db) and checks
// that it answers. Every key it writes starts with prefix; it reads the
// time from now (nil: time.Now).
func New(ctx context.Context, url, prefix string, now func() time.Time) (*Limiter, error) {
	if now == nil {
		now = time.Now
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis limiter: %w", err)
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 2*time.Second, time.Second, time.Second
	c := redis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("redis limiter: %w", err)
	}
	return &Limiter{client: c, prefix: prefix, now: now}, nil
}

// Open returns the limiter of a server: in process when redisURL is
// empty, else in Redis (keys prefixed "gram:") so that limits hold across
// replicas. close releases it.
func Open(ctx context.Context, redisURL string) (l ratelimit.Limiter, close func(), err error) {
	if redisURL == "" {
		return ratelimit.NewMemory(nil), func() {}, nil
	}
	r, err := New(ctx, redisURL, "gram:", nil)
	if err != nil {
		return nil, nil, err
	}
	return r, func() { _ = r.Close() }, nil
}

// Close closes the connection pool.
func (l *Limiter) Close() error { return l.client.Close() }

// Allow implements ratelimit.Limiter with an atomic INCR of the window's
// counter and its expiry, in one round trip. The expiry (a window and a
// second from now, longer than what is left of the window) is garbage
// collection: the counter of a window that is over is never read again.
func (l *Limiter) Allow(ctx context.Context, key string, rule ratelimit.Rule) (bool, int, time.Duration, error) {
	now := l.now()
	start := now.Truncate(rule.Window)
	k := l.windowKey(key, start)
	pipe := l.client.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.PExpire(ctx, k, rule.Window+time.Second)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, 0, 0, fmt.Errorf("redis limiter: %w", err)
	}
	n := int(incr.Val())
	return n <= rule.Limit, max(rule.Limit-n, 0), start.Add(rule.Window).Sub(now), nil
}

// Peek implements ratelimit.Limiter: the count of the current window's key.
func (l *Limiter) Peek(ctx context.Context, key string, rule ratelimit.Rule) (int, time.Duration, error) {
	now := l.now()
	start := now.Truncate(rule.Window)
	n, err := l.client.Get(ctx, l.windowKey(key, start)).Int()
	if errors.Is(err, redis.Nil) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("redis limiter: %w", err)
	}
	return n, start.Add(rule.Window).Sub(now), nil
}

// windowKey names the counter of key's window starting at start.
func (l *Limiter) windowKey(key string, start time.Time) string {
	return fmt.Sprintf("%srl:%s:%d", l.prefix, key, start.UnixMilli())
}
