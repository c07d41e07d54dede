package sqlstore

import (
	"context"
	"database/sql"
)

// querier runs the store's statements, written once with "?"
// placeholders: Store runs them on its pools, tx inside a transaction on
// the writer. Both rebind placeholders for the dialect and use prepared
// statements where the cache has them, so per-noun code that takes a
// querier works the same in a transaction and out of one.
type querier interface {
	exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

var (
	_ querier = (*Store)(nil)
	_ querier = tx{}
)

// exec runs a statement on the writer.
func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = s.d.rebind(q)
	if st := s.wc.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.w.ExecContext(ctx, q, args...)
}

// query runs a query on the readers.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = s.d.rebind(q)
	if st := s.rc.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, q, args...)
}

// queryRow runs a one-row query on the readers.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = s.d.rebind(q)
	if st := s.rc.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, q, args...)
}

// tx is a transaction that rebinds placeholders for its dialect and uses
// the writer's prepared statements where there are any.
type tx struct {
	*sql.Tx
	d  dialect
	wc *stmtCache
	// missed collects statements the cache did not have, to prepare
	// once the transaction has given the writer connection back.
	missed *[]string
}

// stmt returns q's cached statement bound to the transaction, or nil. The
// transaction's statement reuses the preparation on the writer's connection
// and is closed with the transaction.
func (t tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.wc == nil {
		return nil
	}
	if st := t.wc.peek(q); st != nil {
		return t.StmtContext(ctx, st)
	}
	*t.missed = append(*t.missed, q)
	return nil
}

func (t tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, q, args...)
}

func (t tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.QueryContext(ctx, q, args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.QueryRowContext(ctx, q, args...)
}
