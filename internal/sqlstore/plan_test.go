package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// planCase is one list or lookup query of the store, with arguments of
// the right types, and the index its plan must use.
type planCase struct {
	name  string
	query string
	args  []any
	index string
}

func planCases() []planCase {
	const id, at = "67c2e8b0f22b19f988c6f026", int64(1740830400000)
	return []planCase{
		{"Feed", feedQuery(false), []any{20}, "posts_created"},
		{"Feed/Cursor", feedQuery(true), []any{at, id, 20}, "posts_created"},
		{"PostByID", qPostByID, []any{id}, "posts"},
		{"PostsByUser", postsByUserQuery(false), []any{id, 20}, "posts_author"},
		{"PostsByUser/Cursor", postsByUserQuery(true), []any{id, at, id, 20}, "posts_author"},
		{"CommentsByPost", commentsQuery(false), []any{id, 20}, "comments_post"},
		{"CommentsByPost/Cursor", commentsQuery(true), []any{id, at, id, 20}, "comments_post"},
		{"LikerIDs", qLikerIDs, []any{id, 20}, "likes_post_created"},
		{"FollowerIDs", qFollowerIDs, []any{id, 20}, "follows_followee"},
		{"FollowingIDs", qFollowingIDs, []any{id, 20}, "follows_follower"},
		{"NotificationsFor", qNotificationsFor, []any{id, 20}, "notifications_recipient"},
		{"UserByUsername", qUserByUsername, []any{"alice"}, "users"},
		{"SearchUsers/Prefix", qSearchPrefix, []any{"ali", "ali\uffff", 20}, "users"},
		{"ActiveStories", qActiveStories, []any{at, 20}, "stories_expires"},
	}
}

// TestQueryPlans checks that every list and lookup the API serves is an
// index lookup on each backend: no full scan of a table and no sort.
// On PostgreSQL sequential scans and sorts are disabled for the session,
// so that on a tiny test table the plan shows whether an index path
// exists at all rather than what is cheapest for ten rows.
func TestQueryPlans(t *testing.T) {
	for _, b := range []struct {
		name string
		open func(*testing.T) *Store
	}{{"sqlite", OpenTestSQLite}, {"postgres", OpenTestPostgres}} {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			t.Cleanup(func() { _ = s.Close() })
			conn, err := s.w.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if s.d.name == "postgres" {
				for _, set := range []string{`SET enable_seqscan = off`, `SET enable_sort = off`, `SET enable_bitmapscan = off`} {
					if _, err := conn.ExecContext(t.Context(), set); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, c := range planCases() {
				plan, err := explain(t.Context(), conn, s.d, c.query, c.args)
				if err != nil {
					t.Errorf("%s: explain: %v", c.name, err)
					continue
				}
				t.Logf("%s:\n%s", c.name, plan)
				if bad := badPlan(s.d.name, plan, c.index); bad != "" {
					t.Errorf("%s: %s in plan:\n%s", c.name, bad, plan)
				}
			}
		})
	}
}

// explain returns the query's plan, one node per line.
func explain(ctx context.Context, conn *sql.Conn, d dialect, q string, args []any) (string, error) {
	prefix, col := "EXPLAIN ", 0
	if d.name == "sqlite" {
		prefix, col = "EXPLAIN QUERY PLAN ", 3 // id, parent, notused, detail
	}
	rows, err := conn.QueryContext(ctx, prefix+d.rebind(q), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		line, _ := vals[col].(string)
		if b, ok := vals[col].([]byte); ok {
			line = string(b)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// badPlan names what is wrong with a plan, or returns "".
func badPlan(dialect, plan, index string) string {
	if !strings.Contains(plan, index) {
		return "index " + index + " not used"
	}
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case dialect == "sqlite" && strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, " INDEX "):
			return "full table scan (" + line + ")"
		case dialect == "sqlite" && strings.Contains(line, "TEMP B-TREE"):
			return "sort (" + line + ")"
		case dialect == "postgres" && strings.Contains(line, "Seq Scan"):
			return "sequential scan (" + line + ")"
		case dialect == "postgres" && strings.Contains(line, "Sort"):
			return "sort (" + line + ")"
		}
	}
	return ""
}
