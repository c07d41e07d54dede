package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instamern/gram/internal/seed"
)

// progress draws one status line on a terminal, rewritten in place with
// \r, while seeding and running.
type progress struct {
	w io.Writer
}

// show redraws line() every quarter second until stop is called, which
// draws it a last time and ends the line.
func (p *progress) show(line func() string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			fmt.Fprintf(p.w, "\r%-79s", line())
			select {
			case <-done:
				fmt.Fprintf(p.w, "\r%-79s\n", line())
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// phase shows a running phase: elapsed time, throughput, errors.
func (p *progress) phase(name string, dur time.Duration, start time.Time, done, bad *atomic.Int64) (stop func()) {
	return p.show(func() string {
		el := min(time.Since(start), dur)
		rate := float64(done.Load()) / max(time.Since(start).Seconds(), 1e-3)
		return fmt.Sprintf("%-8s %s %5.1fs/%v %8.0f req/s  errors %d", name, bar(el.Seconds(), dur.Seconds()),
			el.Seconds(), dur, rate, bad.Load())
	})
}

// seeding shows the table being loaded; set it with the returned func.
func (p *progress) seeding() (set func(*seed.Source), stop func()) {
	var cur atomic.Pointer[seed.Source]
	stop = p.show(func() string {
		src := cur.Load()
		if src == nil {
			return "seeding"
		}
		return fmt.Sprintf("seeding %-8s %s %10d/%d", src.Table, bar(float64(src.Done()), float64(src.Total)),
			src.Done(), src.Total)
	})
	return cur.Store, stop
}

// bar draws a 30-column bar of done/total.
func bar(done, total float64) string {
	const width = 30
	n := width
	if total > 0 {
		n = int(min(done/total, 1) * width)
	}
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
}
