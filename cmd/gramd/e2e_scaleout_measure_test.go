package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// measure turns on TestE2E_ScaleOutThroughput: a measurement, not a
// check, so the suite does not spend its time on it.
var measure = flag.Duration("scale.measure", 0, "run TestE2E_ScaleOutThroughput for this long per replica count (e.g. 10s)")

// readMix is the fixed read load of the measurement: the feed, a post,
// a profile and the signed-in user, in equal parts.
var readMix = []opWeight{{"read", 1}}

// TestE2E_ScaleOutThroughput measures the requests per second of a fixed
// read load through nginx in front of one, two and three replicas (the
// same three, on the same shared services), with as many workers as
// -scale.workers. Everything, the load generator and nginx included,
// shares this machine's cores, which it reports.
//
//	go test -run TestE2E_ScaleOutThroughput -scale.measure 10s ./cmd/gramd/
func TestE2E_ScaleOutThroughput(t *testing.T) {
	if *measure == 0 {
		t.Skip("a measurement: run with -scale.measure 10s")
	}
	c := newCluster(t, "RATE_LIMIT_WRITE=off", "RATE_LIMIT_READ=off", "RATE_LIMIT_AUTH=1000/1m")
	c.front.t = t
	l := newLoad(t, c, "reader", *workers, readMix)
	l.client = lbClient(true) // nginx is not reloaded here
	upstreams := []string{c.addr(0), c.addr(1), c.addr(2)}
	var rows []string
	for n := 1; n <= 3; n++ {
		c.lb = startNginx(t, "", upstreams[:n])
		l.ops = nil
		ctx, cancel := context.WithTimeout(t.Context(), *measure)
		start := time.Now()
		l.run(ctx)
		cancel()
		elapsed := time.Since(start)
		var lat []time.Duration
		replicas := map[string]int{}
		for _, op := range l.ops {
			if !op.acked() {
				t.Fatalf("%s %s: %d %v %s", op.kind, op.target, op.status, op.err, op.msg)
			}
			lat = append(lat, op.end.Sub(op.start))
			replicas[op.instance]++
		}
		if len(replicas) != n {
			t.Fatalf("%d replicas answered behind nginx with %d upstreams: %v", len(replicas), n, replicas)
		}
		slices.Sort(lat)
		rows = append(rows, fmt.Sprintf("| %d | %d | %.0f | %v | %v |", n, len(l.ops), float64(len(l.ops))/elapsed.Seconds(),
			lat[len(lat)/2].Round(100*time.Microsecond), lat[len(lat)*99/100].Round(100*time.Microsecond)))
	}
	avg, _ := os.ReadFile("/proc/loadavg")
	t.Logf("%d workers, %v per row, read mix (feed, post, profile, current user), %d CPUs, load average %s\n"+
		"| replicas | requests | requests/s | p50 | p99 |\n|---|---|---|---|---|\n%s",
		*workers, *measure, runtime.NumCPU(), strings.Join(strings.Fields(string(avg))[:3], " "), strings.Join(rows, "\n"))
}

var workers = flag.Int("scale.workers", 16, "workers of TestE2E_ScaleOutThroughput, each one request at a time")
