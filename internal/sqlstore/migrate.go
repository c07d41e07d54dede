package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
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
//
// Replicas that start together on one database may migrate at once: each
// migration's transaction first takes the migration lock (a PostgreSQL
// advisory lock, SQLite's write lock, which BEGIN IMMEDIATE takes) and
// then checks again that the migration is still pending, so every one is
// applied exactly once and the others wait for it and skip it.
func (s *Store) migrate(ctx context.Context) error {
	err := s.migrationTx(ctx, func(t tx) error {
		_, err := t.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`)
		return err
	})
	if err != nil {
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
		known[path.Base(f)] = true
	}
	for name := range applied {
		if !known[name] {
			return fmt.Errorf("sqlstore: database has migration %q that this binary does not know; upgrade the binary", name)
		}
	}
	for _, f := range files {
		if name := path.Base(f); !applied[name] {
			if err := s.applyMigration(ctx, f, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrationTx runs fn in an untimed transaction that holds the migration
// lock: waiting for another replica's migration may rightly take long.
func (s *Store) migrationTx(ctx context.Context, fn func(tx) error) error {
	return s.untimedTx(ctx, func(t tx) error {
		if s.d.migrationLock != "" {
			if _, err := t.ExecContext(ctx, s.d.migrationLock); err != nil {
				return fmt.Errorf("sqlstore: migration lock: %w", err)
			}
		}
		return fn(t)
	})
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
	return s.migrationTx(ctx, func(t tx) error {
		var one int
		switch err := t.queryRow(ctx, `SELECT 1 FROM schema_migrations WHERE name = ?`, name).Scan(&one); {
		case err == nil:
			return nil // another replica applied it while this one waited for the lock
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := t.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", name, err)
		}
		_, err := t.exec(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name)
		return err
	})
}
