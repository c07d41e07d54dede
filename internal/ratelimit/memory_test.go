package ratelimit_test

import (
	"testing"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

func TestMemory(t *testing.T) {
	clock := ratelimittest.NewClock()
	ratelimittest.Spec(t, ratelimit.NewMemory(clock.Now), clock)
}
