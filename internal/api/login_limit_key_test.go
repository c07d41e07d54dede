package api_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
)

// keyRecorder is a limiter that remembers the longest key it was given.
type keyRecorder struct {
	*ratelimit.Memory
	mu      sync.Mutex
	longest int
}

func (k *keyRecorder) note(key string) {
	k.mu.Lock()
	k.longest = max(k.longest, len(key))
	k.mu.Unlock()
}

func (k *keyRecorder) Allow(ctx context.Context, key string, rule ratelimit.Rule) (ratelimit.Decision, error) {
	k.note(key)
	return k.Memory.Allow(ctx, key, rule)
}

func (k *keyRecorder) Undo(ctx context.Context, key string, rule ratelimit.Rule) error {
	k.note(key)
	return k.Memory.Undo(ctx, key, rule)
}

// The username of a login is whatever the client sends, up to the body
// limit: the per-account counter must not keep it as its key, or each
// request could make the limiter (memory or Redis) hold a megabyte.
func TestLoginLimitKeyBounded(t *testing.T) {
	base := newHarness(t, backends()[0])
	rec := &keyRecorder{Memory: ratelimit.NewMemory(nil)}
	h := base.limited(t, rec, func(c *api.Config) { c.LoginFails = ratelimit.Rule{Limit: 3, Window: time.Minute} })
	huge := strings.Repeat("a", 512<<10)
	st, body, _ := h.from(t, "203.0.113.9", "POST", "/instamern/users/login", "", map[string]any{"username": huge, "password": "wrong-guess-1"})
	wantFail(t, st, body, 401, "Incorrect username or password.")
	if rec.longest > 256 {
		t.Errorf("the limiter was given a key of %d bytes; want it bounded", rec.longest)
	}
}
