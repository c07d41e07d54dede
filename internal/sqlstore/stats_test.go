package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestAnalyzeForgetsValueSamples specifies that a SQLite store never keeps
// STAT4 samples (they make SQLite re-prepare cached statements on every
// run), neither after its own Analyze nor after an operator's plain
// ANALYZE followed by a restart, while the per-index estimates stay.
func TestAnalyzeForgetsValueSamples(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "gram.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE sample_src (a INTEGER)`, `CREATE INDEX sample_src_a ON sample_src (a)`} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 200 {
		if _, err := s.w.ExecContext(ctx, `INSERT INTO sample_src (a) VALUES (?)`, i%7); err != nil {
			t.Fatal(err)
		}
	}

	if err := s.Analyze(ctx); err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	assertStats(ctx, t, s, "after Analyze")

	// An operator's ANALYZE writes samples again; the next open drops them.
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	if n := count(ctx, t, s, `SELECT COUNT(*) FROM sqlite_stat4`); n == 0 {
		t.Fatal("plain ANALYZE wrote no samples: this SQLite build has no STAT4 and the test proves nothing")
	}
	_ = s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertStats(ctx, t, s, "after reopening")

	// Without samples to drop, an open leaves the schema as it is.
	version := count(ctx, t, s, `PRAGMA schema_version`)
	_ = s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := count(ctx, t, s, `PRAGMA schema_version`); v != version {
		t.Errorf("schema version %d after an open with no samples, want %d unchanged", v, version)
	}
}

func assertStats(ctx context.Context, t *testing.T, s *Store, when string) {
	t.Helper()
	if n := count(ctx, t, s, `SELECT COUNT(*) FROM sqlite_stat4`); n != 0 {
		t.Errorf("%s: %d STAT4 samples, want none", when, n)
	}
	if n := count(ctx, t, s, `SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = 'sample_src_a'`); n != 1 {
		t.Errorf("%s: %d sqlite_stat1 rows for the index, want 1", when, n)
	}
}

func count(ctx context.Context, t *testing.T, s *Store, q string) int {
	t.Helper()
	var n int
	if err := s.w.QueryRowContext(ctx, q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
