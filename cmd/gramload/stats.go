package main

import (
	"slices"
	"time"
)

// recorder collects one worker's results for one phase; workers never
// share one, so recording takes no lock. Latencies are kept whole (8 bytes
// a request) and sorted once at the end: exact percentiles, no histogram
// error.
type recorder map[string]*samples

type samples struct {
	lat      []time.Duration
	errors   int
	firstErr string
}

func (r recorder) ok(op string, d time.Duration) { r.get(op).lat = append(r.get(op).lat, d) }

func (r recorder) fail(op string, err error) {
	s := r.get(op)
	if s.errors == 0 {
		s.firstErr = err.Error()
	}
	s.errors++
}

func (r recorder) get(op string) *samples {
	s := r[op]
	if s == nil {
		s = &samples{lat: make([]time.Duration, 0, 1024)}
		r[op] = s
	}
	return s
}

// Endpoint is one operation's result in one phase.
type Endpoint struct {
	Name         string  `json:"name"`
	Requests     int     `json:"requests"`
	RPS          float64 `json:"rps"`
	P50          float64 `json:"p50_ms"`
	P90          float64 `json:"p90_ms"`
	P99          float64 `json:"p99_ms"`
	Max          float64 `json:"max_ms"`
	Errors       int     `json:"errors"`
	FirstError   string  `json:"first_error,omitempty"`
	CeilingRatio float64 `json:"ceiling_ratio,omitempty"`  // RPS / the ceiling's RPS
	PerCPUSecond float64 `json:"per_cpu_second,omitempty"` // requests per CPU-second of this process
}

// summarize merges the workers' recorders into one Endpoint per
// operation, in the order of names.
func summarize(recs []recorder, names []string, elapsed time.Duration) []Endpoint {
	var out []Endpoint
	for _, name := range names {
		var all samples
		for _, r := range recs {
			if s := r[name]; s != nil {
				all.lat = append(all.lat, s.lat...)
				if all.errors == 0 && s.errors > 0 {
					all.firstErr = s.firstErr
				}
				all.errors += s.errors
			}
		}
		if len(all.lat) == 0 && all.errors == 0 {
			continue
		}
		slices.Sort(all.lat)
		out = append(out, Endpoint{Name: name, Requests: len(all.lat), RPS: float64(len(all.lat)) / elapsed.Seconds(),
			P50: ms(pct(all.lat, 50)), P90: ms(pct(all.lat, 90)), P99: ms(pct(all.lat, 99)), Max: ms(pct(all.lat, 100)),
			Errors: all.errors, FirstError: all.firstErr})
	}
	return out
}

// pct returns the p-th percentile of sorted (nearest rank).
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
