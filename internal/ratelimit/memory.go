package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Memory is an in-process fixed-window Limiter: a key's window opens
// with its first request.
type Memory struct {
	mu      sync.Mutex
	windows map[string]*window
	sweep   time.Time
}

type window struct {
	count int
	reset time.Time
}

// NewMemory returns an empty in-process limiter.
func NewMemory() *Memory { return &Memory{windows: map[string]*window{}} }

// Allow implements Limiter.
func (m *Memory) Allow(_ context.Context, key string, rule Rule) (bool, int, time.Time, error) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.After(m.sweep) { // drop finished windows now and then
		for k, w := range m.windows {
			if now.After(w.reset) {
				delete(m.windows, k)
			}
		}
		m.sweep = now.Add(time.Minute)
	}
	w := m.windows[key]
	if w == nil || now.After(w.reset) {
		w = &window{reset: now.Add(rule.Window)}
		m.windows[key] = w
	}
	w.count++
	return w.count <= rule.Limit, max(rule.Limit-w.count, 0), w.reset, nil
}

// Peek implements Limiter.
func (m *Memory) Peek(_ context.Context, key string, _ Rule) (int, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w := m.windows[key]
	if w == nil || time.Now().After(w.reset) {
		return 0, time.Time{}, nil
	}
	return w.count, w.reset, nil
}
