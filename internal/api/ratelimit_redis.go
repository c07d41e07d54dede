package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLimiter is a fixed-window Limiter in Redis, so that every replica
// counts against the same limits. Each window is one key that expires
// with the window.
type RedisLimiter struct {
	client *redis.Client
	prefix string
}

// NewRedisLimiter connects to the Redis at url (redis://host:port/db) and
// checks that it answers.
func NewRedisLimiter(ctx context.Context, url, prefix string) (*RedisLimiter, error) {
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
	return &RedisLimiter{client: c, prefix: prefix}, nil
}

// Close closes the connection pool.
func (l *RedisLimiter) Close() error { return l.client.Close() }

// Allow implements Limiter with INCR and an expiry set on the window's
// first request, in one round trip.
func (l *RedisLimiter) Allow(ctx context.Context, key string, rule RateRule) (bool, int, time.Time, error) {
	now := time.Now()
	start := now.Truncate(rule.Window)
	k := l.windowKey(key, start)
	pipe := l.client.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.PExpire(ctx, k, rule.Window+time.Second)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, 0, time.Time{}, fmt.Errorf("redis limiter: %w", err)
	}
	n := int(incr.Val())
	return n <= rule.Limit, max(rule.Limit-n, 0), start.Add(rule.Window), nil
}

// Peek implements Limiter: the count of the current window's key.
func (l *RedisLimiter) Peek(ctx context.Context, key string, rule RateRule) (int, time.Time, error) {
	start := time.Now().Truncate(rule.Window)
	n, err := l.client.Get(ctx, l.windowKey(key, start)).Int()
	if errors.Is(err, redis.Nil) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("redis limiter: %w", err)
	}
	return n, start.Add(rule.Window), nil
}

// windowKey names the counter of key's window starting at start.
func (l *RedisLimiter) windowKey(key string, start time.Time) string {
	return fmt.Sprintf("%srl:%s:%d", l.prefix, key, start.UnixMilli())
}
