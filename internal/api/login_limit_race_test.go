package api_test

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/instamern/gram/internal/api"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

// The per-account limit holds under concurrency: guesses sent at once
// from many IPs must not all pass the check before any failure is
// counted. At most Limit of them may reach the password check.
func TestLoginThrottledConcurrently(t *testing.T) {
	base := newHarness(t, backends()[0])
	base.signup(t, "alice")
	const limit, guesses, window = 3, 40, 5 * time.Second
	for name, open := range ratelimittest.Limiters() {
		t.Run(name, func(t *testing.T) {
			// The clock stands still: every guess falls in one window.
			h := base.limited(t, open(t, ratelimittest.NewClock()), func(c *api.Config) { c.LoginFails = ratelimit.Rule{Limit: limit, Window: window} })
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				statuses = map[int]int{}
			)
			start := make(chan struct{})
			for i := range guesses {
				wg.Go(func() {
					<-start
					res, _ := h.request(t, "POST", "/instamern/users/login", "",
						map[string]any{"username": "alice", "password": "wrong-guess-" + strconv.Itoa(i)},
						map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i+1)})
					mu.Lock()
					statuses[res.StatusCode]++
					mu.Unlock()
				})
			}
			close(start)
			wg.Wait()
			if statuses[http.StatusUnauthorized] > limit || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != guesses {
				t.Errorf("statuses %v: want at most %d password checks (401), the rest 429", statuses, limit)
			}
		})
	}
}
