package ratelimittest

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/instamern/gram/internal/clocktest"
	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/redislimit"
	"github.com/instamern/gram/internal/testenv"
)

// Open makes a limiter reading the time from clock.
type Open func(t *testing.T, clock *clocktest.Clock) ratelimit.Limiter

// Limiters are the stores that limit scenarios run on, by name: in
// process always, Redis when GRAM_TEST_REDIS is set (testenv.Need), with a
// key prefix of its own per call so that tests do not share counts.
func Limiters() map[string]Open {
	return map[string]Open{
		"mem": func(_ *testing.T, clock *clocktest.Clock) ratelimit.Limiter { return ratelimit.NewMemory(clock.Now) },
		"redis": func(t *testing.T, clock *clocktest.Clock) ratelimit.Limiter {
			url := testenv.Need(t, "GRAM_TEST_REDIS")
			b := make([]byte, 6)
			_, _ = rand.Read(b)
			l, err := redislimit.New(t.Context(), url, "gramtest:"+hex.EncodeToString(b)+":", clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = l.Close() })
			return l
		},
	}
}
