package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// group is a set of connections running one weighted mix.
type group struct {
	conns int
	mix   []weighted
}

// phaseSpec is one timed run: its groups run side by side.
type phaseSpec struct {
	name   string
	about  string
	dur    time.Duration
	groups []group
	vus    []*vu                           // nil: the run's virtual users
	before func(ctx context.Context) error // optional, untimed
	after  func(ctx context.Context, p *Phase) error
}

// Phase is one phase's result.
type Phase struct {
	Name    string  `json:"name"`
	About   string  `json:"about"`
	Conns   int     `json:"conns"`
	Seconds float64 `json:"seconds"`
	// CPUSeconds is this process's CPU time during the phase (server and
	// load generator when in process). On a shared machine it says how
	// much CPU the run got; requests per CPU-second is the steadier
	// measure of cost.
	CPUSeconds float64    `json:"cpu_seconds"`
	Endpoints  []Endpoint `json:"endpoints"`
	Notes      []string   `json:"notes,omitempty"`
}

// endpoint returns the named endpoint's result, or nil.
func (p *Phase) endpoint(name string) *Endpoint {
	for i := range p.Endpoints {
		if p.Endpoints[i].Name == name {
			return &p.Endpoints[i]
		}
	}
	return nil
}

// run drives the phase: connection k is virtual user vus[k], looping
// over its group's mix until the time is up. Requests in flight then are
// finished, not cancelled (the server would do the work anyway, and the
// like check must see every answer), and the phase's time runs until the
// last one ends.
func (s phaseSpec) run(ctx context.Context, vus []*vu, prog *progress) (*Phase, error) {
	if s.vus != nil {
		vus = s.vus
	}
	conns := 0
	for _, g := range s.groups {
		conns += g.conns
	}
	if conns > len(vus) {
		return nil, fmt.Errorf("%s: needs %d virtual users, has %d", s.name, conns, len(vus))
	}
	if s.before != nil {
		if err := s.before(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	var (
		wg        sync.WaitGroup
		recs      []recorder
		names     []string
		done, bad atomic.Int64
		k         int
	)
	start, cpu0 := time.Now(), cpuTime()
	deadline := start.Add(s.dur)
	for _, g := range s.groups {
		for _, w := range g.mix {
			if !slices.Contains(names, w.op.name) {
				names = append(names, w.op.name)
			}
		}
		for range g.conns {
			rec, v, mix := recorder{}, vus[k], g.mix
			recs, k = append(recs, rec), k+1
			wg.Go(func() { drive(ctx, deadline, v, mix, rec, &done, &bad) })
		}
	}
	stop := prog.phase(s.name, s.dur, start, &done, &bad)
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	stop()
	p := &Phase{Name: s.name, About: s.about, Conns: k, Seconds: elapsed.Seconds(), CPUSeconds: cpu.Seconds(),
		Endpoints: summarize(recs, names, elapsed)}
	for i := range p.Endpoints {
		if cpu > 0 {
			p.Endpoints[i].PerCPUSecond = float64(p.Endpoints[i].Requests) / cpu.Seconds()
		}
	}
	if s.after != nil {
		if err := s.after(ctx, p); err != nil {
			return p, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return p, nil
}

func drive(ctx context.Context, deadline time.Time, v *vu, mix []weighted, rec recorder, done, bad *atomic.Int64) {
	total := 0
	for _, w := range mix {
		total += w.weight
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		o := pick(mix, v.rng.IntN(total))
		t0 := time.Now()
		err := o.run(ctx, v)
		d := time.Since(t0)
		if ctx.Err() != nil {
			return // interrupted
		}
		if err != nil {
			rec.fail(o.name, err)
			bad.Add(1)
		} else {
			rec.ok(o.name, d)
		}
		done.Add(1)
	}
}

func pick(mix []weighted, n int) *op {
	for _, w := range mix {
		if n < w.weight {
			return w.op
		}
		n -= w.weight
	}
	return mix[len(mix)-1].op
}
