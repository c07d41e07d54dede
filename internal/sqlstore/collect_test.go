package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// TestCollect specifies collect: rows always closed, errors with a nil
// slice, an empty result as an empty slice.
func TestCollect(t *testing.T) {
	s := OpenTestSQLite(t)
	defer s.Close()
	ctx := t.Context()
	t.Run("Empty", func(t *testing.T) {
		rows, err := s.query(ctx, `SELECT id FROM users`)
		got, err := collect(rows, err, scanID)
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("collect of no rows = %#v, %v; want an empty slice", got, err)
		}
		if rows.Next() {
			t.Error("rows not closed")
		}
	})
	t.Run("QueryError", func(t *testing.T) {
		want := errors.New("query failed")
		if got, err := collect(nil, want, scanID); err != want || got != nil {
			t.Fatalf("collect = %#v, %v; want nil, the query's error", got, err)
		}
	})
	t.Run("ScanError", func(t *testing.T) {
		rows, err := s.query(ctx, `SELECT 1 UNION ALL SELECT 2`)
		want := errors.New("scan failed")
		got, err := collect(rows, err, func(scanner) (int, error) { return 0, want })
		if err != want || got != nil {
			t.Fatalf("collect = %#v, %v; want nil, the scan's error", got, err)
		}
		if rows.Next() {
			t.Error("rows not closed after a scan error")
		}
	})
}

// TestEmptyLists pins collect's rule on every list method: nothing found
// is an empty slice, never nil, also where a method answers without
// asking the database.
func TestEmptyLists(t *testing.T) {
	s := OpenTestSQLite(t)
	defer s.Close()
	ctx, now, page := t.Context(), time.Now(), gram.Page{Limit: 10}
	for name, list := range map[string]func(context.Context) (any, error){
		"SearchUsers":         func(ctx context.Context) (any, error) { return s.SearchUsers(ctx, "nobody", 10) },
		"SearchUsers/NUL":     func(ctx context.Context) (any, error) { return s.SearchUsers(ctx, "\x00", 10) },
		"SampleUsers":         func(ctx context.Context) (any, error) { return s.SampleUsers(ctx, "", 10) },
		"UsersByIDs":          func(ctx context.Context) (any, error) { return s.UsersByIDs(ctx, []string{"x"}) },
		"UsersByIDs/none":     func(ctx context.Context) (any, error) { return s.UsersByIDs(ctx, nil) },
		"ListUsers":           func(ctx context.Context) (any, error) { return s.ListUsers(ctx, "", page) },
		"ListUsers/NUL":       func(ctx context.Context) (any, error) { return s.ListUsers(ctx, "\x00", page) },
		"SessionsByUser":      func(ctx context.Context) (any, error) { return s.SessionsByUser(ctx, "x", now, 10) },
		"FollowerIDs":         func(ctx context.Context) (any, error) { return s.FollowerIDs(ctx, "x", 10) },
		"FollowingIDs":        func(ctx context.Context) (any, error) { return s.FollowingIDs(ctx, "x", 10) },
		"Feed":                func(ctx context.Context) (any, error) { return s.Feed(ctx, "", page) },
		"PostsByUser":         func(ctx context.Context) (any, error) { return s.PostsByUser(ctx, "x", page) },
		"CommentsByPost":      func(ctx context.Context) (any, error) { return s.CommentsByPost(ctx, "x", page) },
		"ActiveStories":       func(ctx context.Context) (any, error) { return s.ActiveStories(ctx, "", now, 10) },
		"ExpiredStories":      func(ctx context.Context) (any, error) { return s.ExpiredStories(ctx, now, 10) },
		"NotificationsFor":    func(ctx context.Context) (any, error) { return s.NotificationsFor(ctx, "x", 10) },
		"AuditEntries":        func(ctx context.Context) (any, error) { return s.AuditEntries(ctx, page) },
		"ClaimMail":           func(ctx context.Context) (any, error) { return s.ClaimMail(ctx, now, time.Minute, 10) },
		"LikerIDs (a map)":    func(ctx context.Context) (any, error) { return s.LikerIDs(ctx, []string{"x"}, 10) },
		"LikerIDs/none (map)": func(ctx context.Context) (any, error) { return s.LikerIDs(ctx, nil, 10) },
	} {
		got, err := list(ctx)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if v := reflect.ValueOf(got); v.IsNil() || v.Len() != 0 {
			t.Errorf("%s = %#v, want empty and not nil", name, got)
		}
	}
}
