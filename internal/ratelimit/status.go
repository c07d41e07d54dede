package ratelimit

import "time"

// Status says where a limiter counts, for readiness checks.
type Status struct {
	Store    string    // "memory" or "redis"
	Degraded bool      // counting in process because Redis does not answer
	Since    time.Time // Degraded: since when
}

// Reporter is a Limiter that says where it counts.
type Reporter interface {
	Status() Status
}

// StatusOf returns l's status; a limiter that does not report counts in
// process.
func StatusOf(l Limiter) Status {
	if r, ok := l.(Reporter); ok {
		return r.Status()
	}
	return Status{Store: "memory"}
}
