package sqlstore_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/seed"
	"github.com/instamern/gram/internal/sqlstore"
	"github.com/instamern/gram/internal/storetest"
)

// seededSQLite returns a SQLite store with rows in every table: a small
// seed dataset, plus what the seed does not make (sessions,
// notifications, resets, email changes, mail, suppressions, audit, the
// blob-delete queue, reports, exports) made through the store. Counters are off on one post
// the way a bug would leave them, for the copy to recount.
func seededSQLite(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx := t.Context()
	s := sqlstore.OpenTestSQLite(t)
	t.Cleanup(func() { _ = s.Close() })
	c := seed.Config{Users: 60, Posts: 300, Likes: 900, Comments: 250, Follows: 400, Stories: 30, Seed: 7}
	if _, err := seed.Load(ctx, s, c, seed.Options{}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	ann, bob := storetest.NewUser(t, s, "ann_é"), storetest.NewUser(t, s, "bob")
	storetest.NewSession(t, s, ann, storetest.At(time.Minute))
	storetest.Follow(t, s, bob, ann, storetest.At(2*time.Minute))
	p := storetest.NewPost(t, s, ann, storetest.At(3*time.Minute))
	storetest.Like(t, s, p, bob, storetest.At(4*time.Minute), true)
	storetest.Save(t, s, bob, p, storetest.At(4*time.Minute))
	storetest.NewComment(t, s, p, bob, storetest.At(5*time.Minute))
	storetest.NewStory(t, s, ann, storetest.At(6*time.Minute))
	mail := func(to string) *gram.OutboxMail {
		return &gram.OutboxMail{Message: gram.Message{ID: gram.NewID(storetest.T0), To: to, Subject: "s", HTML: "<p>h</p>", Text: "t"},
			CreatedAt: storetest.T0, NextAttemptAt: storetest.T0}
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("SetPasswordReset", s.SetPasswordReset(ctx, gram.PasswordReset{UserID: ann.ID, TokenHash: "reset-hash",
		ExpiresAt: storetest.At(time.Hour)}, mail(ann.Email)))
	must("SetEmailChange", s.SetEmailChange(ctx, gram.EmailChange{UserID: bob.ID, NewEmail: "bob2@example.com",
		TokenHash: "change-hash", ExpiresAt: storetest.At(time.Hour)}, mail("bob2@example.com")))
	must("SuppressMail", s.SuppressMail(ctx, "gone@example.com", gram.SuppressBounce, storetest.T0))
	gone := storetest.NewPost(t, s, bob, storetest.At(7*time.Minute))
	must("DeletePost", s.DeletePost(ctx, gone.ID, &gram.AuditEntry{ID: gram.NewID(storetest.T0), ActorID: gram.ActorCLI,
		Action: "post.delete", TargetType: "post", TargetID: gone.ID, Reason: "test", CreatedAt: storetest.T0}))
	must("CreateReport", s.CreateReport(ctx, &gram.Report{ID: gram.NewID(storetest.T0), ReporterID: bob.ID, TargetType: gram.ReportPost,
		TargetID: p.ID, Reason: "spam", State: gram.ReportOpen, CreatedAt: storetest.T0,
		Snapshot: gram.Snapshot{AuthorID: ann.ID, AuthorUsername: ann.Username, Text: p.Caption, PhotoKey: p.PhotoKey}}))
	must("CreateExport", s.CreateExport(ctx, &gram.Export{ID: gram.NewID(storetest.T0), UserID: ann.ID,
		State: gram.ExportPending, CreatedAt: storetest.T0}))
	job, err := s.ClaimJob(ctx, "sweep-media", storetest.T0, time.Minute)
	must("ClaimJob", err)
	cat := storetest.NewUser(t, s, "cat")
	_, err = s.Block(ctx, cat.ID, bob.ID, storetest.At(8*time.Minute), 10)
	must("Block", err)
	_, err = s.Mute(ctx, ann.ID, cat.ID, storetest.At(8*time.Minute), 10)
	must("Mute", err)
	_, err = s.RequestFollow(ctx, cat.ID, ann.ID, storetest.At(9*time.Minute))
	must("RequestFollow", err)
	_, err = s.UpdateUser(ctx, ann.ID, func(u *gram.User) error { u.Private = true; return nil })
	must("make private", err)
	must("FinishJob", s.FinishJob(ctx, "sweep-media", job, storetest.At(time.Hour)))
	must("FinishImport", s.FinishImport(ctx, storetest.At(time.Hour)))
	_, err = s.AdoptLegacyToken(ctx, "legacy-token-hash", &gram.Session{ID: gram.NewID(storetest.T0) + "0123456789abcdef",
		UserID: bob.ID, CreatedAt: storetest.T0, LastUsed: storetest.T0, ExpiresAt: storetest.At(time.Hour)})
	must("AdoptLegacyToken", err)
	_, err = s.DB().ExecContext(ctx, `UPDATE posts SET like_count = like_count + 5 WHERE id = ?`, p.ID)
	must("skew a counter", err)
	for _, tb := range sqlstore.Tables() {
		if n := count(t, s, tb.Name); n == 0 {
			t.Fatalf("the seeded source has no %s: the copy test would not cover it", tb.Name)
		}
	}
	return s
}

func count(t *testing.T, s *sqlstore.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// dump reads every row of a table in bytewise key order, as strings,
// int64s and bools whatever the dialect.
func dump(t *testing.T, s *sqlstore.Store, tb sqlstore.Table) []map[string]any {
	t.Helper()
	order := strings.Join(tb.Key, ", ")
	if s.Dialect() == "postgres" {
		order = strings.Join(tb.Key, ` COLLATE "C", `) + ` COLLATE "C"`
	}
	rows, err := s.DB().QueryContext(t.Context(), `SELECT * FROM `+tb.Name+` ORDER BY `+order)
	if err != nil {
		t.Fatalf("dump %s: %v", tb.Name, err)
	}
	defer rows.Close()
	types, _ := rows.ColumnTypes()
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("dump %s: %v", tb.Name, err)
		}
		row := map[string]any{}
		for i, ct := range types {
			v := vals[i]
			if n, ok := v.(int64); ok && strings.HasPrefix(strings.ToUpper(ct.DatabaseTypeName()), "BOOL") {
				v = n != 0
			}
			row[ct.Name()] = v
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("dump %s: %v", tb.Name, err)
	}
	return out
}

// sameContents fails t unless every table holds the same rows on both
// stores, except the posts' counters, which must match the rows they
// count on dst.
func sameContents(t *testing.T, src, dst *sqlstore.Store) {
	t.Helper()
	for _, tb := range sqlstore.Tables() {
		a, b := dump(t, src, tb), dump(t, dst, tb)
		if tb.Name == "posts" {
			for _, rows := range [][]map[string]any{a, b} {
				for _, r := range rows {
					delete(r, "like_count")
					delete(r, "comment_count")
				}
			}
		}
		if len(a) != len(b) {
			t.Errorf("%s: %d rows in the source, %d in the target", tb.Name, len(a), len(b))
			continue
		}
		for i := range a {
			if !reflect.DeepEqual(a[i], b[i]) {
				t.Errorf("%s row %d:\nsource %v\ntarget %v", tb.Name, i, a[i], b[i])
				break
			}
		}
	}
	if bad, err := seed.BadCounters(t.Context(), dst, nil); err != nil || bad != 0 {
		t.Errorf("posts with wrong counters on the target: %d, %v", bad, err)
	}
}

func wantCounts(t *testing.T, rep sqlstore.CopyReport, src *sqlstore.Store) {
	t.Helper()
	if len(rep.Counts) != len(sqlstore.Tables()) {
		t.Fatalf("report has %d tables, want %d", len(rep.Counts), len(sqlstore.Tables()))
	}
	for _, c := range rep.Counts {
		if want := count(t, src, c.Table); c.Source != want || c.Target != want {
			t.Errorf("%s: report %d -> %d, want %d on both sides", c.Table, c.Source, c.Target, want)
		}
	}
}

// TestCopy copies a seeded SQLite store to a fresh PostgreSQL schema and
// to a fresh SQLite file, and compares every table.
func TestCopy(t *testing.T) {
	src := seededSQLite(t)
	for name, open := range map[string]func(*testing.T) *sqlstore.Store{
		"ToPostgreSQL": sqlstore.OpenTestPostgres, "ToSQLite": sqlstore.OpenTestSQLite} {
		t.Run(name, func(t *testing.T) {
			dst := open(t)
			defer dst.Close()
			var calls int
			rep, err := sqlstore.Copy(t.Context(), src, dst, sqlstore.CopyOptions{Batch: 64,
				Progress: func(table string, copied, total int64) {
					calls++
					if copied > total {
						t.Errorf("%s: progress %d of %d", table, copied, total)
					}
				}})
			if err != nil {
				t.Fatalf("Copy: %v", err)
			}
			wantCounts(t, rep, src)
			if calls <= len(sqlstore.Tables()) {
				t.Errorf("progress reported %d times, want more than once a table", calls)
			}
			if !strings.Contains(rep.Finish, "recounted") {
				t.Errorf("Finish = %q, want the recount of the skewed post", rep.Finish)
			}
			sameContents(t, src, dst)

			_, err = sqlstore.Copy(t.Context(), src, dst, sqlstore.CopyOptions{})
			if !errors.Is(err, sqlstore.ErrTargetNotEmpty) {
				t.Errorf("second Copy without Resume = %v, want ErrTargetNotEmpty", err)
			}
		})
	}
}

// TestCopyResume interrupts a copy in the middle of a table (the context
// is cancelled from the progress callback), resumes it, and requires the
// exact rows of the source, none twice.
func TestCopyResume(t *testing.T) {
	src := seededSQLite(t)
	for _, stopIn := range []string{"users", "likes", "blob_deletions"} {
		t.Run("StopIn_"+stopIn, func(t *testing.T) {
			dst := sqlstore.OpenTestPostgres(t)
			defer dst.Close()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			_, err := sqlstore.Copy(ctx, src, dst, sqlstore.CopyOptions{Batch: 7,
				Progress: func(table string, copied, total int64) {
					if table == stopIn && copied >= total/2 {
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted Copy = %v, want context.Canceled", err)
			}
			if got, all := count(t, dst, stopIn), count(t, src, stopIn); got == 0 || got >= all && all > 1 {
				t.Fatalf("after the interruption the target has %d of %d %s: not a copy stopped midway", got, all, stopIn)
			}
			if _, err := sqlstore.Copy(t.Context(), src, dst, sqlstore.CopyOptions{}); !errors.Is(err, sqlstore.ErrTargetNotEmpty) {
				t.Fatalf("Copy without Resume into the half-copied target = %v, want ErrTargetNotEmpty", err)
			}
			rep, err := sqlstore.Copy(t.Context(), src, dst, sqlstore.CopyOptions{Resume: true, Batch: 50})
			if err != nil {
				t.Fatalf("resumed Copy: %v", err)
			}
			wantCounts(t, rep, src)
			sameContents(t, src, dst)
		})
	}
}

// TestCopyCountMismatch: a target that holds a row the source does not
// have fails the verifying count, naming the table.
func TestCopyCountMismatch(t *testing.T) {
	src := seededSQLite(t)
	dst := sqlstore.OpenTestSQLite(t)
	defer dst.Close()
	_, err := dst.DB().ExecContext(t.Context(), `INSERT INTO mail_suppressions (email, reason, created_at) VALUES ('a@example.com', 'bounce', 1)`)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sqlstore.Copy(t.Context(), src, dst, sqlstore.CopyOptions{Resume: true})
	if !errors.Is(err, sqlstore.ErrCountMismatch) || !strings.Contains(err.Error(), "mail_suppressions") {
		t.Fatalf("Copy = %v, want ErrCountMismatch naming mail_suppressions", err)
	}
	for _, c := range rep.Counts {
		if c.Table == "mail_suppressions" && c.Target != c.Source+1 {
			t.Errorf("mail_suppressions: %d -> %d, want one more on the target", c.Source, c.Target)
		}
	}
}
