package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// ToggleLike deletes the like if it exists, else inserts it. Both paths
// are single conditional statements, so concurrent toggles never lose or
// duplicate a like and the counter stays exact under READ COMMITTED.
func (s *Store) ToggleLike(ctx context.Context, postID, userID string, at time.Time, n *gram.Notification) (bool, error) {
	var liked bool
	err := s.inTx(ctx, func(t tx) error {
		var err error
		liked, err = toggleLikeTx(ctx, t, postID, userID, at, n)
		return err
	})
	if err != nil && s.d.isForeignKey(err) {
		err = gram.ErrNotFound
	}
	return liked, s.wrap("toggle like", err)
}

func toggleLikeTx(ctx context.Context, t tx, postID, userID string, at time.Time, n *gram.Notification) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM likes WHERE post_id = ? AND user_id = ?`, postID, userID)
	if err != nil {
		return false, err
	}
	if k, err := res.RowsAffected(); err != nil || k > 0 {
		if err == nil {
			_, err = t.exec(ctx, `UPDATE posts SET like_count = like_count - 1 WHERE id = ?`, postID)
		}
		return false, err
	}
	res, err = t.exec(ctx, `INSERT INTO likes (post_id, user_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (post_id, user_id) DO NOTHING`, postID, userID, ms(at))
	if err != nil {
		return false, err
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		return true, err // a concurrent toggle liked it first
	}
	if err := mustAffect(t.exec(ctx, `UPDATE posts SET like_count = like_count + 1 WHERE id = ?`, postID)); err != nil {
		return false, err
	}
	return true, insertNotification(ctx, t, n)
}

// qLikerIDs reads one post's likes in (post_id, created_at, user_id)
// index order; one bounded lookup per post, however liked the post is.
const qLikerIDs = `SELECT user_id FROM likes WHERE post_id = ? ORDER BY created_at, user_id LIMIT ?`

func (s *Store) LikerIDs(ctx context.Context, postIDs []string, limit int) (map[string][]string, error) {
	out := map[string][]string{}
	for _, id := range postIDs {
		ids, err := s.ids(ctx, qLikerIDs, id, limit)
		if err != nil {
			return nil, s.wrap("liker ids", err)
		}
		if len(ids) > 0 {
			out[id] = ids
		}
	}
	return out, nil
}
