package ratelimit

import "time"

// take counts one request at now on a key whose theoretical arrival time
// is tat (zero: unused), under rule. The TAT is when the key's burst is
// whole again; each request moves it one interval later, and a request is
// allowed when that leaves it at most a Window from now. take returns the
// key's new TAT (tat itself when refused) and the decision.
func take(tat, now time.Time, rule Rule) (time.Time, Decision) {
	interval := rule.interval()
	tat = later(tat, now)
	next := tat.Add(interval)
	allowAt := next.Add(-rule.Window)
	if allowAt.After(now) {
		return tat, Decision{Limit: rule.Limit, RetryIn: allowAt.Sub(now), ResetIn: tat.Sub(now)}
	}
	return next, Decision{Allowed: true, Limit: rule.Limit,
		Remaining: int(now.Sub(allowAt) / interval), ResetIn: next.Sub(now)}
}

// giveBack takes one request off a key whose TAT is tat: its TAT moves
// one interval earlier, never before now. The zero time means the key
// has nothing counted.
func giveBack(tat, now time.Time, rule Rule) time.Time {
	back := tat.Add(-rule.interval())
	if !back.After(now) {
		return time.Time{}
	}
	return back
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
