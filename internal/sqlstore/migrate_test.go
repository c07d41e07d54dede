package sqlstore

import (
	"path"
	"testing"

	"github.com/google/go-cmp/cmp"
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
