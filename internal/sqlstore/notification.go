package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

// insertNotification stores n (when not nil) through q, the transaction of
// the follow, like or comment it is about. Follow and like notifications
// carry a dedupe key, so a repeat is silently ignored; every other
// notification (a comment, a report's outcome) is new.
const qInsertNotification = `INSERT INTO notifications (id, recipient_id, actor_id, kind, post_id, dedupe, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient_id, dedupe) DO NOTHING`

func insertNotification(ctx context.Context, q querier, n *gram.Notification) error {
	if n == nil {
		return nil
	}
	dedupe := n.Kind + ":" + n.ActorID + ":" + n.PostID
	if n.Kind != gram.NotifyFollow && n.Kind != gram.NotifyLike {
		dedupe = n.Kind + ":" + n.ID
	}
	_, err := q.exec(ctx, qInsertNotification, n.ID, n.RecipientID, n.ActorID, n.Kind, n.PostID, dedupe, ms(n.CreatedAt))
	return err
}

// qNotificationsFor walks the (recipient_id, created_at, id) index backwards.
const qNotificationsFor = `SELECT id, recipient_id, actor_id, kind, post_id, created_at, seen FROM notifications
	WHERE recipient_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`

func (s *Store) NotificationsFor(ctx context.Context, userID string, limit int) ([]*gram.Notification, error) {
	out, err := queryAll(ctx, s, scanNotification, qNotificationsFor, userID, limit)
	return out, s.wrap("notifications", err)
}

func scanNotification(r scanner) (*gram.Notification, error) {
	var (
		n  gram.Notification
		at int64
	)
	if err := r.Scan(&n.ID, &n.RecipientID, &n.ActorID, &n.Kind, &n.PostID, &at, &n.Seen); err != nil {
		return nil, err
	}
	n.CreatedAt = fromMS(at)
	return &n, nil
}
