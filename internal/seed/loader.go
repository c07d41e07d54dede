package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/instamern/gram/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// loader writes sources into the store's database.
type loader struct {
	s       *sqlstore.Store
	db      *sql.DB
	dialect string
	warn    func(string)
	sync    int // SQLite's synchronous before the load, restored after it
}

func newLoader(ctx context.Context, s *sqlstore.Store, warn func(string)) (*loader, error) {
	l := &loader{s: s, db: s.DB(), dialect: s.Dialect(), warn: warn}
	if l.dialect == "sqlite" {
		if err := l.db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&l.sync); err != nil {
			return nil, err
		}
		// A seed is rebuilt, not recovered: trade durability for speed.
		// The rows are consistent by construction, so skip the foreign-key
		// lookups. (The writer pool has one connection, which keeps these.)
		for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA foreign_keys = OFF`, `PRAGMA cache_size = -262144`} {
			if _, err := l.db.ExecContext(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	return l, nil
}

// restore undoes newLoader's SQLite settings, back to sqlstore's (the
// synchronous it found, the DSN's foreign_keys, SQLite's default cache).
func (l *loader) restore(ctx context.Context) error {
	if l.dialect != "sqlite" {
		return nil
	}
	for _, p := range []string{fmt.Sprintf(`PRAGMA synchronous = %d`, l.sync), `PRAGMA foreign_keys = ON`, `PRAGMA cache_size = -2000`} {
		if _, err := l.db.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) load(ctx context.Context, src *Source) (int64, error) {
	if l.dialect == "postgres" {
		return l.copy(ctx, src)
	}
	return l.insert(ctx, src)
}

// copy streams the source through COPY FROM STDIN.
func (l *loader) copy(ctx context.Context, src *Source) (int64, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var n int64
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		// As a superuser, skip the per-row foreign-key triggers: the rows
		// are consistent by construction. Others just load more slowly.
		if _, err := pc.Exec(ctx, `SET session_replication_role = replica`); err != nil {
			l.warn("foreign-key checks stay on: " + err.Error())
		}
		defer pc.Exec(context.WithoutCancel(ctx), `RESET session_replication_role`)
		var err error
		n, err = pc.CopyFrom(ctx, pgx.Identifier{src.Table}, src.Cols, src)
		return err
	})
	return n, err
}

// insert writes multi-row INSERTs, committing every txRows rows.
func (l *loader) insert(ctx context.Context, src *Source) (int64, error) {
	const txRows = 200_000
	perStmt := 32_000 / len(src.Cols) // SQLite's variable limit is 32766
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(src.Cols)), ", ") + ")"
	head := "INSERT INTO " + src.Table + " (" + strings.Join(src.Cols, ", ") + ") VALUES "
	var (
		total int64
		args  = make([]any, 0, perStmt*len(src.Cols))
		tx    *sql.Tx
		err   error
	)
	flush := func() error {
		k := len(args) / len(src.Cols)
		if k == 0 {
			return nil
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+", ", k), ", ")
		_, err := tx.ExecContext(ctx, q, args...)
		total += int64(k)
		args = args[:0]
		return err
	}
	for more := true; more; {
		if tx, err = l.db.BeginTx(ctx, nil); err != nil {
			return total, err
		}
		for i := 0; i < txRows; i++ {
			if more = src.Next(); !more {
				break
			}
			row, _ := src.Values()
			args = append(args, row...)
			if len(args) == cap(args) {
				if err := flush(); err != nil {
					_ = tx.Rollback()
					return total, err
				}
			}
		}
		if err := flush(); err != nil {
			_ = tx.Rollback()
			return total, err
		}
		if err := tx.Commit(); err != nil {
			return total, fmt.Errorf("commit: %w", err)
		}
	}
	return total, nil
}

// analyze refreshes the planner's statistics the way the store wants them.
func (l *loader) analyze(ctx context.Context) error {
	return l.s.Analyze(ctx)
}
