package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migrationNames lists a dialect's migration files in order.
func migrationNames(dialect string) ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/"+dialect+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations not yet recorded in schema_migrations. It refuses to run
// against a database that has migrations this binary does not know.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlstore: create schema_migrations: %w", err)
	}
	applied, err := s.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	files, err := migrationNames(s.d.name)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, f := range files {
		name := f[strings.LastIndexByte(f, '/')+1:]
		known[name] = true
		if applied[name] {
			continue
		}
		if err := s.applyMigration(ctx, f, name); err != nil {
			return err
		}
	}
	for name := range applied {
		if !known[name] {
			return fmt.Errorf("sqlstore: database has migration %q that this binary does not know; upgrade the binary", name)
		}
	}
	return nil
}

func (s *Store) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	names, err := collect(rows, err, scanID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read schema_migrations: %w", err)
	}
	applied := make(map[string]bool, len(names))
	for _, n := range names {
		applied[n] = true
	}
	return applied, nil
}

func (s *Store) applyMigration(ctx context.Context, file, name string) error {
	body, err := migrationFS.ReadFile(file)
	if err != nil {
		return err
	}
	return s.untimedTx(ctx, func(t tx) error {
		if _, err := t.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", name, err)
		}
		_, err := t.exec(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name)
		return err
	})
}
