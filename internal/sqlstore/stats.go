package sqlstore

import (
	"context"
	"fmt"
)

// Analyze refreshes the query planner's statistics (after a bulk load, or
// from an operator's maintenance job) in the form the store wants them:
// on SQLite without STAT4 samples, see forgetValueStats.
func (s *Store) Analyze(ctx context.Context) error {
	err := s.untimedTx(ctx, func(t tx) error {
		_, err := t.ExecContext(ctx, `ANALYZE`)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlstore: analyze: %w", err)
	}
	return s.forgetValueStats(ctx)
}

// forgetValueStats deletes SQLite's STAT4 samples, keeping the per-index
// row estimates of sqlite_stat1. With samples, the plan of "col = ?" may
// depend on the bound value, so SQLite re-prepares a cached statement each
// time it runs with a new value: on the 1M-post dataset, re-parsing was 56
// % of a feed page's CPU, and dropping the samples took the feed from
// 3,070 to 11,370 requests/s (docs/benchmarks.md). Every statement of the
// store is an index lookup whatever the value (TestQueryPlans), so the
// per-value estimates buy nothing. It runs at every open too, because an
// operator's plain ANALYZE writes the samples again. PostgreSQL keeps its
// statistics: its plans are cached per connection by pgx regardless.
func (s *Store) forgetValueStats(ctx context.Context) error {
	if s.d.name != sqliteDialect.name {
		return nil
	}
	var n int
	err := s.w.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'`).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	// Most opens find no samples: leave the schema (and every connection's
	// copy of it) alone then.
	if err := s.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_stat4)`).Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sqlite_stat4`); err != nil {
		return fmt.Errorf("sqlstore: forget stat4 samples: %w", err)
	}
	// Each connection read the samples when it loaded the schema. A schema
	// change makes every connection, and every cached statement, load it
	// again, now without them.
	for _, q := range []string{`CREATE TABLE gram_stats_reload (x)`, `DROP TABLE gram_stats_reload`} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: reload statistics: %w", err)
		}
	}
	return nil
}
