package sqlstore

import (
	"path"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/instamern/gram/internal/pgtest"
)

// TestMigrationsMatch: both dialects have the same numbered files, so a
// schema change is never made for one backend only.
func TestMigrationsMatch(t *testing.T) {
	names := map[string][]string{}
	for _, d := range []string{"sqlite", "postgres"} {
		files, err := migrationNames(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			names[d] = append(names[d], path.Base(f))
		}
	}
	if len(names["sqlite"]) == 0 {
		t.Fatal("no sqlite migrations")
	}
	if diff := cmp.Diff(names["sqlite"], names["postgres"]); diff != "" {
		t.Errorf("migration files differ (-sqlite +postgres):\n%s", diff)
	}
}

// TestMigrateTwice: reopening a migrated database applies nothing again.
func TestMigrateTwice(t *testing.T) {
	for _, open := range []func(*testing.T) *Store{OpenTestSQLite, OpenTestPostgres} {
		s := open(t)
		if err := s.migrate(t.Context()); err != nil {
			t.Errorf("%s: second migrate: %v", s.Dialect(), err)
		}
		_ = s.Close()
	}
}

// TestMigrateConcurrently: replicas that start together on one empty
// database (here 8 stores opened at once) all open it without an error,
// and every migration is recorded once: a second application of any of
// them would have failed on the tables the first created.
func TestMigrateConcurrently(t *testing.T) {
	locations := map[string]func(*testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "gram.db") },
		"postgres": func(t *testing.T) string { return pgtest.SchemaURL(t) },
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			url := locations[dialect](t)
			const replicas = 8
			stores := make([]*Store, replicas)
			errs := make([]error, replicas)
			var wg sync.WaitGroup
			for i := range replicas {
				wg.Go(func() { stores[i], errs[i] = Open(t.Context(), url, Options{MaxOpenConns: 2}) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("replica %d: %v", i, err)
					continue
				}
				defer stores[i].Close()
			}
			if t.Failed() {
				return
			}
			applied, err := stores[0].appliedMigrations(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			files, err := migrationNames(dialect)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(files) {
				t.Errorf("%d migrations recorded, want the %d files", len(applied), len(files))
			}
			for _, f := range files {
				if !applied[path.Base(f)] {
					t.Errorf("%s not recorded", path.Base(f))
				}
			}
		})
	}
}
