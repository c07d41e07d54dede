package ratelimittest

import (
	"time"

	"github.com/instamern/gram/internal/clocktest"
)

// NewClock returns a clock for limiters at midnight UTC: a window start
// for every window that divides a day, so that windows aligned to the
// clock (Redis) open with it. It stands still until Advance, so that no
// window ends under a test and tests end windows without waiting.
func NewClock() *clocktest.Clock { return clocktest.New(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) }
