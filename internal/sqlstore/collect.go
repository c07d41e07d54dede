package sqlstore

import (
	"context"
	"database/sql"
)

// scanner is a row to scan: a *sql.Row or the current row of a *sql.Rows,
// so one scan function reads a row either way.
type scanner interface{ Scan(...any) error }

// collect scans every row of rows with scan, then closes rows and reports
// rows.Err. err is the error of the query that returned rows, returned as
// is when not nil, so that a query's two results go straight in. rows is
// closed before collect returns, which frees a transaction's connection
// for its next statement; prepared statements stay in their cache (a
// closed *sql.Rows does not close its *sql.Stmt).
//
// The store's one rule for lists, which every list method follows: a
// result without rows is an empty slice, never nil, and an error comes
// with a nil slice. The API's encoders build their own slices, but an
// empty list read straight into JSON is then [] rather than null.
func collect[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// queryAll runs query on q and collects its rows with scan.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.query(ctx, query, args...)
	return collect(rows, err, scan)
}

// scanID reads a row of one text column, an id.
func scanID(r scanner) (string, error) {
	var id string
	err := r.Scan(&id)
	return id, err
}
