package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of follow requests: the primary key is (requester,
// target); the owner's list walks the (target, created_at, requester)
// index.
const (
	qRequestFollow       = `INSERT INTO follow_requests (requester_id, target_id, created_at) VALUES (?, ?, ?) ON CONFLICT (requester_id, target_id) DO NOTHING`
	qDeleteFollowRequest = `DELETE FROM follow_requests WHERE requester_id = ? AND target_id = ?`
)

func (s *Store) RequestFollow(ctx context.Context, requesterID, targetID string, at time.Time) (bool, error) {
	res, err := s.exec(ctx, qRequestFollow, requesterID, targetID, ms(at))
	if err != nil {
		if s.d.isForeignKey(err) {
			err = gram.ErrNotFound
		}
		return false, s.wrap("request follow", err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.wrap("request follow", err)
}

func (s *Store) FollowRequestsTo(ctx context.Context, targetID string, page gram.Page) ([]gram.Edge, error) {
	return s.edges(ctx, "follow requests", "follow_requests", "target_id", "requester_id", targetID, page)
}

func (s *Store) ApproveFollowRequest(ctx context.Context, requesterID, targetID string, at time.Time) error {
	err := s.inTx(ctx, func(t tx) error {
		if err := mustAffect(t.exec(ctx, qDeleteFollowRequest, requesterID, targetID)); err != nil {
			return err
		}
		_, err := t.exec(ctx, qFollow, requesterID, targetID, ms(at))
		return err
	})
	return s.wrap("approve follow request", err)
}

func (s *Store) DeleteFollowRequest(ctx context.Context, requesterID, targetID string) (bool, error) {
	return s.removeEdge(ctx, "delete follow request", qDeleteFollowRequest, requesterID, targetID)
}
