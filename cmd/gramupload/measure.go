package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// result is what a run measured.
type result struct {
	Uploads, Accounts int
	Kind              string
	ImageBytes        int64
	Before            int64 // VmRSS when the uploads started
	PeakHWM           int64 // VmHWM, the kernel's peak RSS since the uploads started (0 when unknown)
	PeakSampled       int64 // highest VmRSS seen, sampled every 10 ms
	PeakGoTotal       int64 // highest memory mapped by the Go runtime, sampled alike
	Outcomes          []outcome
	Elapsed           time.Duration
	TempLeft          int // files left in the upload temp dir afterwards
}

// measure sends c.n uploads at once, the i-th as account i mod len(tokens),
// while sampling the process's memory.
func measure(ctx context.Context, c *config, img *os.File, base string, tokens []string) (*result, error) {
	u, err := newUploader(c, img, base)
	if err != nil {
		return nil, err
	}
	r := &result{Uploads: c.n, Accounts: len(tokens), Kind: c.kind, ImageBytes: u.size, Outcomes: make([]outcome, c.n)}
	runtime.GC()
	debug.FreeOSMemory()
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	r.Before = procStatus("VmRSS")
	stop := sample(&r.PeakSampled, &r.PeakGoTotal)
	start := time.Now()
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range c.n {
		wg.Go(func() {
			<-gate
			r.Outcomes[i] = u.send(ctx, tokens[i%len(tokens)])
		})
	}
	close(gate)
	wg.Wait()
	r.Elapsed = time.Since(start)
	stop()
	if resetPeak {
		r.PeakHWM = procStatus("VmHWM")
	}
	return r, nil
}

// sample records the highest VmRSS and Go-mapped memory every 10 ms until
// the returned function is called.
func sample(rss, goTotal *int64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	m := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			*rss = max(*rss, procStatus("VmRSS"))
			metrics.Read(m)
			*goTotal = max(*goTotal, int64(m[0].Value.Uint64()))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// procStatus returns a field of /proc/self/status in bytes, 0 when it
// cannot be read (not Linux).
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok || string(name) != field {
			continue
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}
