package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// CheckSeededPlans EXPLAINs every statement of planCases on a seeded
// database (seed.Load, then seedExtras) and times it: the median of runs
// runs; a write runs in a transaction that is rolled back, and its time
// includes BEGIN and ROLLBACK. It fails if a plan scans a table, builds
// something over a whole table, sorts where it should not, or misses its
// index. TestQueryPlansSeeded runs it.
func CheckSeededPlans(t *testing.T, s *Store, runs int) {
	seedExtras(t, s)
	explainSeeded(t, s, seededValues(t, s), runs)
}

// explainSeeded checks and times each case, then logs a summary table.
func explainSeeded(t *testing.T, s *Store, v planValues, runs int) {
	ctx := t.Context()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var table strings.Builder
	fmt.Fprintf(&table, "\n| statement | plan | median ms (%d runs) |\n|---|---|---|\n", runs)
	for _, c := range planCases(v) {
		if c.skip(s.d.name) {
			continue
		}
		plan, err := explainCase(ctx, conn, s.d, c)
		if err != nil {
			t.Errorf("%s: explain: %v", c.name, err)
			continue
		}
		took, err := timeCase(ctx, conn, s.d, c, runs)
		if err != nil {
			t.Errorf("%s: run: %v", c.name, err)
			continue
		}
		t.Logf("%s (median %.3f ms):\n%s", c.name, ms3(took), plan)
		if bad := badPlan(s.d.name, plan, c.index, c.sort); bad != "" {
			t.Errorf("%s: %s in plan:\n%s", c.name, bad, plan)
		}
		fmt.Fprintf(&table, "| %s | %s | %.3f |\n", c.name, planKind(s.d.name, plan), ms3(took))
	}
	t.Log(table.String())
}

func ms3(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// explainCase runs EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, rolling a
// write back, and EXPLAIN QUERY PLAN on SQLite.
func explainCase(ctx context.Context, conn *sql.Conn, d dialect, c planCase) (string, error) {
	if d.name == "sqlite" {
		return explain(ctx, conn, d, c.query, c.args, false)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer func() { _ = tx.Rollback() }()
	return explain(ctx, tx, d, c.query, c.args, true)
}

// timeCase returns the median time of runs executions of c.
func timeCase(ctx context.Context, conn *sql.Conn, d dialect, c planCase, runs int) (time.Duration, error) {
	took := make([]time.Duration, 0, runs)
	q := d.rebind(c.query)
	for range runs {
		start := time.Now()
		if err := runCase(ctx, conn, q, c); err != nil {
			return 0, err
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	return took[len(took)/2], nil
}

func runCase(ctx context.Context, conn *sql.Conn, q string, c planCase) error {
	var on rawQuerier = conn
	if c.write {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		on = tx
	}
	rows, err := on.QueryContext(ctx, q, c.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

var pgScan = regexp.MustCompile(`(Index Only Scan Backward|Index Only Scan|Index Scan Backward|Index Scan|Bitmap Index Scan|Seq Scan|Insert|Update|Delete)( using| on)? (\S+)`)

// planKind summarises a plan on one line: SQLite's steps, PostgreSQL's
// scans and modifications with their index or table.
func planKind(dialect, plan string) string {
	var parts []string
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		if dialect == "sqlite" {
			if strings.HasPrefix(line, "SEARCH") || strings.HasPrefix(line, "SCAN") {
				parts = append(parts, line)
			}
			continue
		}
		if m := pgScan.FindStringSubmatch(line); m != nil {
			parts = append(parts, m[1]+" "+m[3])
		}
	}
	if len(parts) > 4 { // the branches of likerIDsQuery
		n := len(parts)
		parts = append(parts[:2:2], fmt.Sprintf("… (%d in all)", n))
	}
	if len(parts) == 0 {
		return "insert (primary and unique key checks)"
	}
	return strings.Join(parts, "; ")
}

// seededValues picks the rows that make each case a worst or typical
// case: the most prolific author, the most liked post, a cursor half way
// down the feed.
func seededValues(t *testing.T, s *Store) planValues {
	ctx := t.Context()
	one := func(dest []any, q string, args ...any) {
		t.Helper()
		if err := s.w.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(dest...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var v planValues
	var posts, authored, comments int64
	one([]any{&v.users}, `SELECT COUNT(*) FROM users`)
	one([]any{&v.userID}, `SELECT author_id FROM posts GROUP BY author_id ORDER BY COUNT(*) DESC, author_id LIMIT 1`)
	one([]any{&v.username, &v.email}, `SELECT username, email FROM users WHERE id = ?`, v.userID)
	one([]any{&v.postID}, `SELECT id FROM posts ORDER BY like_count DESC, id LIMIT 1`)
	one([]any{&v.likerID}, `SELECT user_id FROM likes WHERE post_id = ? AND user_id <> ? LIMIT 1`, v.postID, v.userID)
	one([]any{&posts}, `SELECT COUNT(*) FROM posts`)
	one([]any{&v.cursorAt, &v.cursorID}, `SELECT created_at, id FROM posts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`, posts/2)
	// 500 posts into the author's list and 1,000 comments into the post's,
	// or half way on a small dataset.
	one([]any{&authored}, `SELECT COUNT(*) FROM posts WHERE author_id = ?`, v.userID)
	one([]any{&v.userCursorAt, &v.userCursorID}, `SELECT created_at, id FROM posts WHERE author_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`, v.userID, min(500, authored/2))
	one([]any{&v.commentID}, `SELECT id FROM comments WHERE post_id = ? ORDER BY created_at, id LIMIT 1`, v.postID)
	one([]any{&comments}, `SELECT COUNT(*) FROM comments WHERE post_id = ?`, v.postID)
	one([]any{&v.commentCursorAt, &v.commentCursorID}, `SELECT created_at, id FROM comments WHERE post_id = ?
		ORDER BY created_at, id LIMIT 1 OFFSET ?`, v.postID, min(1000, comments/2))
	one([]any{&v.mailID}, `SELECT id FROM mail_outbox WHERE sent_at = 0 LIMIT 1`)
	one([]any{&v.sessionID}, `SELECT id FROM sessions WHERE user_id = ? LIMIT 1`, v.userID)
	now := time.Now()
	v.now, v.newID = now.UnixMilli(), gram.NewID(now)
	one([]any{&v.storyID}, `SELECT id FROM stories WHERE expires_at > ? LIMIT 1`, v.now)
	feed, err := s.Feed(ctx, "", gram.Page{Limit: 15})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range feed {
		v.feedIDs = append(v.feedIDs, p.ID)
	}
	// A rare substring: the end of the last name (one match, last in name
	// order), so that SQLite's scan reads every active username.
	var last string
	one([]any{&last}, `SELECT MAX(username) FROM users`)
	v.infix = last[max(0, len(last)-5):]
	t.Logf("values: %+v", v)
	return v
}
