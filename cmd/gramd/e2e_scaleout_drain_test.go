package main

import (
	"testing"
	"time"
)

// drainUnderLoad stops replica 2 (SIGTERM) under the mixed load and starts
// it again: its /readyz fails at once, so the readiness watcher takes it
// out of nginx's rotation while it still serves (DRAIN_DELAY); it
// finishes what it has, exits 0, and not one request fails; what the load
// was told is what the database holds.
func drainUnderLoad(t *testing.T, c *cluster) {
	c.t, c.front.t = t, t
	l := newLoad(t, c, "drain", 10, defaultMix)
	stop := l.start(t)

	time.Sleep(time.Second)
	stopAt := time.Now()
	c.reps[2].t = t
	c.reps[2].terminate() // exit status 0 within 10s
	c.reps[2].waitLog(`"draining"`, time.Second)
	stopped := time.Now()
	if c.lb.downCount(c.addr(2)) == 0 {
		t.Errorf("%s was never taken out of nginx's rotation: its /readyz did not fail while it drained", replicaName(2))
	}
	time.Sleep(500 * time.Millisecond)
	c.start(2)
	time.Sleep(time.Second)
	stop()

	var acked, during, cut int
	for _, op := range l.ops {
		if !op.acked() && c.answeredWhole(op.id, op.status, op.instance) {
			// The replica answered in full; the body was cut between nginx
			// and the client, around one of the watcher's nginx reloads.
			// That is the balancer's matter, not the drain's: count it.
			cut++
			t.Logf("%s %s (%s): %d answered in full by %q, cut on its way through nginx: %v", op.kind, op.target, op.id, op.status, op.instance, op.err)
			continue
		}
		if !op.acked() {
			t.Errorf("%s %s (%s): %d %v from %q: %s", op.kind, op.target, op.id, op.status, op.err, op.instance, op.msg)
			continue
		}
		acked++
		if op.instance == replicaName(2) && op.start.After(stopAt) && op.end.Before(stopped) {
			during++
		}
	}
	t.Logf("drain: %d requests by %d workers acknowledged (%d more answered in full but cut by nginx); %s took %v to stop and answered %d requests meanwhile",
		acked, len(l.users), cut, replicaName(2), stopped.Sub(stopAt).Round(time.Millisecond), during)
	if during == 0 {
		t.Errorf("%s answered nothing while it drained; the test did not exercise the drain", replicaName(2))
	}
	l.checkLikes(t, l.checkToggles(t, "like", func(msg string) (bool, bool) {
		return msg == "Liked!", msg == "Liked!" || msg == "Unliked."
	}))
	l.checkComments(t)
	l.checkMail(t)
}
