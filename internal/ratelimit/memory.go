package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is an in-process Limiter: one replica's counts.
type Memory struct {
	now   func() time.Time
	mu    sync.Mutex
	tats  map[string]time.Time // per key: when its burst is whole again
	sweep time.Time
}

// NewMemory returns an empty in-process limiter reading the time from
// now (nil: time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, tats: map[string]time.Time{}}
}

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, rule Rule) (Decision, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweepLocked(now)
	tat, d := take(m.tats[key], now, rule)
	m.tats[key] = tat
	return d, nil
}

// Undo implements Limiter.
func (m *Memory) Undo(_ context.Context, key string, rule Rule) error {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if tat := giveBack(m.tats[key], now, rule); tat.IsZero() {
		delete(m.tats, key)
	} else {
		m.tats[key] = tat
	}
	return nil
}

// sweepLocked drops, now and then, the keys whose burst is whole again:
// they count as unused.
func (m *Memory) sweepLocked(now time.Time) {
	if now.Before(m.sweep) {
		return
	}
	for k, tat := range m.tats {
		if !tat.After(now) {
			delete(m.tats, k)
		}
	}
	m.sweep = now.Add(time.Minute)
}
