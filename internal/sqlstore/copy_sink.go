package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

var _ CopySink = (*Store)(nil)

// CopyCount implements CopySink.
func (s *Store) CopyCount(ctx context.Context, t Table) (int64, error) {
	var n int64
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM `+t.Name).Scan(&n)
	return n, err
}

// CopyLast implements CopySink. On PostgreSQL it sorts the table (no
// index orders it bytewise), which a copy does once per table.
func (s *Store) CopyLast(ctx context.Context, t Table) ([]any, error) {
	desc := make([]string, len(t.Key))
	for i, k := range t.Key {
		desc[i] = k + s.d.bytewise + " DESC"
	}
	q := `SELECT ` + strings.Join(t.Key, ", ") + ` FROM ` + t.Name + ` ORDER BY ` + strings.Join(desc, ", ") + ` LIMIT 1`
	rows, err := s.w.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	key := make([]any, len(t.Key))
	ptrs := make([]any, len(key))
	for i := range key {
		ptrs[i] = &key[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	normalize(key, make([]bool, len(key)))
	return key, rows.Err()
}

// CopyWrite implements CopySink: multi-row INSERTs that skip the keys the
// table has, in one transaction.
func (s *Store) CopyWrite(ctx context.Context, t Table, cols []string, rows [][]any) error {
	conflict := `ON CONFLICT (` + strings.Join(t.Key, ", ") + `) DO NOTHING`
	return s.inTx(ctx, func(tx tx) error {
		_, err := insertRows(ctx, tx, t.Name, cols, conflict, rows)
		return err
	})
}

// qRecount sets the like and comment counters of the posts whose counters
// differ from the rows they count.
const qRecount = `UPDATE posts SET
	like_count = (SELECT count(*) FROM likes WHERE likes.post_id = posts.id),
	comment_count = (SELECT count(*) FROM comments WHERE comments.post_id = posts.id)
	WHERE like_count <> (SELECT count(*) FROM likes WHERE likes.post_id = posts.id)
	OR comment_count <> (SELECT count(*) FROM comments WHERE comments.post_id = posts.id)`

// CopyFinish implements CopySink: it recounts the posts' counters from the
// copied likes and comments and refreshes the planner's statistics.
func (s *Store) CopyFinish(ctx context.Context) (string, error) {
	var fixed int64
	err := s.untimedTx(ctx, func(t tx) error {
		res, err := t.ExecContext(ctx, qRecount)
		if err != nil {
			return err
		}
		fixed, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("recount posts: %w", err)
	}
	if err := s.Analyze(ctx); err != nil {
		return "", err
	}
	if fixed == 0 {
		return "", nil
	}
	return fmt.Sprintf("recounted the likes and comments of %d posts whose counters differed", fixed), nil
}
