package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is an in-process fixed-window Limiter: a key's window opens
// with its first request and is over at its reset, as Retry-After says.
type Memory struct {
	now     func() time.Time
	mu      sync.Mutex
	windows map[string]*window
	sweep   time.Time
}

type window struct {
	count int
	reset time.Time
}

// NewMemory returns an empty in-process limiter reading the time from
// now (nil: time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, windows: map[string]*window{}}
}

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, rule Rule) (bool, int, time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.After(m.sweep) { // drop finished windows now and then
		for k, w := range m.windows {
			if !now.Before(w.reset) {
				delete(m.windows, k)
			}
		}
		m.sweep = now.Add(time.Minute)
	}
	w := m.windows[key]
	if w == nil || !now.Before(w.reset) {
		w = &window{reset: now.Add(rule.Window)}
		m.windows[key] = w
	}
	w.count++
	return w.count <= rule.Limit, max(rule.Limit-w.count, 0), w.reset.Sub(now), nil
}

// Peek implements Limiter.
func (m *Memory) Peek(_ context.Context, key string, _ Rule) (int, time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	w := m.windows[key]
	if w == nil || !now.Before(w.reset) {
		return 0, 0, nil
	}
	return w.count, w.reset.Sub(now), nil
}
