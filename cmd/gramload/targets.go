package main

import "fmt"

// targets evaluates the performance targets (throughput against the
// ceiling, p99, exact like counts, deep-page cost, ...) on whatever phases
// ran.
func targets(r *Report) []Target {
	var out []Target
	add := func(name, want, got string, met bool) { out = append(out, Target{name, want, got, met}) }
	pg := r.Backend == "postgres"
	ratio, p99 := 0.20, 25.0
	if pg {
		ratio, p99 = 0.10, 50.0
	}
	feed := r.get("feed", "feed")
	if feed != nil && r.CeilingRPS > 0 {
		add("feed throughput", fmt.Sprintf(">= %.0f%% of ceiling", ratio*100),
			fmt.Sprintf("%.1f%% (%.0f of %.0f req/s)", 100*feed.CeilingRatio, feed.RPS, r.CeilingRPS), feed.CeilingRatio >= ratio && feed.Errors == 0)
	}
	if feed != nil {
		add("feed p99", fmt.Sprintf("< %.0f ms", p99), fmt.Sprintf("%.1f ms", feed.P99), feed.P99 < p99)
		for _, name := range []string{"post", "profile"} {
			if e := r.get(name, name); e != nil {
				add(name+" throughput", ">= feed", fmt.Sprintf("%.0f vs %.0f req/s", e.RPS, feed.RPS), e.RPS >= feed.RPS && e.Errors == 0)
			}
		}
	}
	if e := r.get("like", "like"); e != nil {
		add("like toggles", ">= 5000/s (SQLite)", fmt.Sprintf("%.0f/s", e.RPS), e.RPS >= 5000 && e.Errors == 0)
	}
	if r.Like != nil {
		db := fmt.Sprintf("%d in the database", r.Like.DBMismatches)
		if r.Like.DBMismatches < 0 {
			db = "database not checked (-url)"
		}
		add("like counts exact", "0 wrong", fmt.Sprintf("%d wrong over the API, %s; %d posts", r.Like.Mismatches, db, r.Like.Posts),
			r.Like.Exact)
	}
	first, deep := r.get("deep", "feed"), r.get("deep", "feed-deep")
	if first != nil && deep != nil {
		add("deep page cost", "same as first page (req/s within 20%)", fmt.Sprintf("%.0f vs %.0f req/s, p50 %.2f vs %.2f ms",
			deep.RPS, first.RPS, deep.P50, first.P50), deep.RPS >= 0.8*first.RPS && deep.Errors == 0)
	}
	if home, deep := r.get("home", "home"), r.get("home", "home-deep"); home != nil && deep != nil {
		add("home p99", "< 50 ms", fmt.Sprintf("%.1f ms (page 360 days back %.1f ms)", home.P99, deep.P99),
			home.P99 < 50 && deep.P99 < 50 && home.Errors == 0 && deep.Errors == 0)
		add("home deep page cost", "same as first page (req/s within 20%)", fmt.Sprintf("%.0f vs %.0f req/s, p50 %.2f vs %.2f ms",
			deep.RPS, home.RPS, deep.P50, home.P50), deep.RPS >= 0.8*home.RPS && deep.Errors == 0)
	}
	if f, l := r.get("storm", "feed"), r.get("storm", "login"); f != nil && l != nil {
		add("feed p99 in login storm", "< 100 ms", fmt.Sprintf("%.1f ms (logins %.0f/s)", f.P99, l.RPS), f.P99 < 100 && f.Errors == 0)
	}
	return out
}
