package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instamern/gram/internal/seed"
	"golang.org/x/term"
)

// progress shows one status line while seeding and running. On a
// terminal it is redrawn in place with \r four times a second; anywhere
// else (a CI log, a file) it is printed as a plain line every ten seconds
// and once at the end, so a log gets a few readable lines, not thousands
// of carriage returns.
type progress struct {
	w     io.Writer
	tty   bool          // redraw in place
	every time.Duration // between plain lines when not tty
}

// newProgress writes to w, redrawing in place only when w is a terminal.
func newProgress(w io.Writer) *progress {
	return &progress{w: w, tty: isTerminal(w), every: 10 * time.Second}
}

// isTerminal reports whether w is a file open on a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// show draws line() until stop is called, which draws it a last time and
// ends the line.
func (p *progress) show(line func() string) (stop func()) {
	every, draw := p.every, func() { fmt.Fprintln(p.w, line()) }
	if p.tty {
		every, draw = 250*time.Millisecond, func() { fmt.Fprintf(p.w, "\r%-79s", line()) }
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		if p.tty {
			draw()
		}
		for {
			select {
			case <-done:
				if p.tty {
					fmt.Fprintf(p.w, "\r%-79s\n", line())
				} else {
					draw()
				}
				return
			case <-t.C:
				draw()
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
