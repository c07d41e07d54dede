package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// killUnderLoad runs the mixed load through nginx while replica 0 is
// killed (SIGKILL) and replica 1 restarted (SIGTERM: it drains, then
// starts again), then brings replica 0 back. It requires that the only
// failed requests are ones nginx had sent to replica 0 as it died, and
// that nothing acknowledged is lost: toggles, counters, comments,
// uploads, media and mail are checked against what the load was told.
func killUnderLoad(t *testing.T, c *cluster) {
	c.t, c.front.t = t, t
	l := newLoad(t, c, "kill", 10, defaultMix)
	stop := l.start(t)

	time.Sleep(2 * time.Second)
	killedAt := time.Now()
	c.killedAt = killedAt
	if err := c.reps[0].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.reps[0].t = t
	c.reps[0].waitExit(5 * time.Second)
	time.Sleep(2 * time.Second)
	restartFrom := time.Now()
	c.reps[1].t = t
	c.reps[1].terminate()
	c.start(1)
	restartTo := time.Now()
	time.Sleep(time.Second)
	c.start(0)
	time.Sleep(2 * time.Second)
	stop()
	t.Logf("load: %d requests by %d workers; replica %s killed at +2s, %s drained and restarted in %v",
		len(l.ops), len(l.users), replicaName(0), replicaName(1), restartTo.Sub(restartFrom).Round(time.Millisecond))

	l.checkFailures(t, killedAt, c.addr(0))
	l.checkLikes(t, l.checkToggles(t, "like", func(msg string) (bool, bool) {
		return msg == "Liked!", msg == "Liked!" || msg == "Unliked."
	}))
	l.checkFollows(t, l.checkToggles(t, "follow", func(msg string) (bool, bool) {
		return strings.HasPrefix(msg, "Now, you are following "), strings.HasPrefix(msg, "Now, you a")
	}))
	l.checkComments(t)
	l.checkUploads(t)
	c.checkMedia(t, l.count("upload", (*loadOp).failed)+l.count("story", (*loadOp).failed))
	l.checkMail(t)
	t.Logf("restart of %s began %v after the kill", replicaName(1), restartFrom.Sub(killedAt).Round(time.Millisecond))
}

// count counts the ops of kind for which pred holds.
func (l *scaleLoad) count(kind string, pred func(*loadOp) bool) int {
	n := 0
	for _, op := range l.ops {
		if op.kind == kind && pred(op) {
			n++
		}
	}
	return n
}

// checkFailures requires every request to be acknowledged or to have
// failed in nginx (502 or a dropped connection) on the killed replica:
// in flight when it died, or sent by nginx, within a moment of the kill,
// on a keep-alive connection the dead process's kernel had closed before
// nginx noticed. nginx retries neither, since a POST may have been
// applied. The replica restarted meanwhile drained first, so nothing
// fails on it.
func (l *scaleLoad) checkFailures(t *testing.T, killedAt time.Time, killed string) {
	t.Helper()
	entries := l.c.lb.accessLog()
	var inFlight, failed, afterKill, unexpected, cut int
	perKind := map[string][2]int{}
	for _, op := range l.ops {
		e, logged := entries[op.id]
		if logged && slices.Contains(e.upstreams, killed) && op.start.Before(killedAt) && op.end.After(killedAt) {
			inFlight++
		}
		k := perKind[op.kind]
		switch {
		case op.acked():
			k[0]++
		case op.failed() && !logged && l.c.answeredByLive(op.id, op.status):
			// A live replica answered in full; the body was cut between
			// nginx and the client before nginx logged it, around one of
			// the watcher's reloads: the balancer's matter, not the kill's.
			cut++
			t.Logf("%s %s (%s): %d answered in full by a live replica, cut on its way through nginx: %v", op.kind, op.target, op.id, op.status, op.err)
		case op.failed():
			k[1]++
			failed++
			last := ""
			if logged {
				last = e.upstreams[len(e.upstreams)-1]
			}
			switch {
			case last == killed && !op.start.Before(killedAt) && op.start.Before(killedAt.Add(time.Second)):
				afterKill++
			case last == killed && op.start.Before(killedAt):
			default:
				t.Errorf("%s %s (%s) failed (%d %v) on %q, started %v after the kill; nginx: %s", op.kind, op.target, op.id,
					op.status, op.err, last, op.start.Sub(killedAt), e.line)
			}
		default:
			unexpected++
			if unexpected <= 10 {
				t.Errorf("%s %s (%s): %d from %q: %s", op.kind, op.target, op.id, op.status, op.instance, op.msg)
			}
		}
		perKind[op.kind] = k
	}
	t.Logf("requests in flight on the killed replica when it died: %d; failed: %d (%d of them sent on a dead keep-alive connection just after the kill); "+
		"at most one per worker: %d; other errors: %d; answered in full but cut by nginx: %d", inFlight, failed, afterKill, len(l.users), unexpected, cut)
	for kind, k := range perKind {
		t.Logf("  %-8s acknowledged %4d, failed %d", kind, k[0], k[1])
	}
	if failed-afterKill > inFlight || failed > len(l.users) {
		t.Errorf("%d failed requests; at most the %d in flight on the killed replica, and one per worker just after the kill, may fail",
			failed, inFlight)
	}
}

// toggleKey is one worker's toggle of one target.
type toggleKey struct {
	worker int
	target string
}

// toggleState is what the load knows of a toggle: on or off, or unknown
// since a request that failed may or may not have been applied.
type toggleState struct{ on, known bool }

// checkToggles follows the acknowledged answers to each worker's likes
// (a toggle) or follows of each target: parse reads the state an answer
// reports. For a toggle (like), each acknowledged answer must report the
// other state than the previous one, unless a failed request came
// between: a repeat would be a lost or doubled write. It returns the
// final states, which the database must hold.
func (l *scaleLoad) checkToggles(t *testing.T, kind string, parse func(msg string) (on, ok bool)) map[toggleKey]toggleState {
	t.Helper()
	st := map[toggleKey]toggleState{}
	for _, op := range l.ops {
		if op.kind != kind {
			continue
		}
		k := toggleKey{op.worker, op.target}
		cur, seen := st[k]
		if !seen {
			cur = toggleState{known: true} // nothing was on before the load
		}
		switch {
		case op.acked():
			on, ok := parse(op.msg)
			if !ok {
				t.Errorf("%s %s: message %q", kind, op.target, op.msg)
			}
			if kind == "like" && cur.known && on == cur.on {
				t.Errorf("%s of %s by worker %d (%s) left it on=%v, as it was: an acknowledged toggle was lost", kind, op.target, op.worker, op.id, on)
			}
			cur = toggleState{on: on, known: true}
		case op.failed():
			cur.known = false
		}
		st[k] = cur
	}
	return st
}

// unknown counts the toggles whose last request failed.
func unknown(st map[toggleKey]toggleState) int {
	n := 0
	for _, s := range st {
		if !s.known {
			n++
		}
	}
	return n
}
