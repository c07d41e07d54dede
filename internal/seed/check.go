package seed

import (
	"context"
	"strings"

	"github.com/instamern/gram/internal/sqlstore"
)

// qBadCounters counts posts whose like or comment counter differs from
// the rows it counts.
const qBadCounters = `SELECT count(*) FROM posts p WHERE
	(p.like_count <> (SELECT count(*) FROM likes l WHERE l.post_id = p.id) OR
	p.comment_count <> (SELECT count(*) FROM comments c WHERE c.post_id = p.id))`

// BadCounters returns how many posts have a like_count or comment_count
// that differs from their likes and comments: of the posts in ids, or of
// all posts when ids is nil (a full scan: slow on a big database).
func BadCounters(ctx context.Context, s *sqlstore.Store, ids []string) (int64, error) {
	db := s.DB()
	if ids == nil {
		var n int64
		err := db.QueryRowContext(ctx, qBadCounters).Scan(&n)
		return n, err
	}
	q := qBadCounters + ` AND p.id = ?`
	if s.Dialect() == "postgres" {
		q = strings.Replace(q, "?", "$1", 1)
	}
	// One lookup per post: an IN list could pass the drivers' limits.
	var bad int64
	for _, id := range ids {
		var n int64
		if err := db.QueryRowContext(ctx, q, id).Scan(&n); err != nil {
			return bad, err
		}
		bad += n
	}
	return bad, nil
}
