package sqlstore_test

import (
	"cmp"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/dbtest"
	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
)

// planSmall is the dataset TestQueryPlansSeeded seeds into each backend
// when it is given no database: big enough that the backend chooses the
// plans it chooses at full size, small enough to seed in seconds.
// seedExtras adds comments, stories and the rest in proportion.
// PostgreSQL needs tables of a few pages before its costs favour an index
// over a sequential scan (at 1,000 users it scans the 200-row token
// tables); SQLite's plans come from its rules and sqlite_stat1, the same
// at 1,000 users, and its inserts are what costs most under the race
// detector.
var planSmall = map[string]seed.Config{
	"sqlite":   {Users: 1_000, Posts: 5_000, Likes: 20_000, Follows: 5_000, Seed: 1},
	"postgres": {Users: 2_000, Posts: 20_000, Likes: 100_000, Follows: 20_000, Seed: 1},
}

// TestQueryPlansSeeded checks the plan of every statement the API runs on
// a seeded database, and times it (sqlstore.CheckSeededPlans).
//
// Given GRAM_PLANS_SQLITE (a seeded SQLite file) or GRAM_PLANS_POSTGRES (a
// seeded database URL), it checks that database, the median of
// GRAM_PLANS_RUNS runs (default 21): scripts/plans.sh runs it on 100,000
// users and 1,000,000 posts, and docs/query-plans.md records its output.
// Without, it seeds planSmall into a fresh store of each backend, so that
// every test run checks the plans with real statistics (-short skips
// this); PostgreSQL then skips without GRAM_TEST_POSTGRES, or fails under
// GRAM_TEST_REQUIRE=1.
func TestQueryPlansSeeded(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			env := "GRAM_PLANS_" + strings.ToUpper(b.Name)
			url := os.Getenv(env)
			if url == "" {
				if testing.Short() {
					t.Skip("seeds a database")
				}
				s := b.Open(t)
				if _, err := seed.Load(t.Context(), s, planSmall[b.Name], seed.Options{}); err != nil {
					t.Fatal(err)
				}
				sqlstore.CheckSeededPlans(t, s, 3)
				return
			}
			if b.Name == "sqlite" {
				if _, err := os.Stat(url); err != nil {
					t.Fatalf("%s: %v (seed it with cmd/gramseed first)", env, err)
				}
			}
			s, err := sqlstore.Open(t.Context(), url, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			sqlstore.CheckSeededPlans(t, s, runs(t))
		})
	}
}

func runs(t *testing.T) int {
	n, err := strconv.Atoi(cmp.Or(os.Getenv("GRAM_PLANS_RUNS"), "21"))
	if err != nil || n < 1 {
		t.Fatalf("GRAM_PLANS_RUNS=%q: want a positive number", os.Getenv("GRAM_PLANS_RUNS"))
	}
	return n
}
