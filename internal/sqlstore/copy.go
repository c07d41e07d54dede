package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Table is one table of the schema as a copy sees it: its name and its
// primary key, the order in which its rows are copied.
type Table struct {
	Name string
	Key  []string
}

// Tables lists every table of the schema (schema_migrations aside, which
// migrating the target fills), parents before the tables whose foreign
// keys point at them, so that a copy in this order never writes a row
// before the row it references. TestTablesCoverSchema checks the list
// against the migrated schema of both dialects: a new table must be added
// here.
func Tables() []Table {
	return []Table{
		{"users", []string{"id"}},
		{"sessions", []string{"id"}},
		{"follows", []string{"follower_id", "followee_id"}},
		{"posts", []string{"id"}},
		{"likes", []string{"post_id", "user_id"}},
		{"saves", []string{"user_id", "post_id"}},
		{"comments", []string{"id"}},
		{"stories", []string{"id"}},
		{"notifications", []string{"id"}},
		{"password_resets", []string{"user_id"}},
		{"email_changes", []string{"user_id"}},
		{"mail_outbox", []string{"id"}},
		{"mail_suppressions", []string{"email"}},
		{"audit_log", []string{"id"}},
		{"blob_deletions", []string{"blob_key"}},
		{"job_leases", []string{"name"}},
		{"blocks", []string{"blocker_id", "blocked_id"}},
		{"mutes", []string{"muter_id", "muted_id"}},
		{"follow_requests", []string{"requester_id", "target_id"}},
		{"reports", []string{"id"}},
		{"exports", []string{"id"}},
		{"legacy_import", []string{"name"}},
		{"legacy_tokens", []string{"token_hash"}},
	}
}

// CopySink is where Copy writes: a database migrated to the source's
// schema. *Store is one (SQLite or PostgreSQL); a backend that is not SQL
// implements it to take a whole instance from SQL. Keys compare bytewise
// (the order of Go's strings), whatever the sink's collation.
type CopySink interface {
	// CopyCount returns how many rows of t the sink holds.
	CopyCount(ctx context.Context, t Table) (int64, error)
	// CopyLast returns the key (the values of t.Key) of the sink's
	// greatest row of t, or nil when it holds none.
	CopyLast(ctx context.Context, t Table) ([]any, error)
	// CopyWrite stores rows of t, all or none, skipping any whose key the
	// sink already holds. Each row has the values of cols, in that order:
	// strings, int64s and bools.
	CopyWrite(ctx context.Context, t Table, cols []string, rows [][]any) error
	// CopyFinish runs once every table is written: it rebuilds whatever
	// the sink derives from the rows (counters, planner statistics) and
	// returns a line for the log, or "".
	CopyFinish(ctx context.Context) (string, error)
}

// CopyOptions tune Copy.
type CopyOptions struct {
	// Batch is the number of rows read and written at a time, each batch
	// in one transaction of the sink (0: 1000).
	Batch int
	// Resume continues a copy into a sink that already holds rows,
	// after the greatest key of each table it holds. Without it Copy
	// refuses a sink that holds any row.
	Resume bool
	// Progress, when set, is called after each batch and once at the end
	// of each table with the rows the sink holds (copied) and the rows
	// the source has (total).
	Progress func(table string, copied, total int64)
}

// TableCount is one table's row count on both sides after a copy.
type TableCount struct {
	Table          string
	Source, Target int64
}

// CopyReport is the outcome of a copy.
type CopyReport struct {
	Counts []TableCount // every table, in the order of Tables
	Finish string       // what the sink's CopyFinish reported, or ""
}

// ErrTargetNotEmpty is returned when the sink holds rows and
// CopyOptions.Resume is not set.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// ErrCountMismatch is returned when, after a copy, a table's row count on
// the sink differs from the source's.
var ErrCountMismatch = errors.New("row counts differ after the copy")

// Copy copies every table of Tables from src into dst in key order, in
// batches, and then compares the row counts of each table on both sides:
// the counts are returned with ErrCountMismatch when any differ. It reads
// src in one read transaction, a consistent snapshot even while a server
// writes to it. Interrupted, it is resumed by running it again with
// Resume: each table continues after the greatest key dst holds, and a
// row dst already has is skipped, never duplicated. Rows that the source
// gained below that key since the interrupted run are not copied; the
// final count reports them.
func Copy(ctx context.Context, src *Store, dst CopySink, opt CopyOptions) (CopyReport, error) {
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	var rep CopyReport
	snap, err := src.snapshot(ctx)
	if err != nil {
		return rep, err
	}
	defer func() { _ = snap.Rollback() }()
	if !opt.Resume {
		if err := requireEmpty(ctx, dst); err != nil {
			return rep, err
		}
	}
	for _, t := range Tables() {
		n, err := copyTable(ctx, src.d, snap, dst, t, opt)
		if err != nil {
			return rep, fmt.Errorf("sqlstore: copy %s: %w", t.Name, err)
		}
		rep.Counts = append(rep.Counts, TableCount{Table: t.Name, Source: n})
	}
	if rep.Finish, err = dst.CopyFinish(ctx); err != nil {
		return rep, fmt.Errorf("sqlstore: copy: finish: %w", err)
	}
	return rep, verifyCounts(ctx, dst, rep.Counts)
}

// snapshot begins the read transaction a copy reads its source in.
func (s *Store) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if s.d.name == sqliteDialect.name {
		opts = nil // a read transaction in WAL mode is a snapshot already
	}
	t, err := s.r.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: copy: begin: %w", err)
	}
	return t, nil
}

// requireEmpty returns ErrTargetNotEmpty, naming the tables, unless dst
// holds no row.
func requireEmpty(ctx context.Context, dst CopySink) error {
	var full []string
	for _, t := range Tables() {
		last, err := dst.CopyLast(ctx, t)
		if err != nil {
			return fmt.Errorf("sqlstore: copy: read target %s: %w", t.Name, err)
		}
		if last != nil {
			full = append(full, t.Name)
		}
	}
	if len(full) > 0 {
		return fmt.Errorf("%w (rows in %s)", ErrTargetNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// copyTable copies the rows of t after the greatest key dst holds, and
// returns the number of rows of t in the snapshot.
func copyTable(ctx context.Context, d dialect, snap *sql.Tx, dst CopySink, t Table, opt CopyOptions) (int64, error) {
	var total int64
	if err := snap.QueryRowContext(ctx, `SELECT count(*) FROM `+t.Name).Scan(&total); err != nil {
		return 0, err
	}
	after, err := dst.CopyLast(ctx, t)
	if err != nil {
		return total, err
	}
	copied, err := dst.CopyCount(ctx, t)
	if err != nil {
		return total, err
	}
	for {
		cols, rows, err := readBatch(ctx, d, snap, t, after, opt.Batch)
		if err != nil || len(rows) == 0 {
			if err == nil && opt.Progress != nil {
				opt.Progress(t.Name, copied, total)
			}
			return total, err
		}
		if err := dst.CopyWrite(ctx, t, cols, rows); err != nil {
			return total, err
		}
		copied += int64(len(rows))
		after = keyOf(t, cols, rows[len(rows)-1])
		if opt.Progress != nil {
			opt.Progress(t.Name, copied, total)
		}
	}
}

// readBatch reads up to n rows of t after the key after (nil: from the
// start), in bytewise key order, with the names of their columns.
func readBatch(ctx context.Context, d dialect, snap *sql.Tx, t Table, after []any, n int) ([]string, [][]any, error) {
	q := `SELECT * FROM ` + t.Name
	if after != nil {
		q += ` WHERE (` + d.bytewiseList(t.Key) + `) > (` + placeholders(len(after)) + `)`
	}
	q += ` ORDER BY ` + d.bytewiseList(t.Key) + fmt.Sprintf(` LIMIT %d`, n)
	rows, err := snap.QueryContext(ctx, d.rebind(q), after...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	cols := make([]string, len(types))
	bools := make([]bool, len(types))
	for i, ct := range types {
		cols[i] = ct.Name()
		name := strings.ToUpper(ct.DatabaseTypeName())
		bools[i] = name == "BOOLEAN" || name == "BOOL" // SQLite returns integers
	}
	var out [][]any
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		normalize(row, bools)
		out = append(out, row)
	}
	return cols, out, rows.Err()
}

// normalize gives every value of row its Go type: string, int64 or bool.
func normalize(row []any, bools []bool) {
	for i, v := range row {
		switch x := v.(type) {
		case []byte:
			row[i] = string(x)
		case int64:
			if bools[i] {
				row[i] = x != 0
			}
		}
	}
}

// keyOf returns the values of t's key in a row with the columns cols.
func keyOf(t Table, cols []string, row []any) []any {
	key := make([]any, len(t.Key))
	for i, k := range t.Key {
		for j, c := range cols {
			if c == k {
				key[i] = row[j]
			}
		}
	}
	return key
}

// verifyCounts fills in the target's row count of each table and returns
// ErrCountMismatch, naming the tables, when any differs from the source's.
func verifyCounts(ctx context.Context, dst CopySink, counts []TableCount) error {
	var bad []string
	for i, c := range counts {
		n, err := dst.CopyCount(ctx, Table{Name: c.Table})
		if err != nil {
			return fmt.Errorf("sqlstore: copy: count target %s: %w", c.Table, err)
		}
		counts[i].Target = n
		if n != c.Source {
			bad = append(bad, fmt.Sprintf("%s: %d in the source, %d in the target", c.Table, c.Source, n))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrCountMismatch, strings.Join(bad, "; "))
	}
	return nil
}
