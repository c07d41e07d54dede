package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// insertRows inserts rows into table in multi-row INSERTs through t,
// conflict being the statement's ON CONFLICT clause, and returns how many
// rows were inserted.
func insertRows(ctx context.Context, t tx, table string, cols []string, conflict string, rows [][]any) (int64, error) {
	perStmt := max(1, 30_000/len(cols)) // SQLite allows 32,766 variables, PostgreSQL 65,535
	one := "(" + placeholders(len(cols)) + ")"
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	var n int64
	for len(rows) > 0 {
		chunk := rows[:min(perStmt, len(rows))]
		rows = rows[len(chunk):]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, r := range chunk {
			args = append(args, r...)
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ") + " " + conflict
		res, err := t.ExecContext(ctx, t.d.rebind(q), args...)
		if err != nil {
			return n, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

func (s *Store) ImportUsers(ctx context.Context, users []*gram.User) ([]gram.ImportOutcome, error) {
	out := make([]gram.ImportOutcome, len(users))
	q := `INSERT INTO users (` + userColumns + `) VALUES (` + placeholders(strings.Count(userColumns, ",")+1) + `) ON CONFLICT DO NOTHING`
	err := s.inTx(ctx, func(t tx) error {
		for i, u := range users {
			res, err := t.exec(ctx, q, userArgs(u)...)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil || k == 1 {
				out[i] = gram.ImportInserted
				continue
			}
			var one int
			switch err := t.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, u.ID).Scan(&one); {
			case err == nil:
				out[i] = gram.ImportPresent
			case errors.Is(err, sql.ErrNoRows):
				out[i] = gram.ImportConflict
			default:
				return err
			}
		}
		return nil
	})
	return out, s.wrap("import users", err)
}

func (s *Store) ImportRows(ctx context.Context, b *gram.ImportBatch) (gram.ImportCounts, error) {
	var c gram.ImportCounts
	err := s.inTx(ctx, func(t tx) error {
		c = gram.ImportCounts{}
		for _, part := range importParts(b, &c) {
			if len(part.rows) == 0 {
				continue
			}
			n, err := insertRows(ctx, t, part.table, part.cols, "ON CONFLICT DO NOTHING", part.rows)
			*part.count = int(n)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return c, s.wrap("import rows", err)
}

// importPart is the rows of one table in an ImportBatch, parents first,
// and where ImportRows counts the rows it inserted.
type importPart struct {
	table string
	cols  []string
	rows  [][]any
	count *int
}

func importParts(b *gram.ImportBatch, c *gram.ImportCounts) []importPart {
	each := func(n int, row func(i int) []any) [][]any {
		out := make([][]any, n)
		for i := range out {
			out[i] = row(i)
		}
		return out
	}
	return []importPart{
		{"follows", []string{"follower_id", "followee_id", "created_at"}, each(len(b.Follows), func(i int) []any {
			f := b.Follows[i]
			return []any{f.FollowerID, f.FolloweeID, ms(f.CreatedAt)}
		}), &c.Follows},
		{"posts", []string{"id", "author_id", "caption", "photo_key", "created_at"}, each(len(b.Posts), func(i int) []any {
			p := b.Posts[i]
			return []any{p.ID, p.AuthorID, p.Caption, p.PhotoKey, ms(p.CreatedAt)}
		}), &c.Posts},
		{"likes", []string{"post_id", "user_id", "created_at"}, each(len(b.Likes), func(i int) []any {
			l := b.Likes[i]
			return []any{l.PostID, l.UserID, ms(l.CreatedAt)}
		}), &c.Likes},
		{"comments", []string{"id", "post_id", "author_id", "body", "created_at"}, each(len(b.Comments), func(i int) []any {
			cm := b.Comments[i]
			return []any{cm.ID, cm.PostID, cm.AuthorID, cm.Text, ms(cm.CreatedAt)}
		}), &c.Comments},
		{"stories", []string{"id", "user_id", "photo_key", "created_at", "expires_at"}, each(len(b.Stories), func(i int) []any {
			st := b.Stories[i]
			return []any{st.ID, st.UserID, st.PhotoKey, ms(st.CreatedAt), ms(st.ExpiresAt)}
		}), &c.Stories},
		{"notifications", []string{"id", "recipient_id", "actor_id", "kind", "post_id", "dedupe", "created_at", "seen"},
			each(len(b.Notifications), func(i int) []any {
				n := b.Notifications[i]
				// An imported notification's dedupe key is its id: the
				// original kept every one.
				return []any{n.ID, n.RecipientID, n.ActorID, n.Kind, n.PostID, "import:" + n.ID, ms(n.CreatedAt), n.Seen}
			}), &c.Notifications},
	}
}

func (s *Store) FinishImport(ctx context.Context, at time.Time) error {
	err := s.untimedTx(ctx, func(t tx) error {
		if _, err := t.ExecContext(ctx, qRecount); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO legacy_import (name, started_at) VALUES ('latest', ?)
			ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at`, ms(at))
		return err
	})
	if err != nil {
		return s.wrap("finish import", err)
	}
	return s.wrap("finish import", s.Analyze(ctx))
}

func (s *Store) LegacyTokensBefore(ctx context.Context) (time.Time, error) {
	var (
		at    int64
		ended bool
	)
	err := s.queryRow(ctx, `SELECT started_at, tokens_ended FROM legacy_import WHERE name = 'latest'`).Scan(&at, &ended)
	if errors.Is(err, sql.ErrNoRows) || ended {
		return time.Time{}, nil
	}
	return fromMS(at), s.wrap("legacy tokens before", err)
}

func (s *Store) LegacySession(ctx context.Context, tokenHash string) (string, error) {
	var id string
	err := s.queryRow(ctx, `SELECT session_id FROM legacy_tokens WHERE token_hash = ?`, tokenHash).Scan(&id)
	return id, s.wrap("legacy session", err)
}

func (s *Store) AdoptLegacyToken(ctx context.Context, tokenHash string, ss *gram.Session) (string, error) {
	id := ss.ID
	err := s.inTx(ctx, func(t tx) error {
		id = ss.ID
		res, err := t.exec(ctx, `INSERT INTO legacy_tokens (token_hash, user_id, session_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (token_hash) DO NOTHING`, tokenHash, ss.UserID, ss.ID, ms(ss.CreatedAt))
		if err != nil {
			if s.d.isForeignKey(err) {
				return gram.ErrNotFound
			}
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return t.queryRow(ctx, `SELECT session_id FROM legacy_tokens WHERE token_hash = ?`, tokenHash).Scan(&id)
		}
		_, err = t.exec(ctx, `INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, ss.ID, ss.UserID, ss.UserAgent, ss.IP, ms(ss.CreatedAt), ms(ss.LastUsed), ms(ss.ExpiresAt))
		return err
	})
	return id, s.wrap("adopt legacy token", err)
}

func (s *Store) EndLegacySessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE id IN (SELECT session_id FROM legacy_tokens)`)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = t.exec(ctx, `INSERT INTO legacy_import (name, started_at, tokens_ended) VALUES ('latest', 0, TRUE)
			ON CONFLICT (name) DO UPDATE SET tokens_ended = TRUE`)
		return err
	})
	return n, s.wrap("end legacy sessions", err)
}
