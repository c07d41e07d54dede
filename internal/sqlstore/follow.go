package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of a follow and an unfollow (primary key of follows).
const (
	qFollow   = `INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?, ?, ?) ON CONFLICT (follower_id, followee_id) DO NOTHING`
	qUnfollow = `DELETE FROM follows WHERE follower_id = ? AND followee_id = ?`
)

func (s *Store) Follow(ctx context.Context, followerID, followeeID string, at time.Time, n *gram.Notification) (bool, error) {
	var created bool
	err := s.inTx(ctx, func(t tx) error {
		res, err := t.exec(ctx, qFollow, followerID, followeeID, ms(at))
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		if err != nil || k == 0 {
			created = false
			return err
		}
		created = true
		return insertNotification(ctx, t, n)
	})
	if err != nil && s.d.isForeignKey(err) {
		return false, s.wrap("follow", gram.ErrNotFound)
	}
	return created, s.wrap("follow", err)
}

func (s *Store) Unfollow(ctx context.Context, followerID, followeeID string) (bool, error) {
	removed, err := s.changed(ctx, qUnfollow, followerID, followeeID)
	return removed, s.wrap("unfollow", err)
}

// The follow lists walk (followee_id | follower_id, created_at, other id)
// indexes backwards; the other id breaks ties so both dialects agree.
const (
	qFollowerIDs  = `SELECT follower_id FROM follows WHERE followee_id = ? ORDER BY created_at DESC, follower_id DESC LIMIT ?`
	qFollowingIDs = `SELECT followee_id FROM follows WHERE follower_id = ? ORDER BY created_at DESC, followee_id DESC LIMIT ?`
)

func (s *Store) FollowerIDs(ctx context.Context, userID string, limit int) ([]string, error) {
	out, err := queryAll(ctx, s, scanID, qFollowerIDs, userID, limit)
	return out, s.wrap("follower ids", err)
}

func (s *Store) FollowingIDs(ctx context.Context, userID string, limit int) ([]string, error) {
	out, err := queryAll(ctx, s, scanID, qFollowingIDs, userID, limit)
	return out, s.wrap("following ids", err)
}
