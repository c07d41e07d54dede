package main

import (
	"context"
	"time"
)

// plan lists the phases, in order: the ceiling, the realistic mix, then
// single-endpoint phases, one per performance target (targets.go).
func plan(c *config, vus, ceilingVUs []*vu, likes *likeCheck) []phaseSpec {
	n, d := c.conns, c.phaseDur
	only := func(o *op) []group { return []group{{n, []weighted{{o, 1}}}} }
	half := func(a, b *op) []group { return []group{{n / 2, []weighted{{a, 1}}}, {n - n/2, []weighted{{b, 1}}}} }
	return []phaseSpec{
		{name: "ceiling", about: "bare net/http serving a pre-serialised first feed page of the same size",
			dur: d, groups: only(opCeiling), vus: ceilingVUs},
		{name: "mix", about: "realistic weighted mix of every endpoint", dur: c.duration, groups: []group{{n, mix}}},
		{name: "feed", about: "feed first page only", dur: d, groups: only(opFeed)},
		{name: "post", about: "post detail only (random known post)", dur: d, groups: only(opPost)},
		{name: "profile", about: "profile by username only (random active user)", dur: d, groups: only(opProfile)},
		{name: "like", about: "like toggle only, then every touched post's count is checked", dur: d, groups: only(opLike),
			before: likes.before, after: likes.after},
		{name: "storm", about: "login storm on half the connections, feed on the other half", dur: d, groups: half(opLogin, opFeed)},
		{name: "deep", about: "first feed page and a page 360 days back, side by side", dur: d, groups: half(opFeed, opFeedDeep)},
		{name: "home", about: "home feed (followees' posts and one's own): first page and a page 360 days back, side by side",
			dur: d, groups: half(opHome, opHomeDeep)},
	}
}

// selected keeps the phases named in names (all when names is empty).
func selected(all []phaseSpec, names map[string]bool) []phaseSpec {
	if len(names) == 0 {
		return all
	}
	var out []phaseSpec
	for _, p := range all {
		if names[p.name] {
			out = append(out, p)
		}
	}
	return out
}

// settle gives the server a moment between phases (background commits,
// GC), so one phase's tail does not land in the next.
func settle(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(500 * time.Millisecond):
	}
}
