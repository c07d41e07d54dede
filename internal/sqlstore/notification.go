package sqlstore

import (
	"context"

	"github.com/instamern/gram/internal/gram"
)

// insertNotification stores n (when not nil) through q, the transaction of
// the follow, like or comment it is about. Follow and like notifications
// carry a dedupe key, so a repeat is silently ignored; every comment is new.
const qInsertNotification = `INSERT INTO notifications (id, recipient_id, actor_id, kind, post_id, dedupe, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient_id, dedupe) DO NOTHING`

func insertNotification(ctx context.Context, q querier, n *gram.Notification) error {
	if n == nil {
		return nil
	}
	dedupe := n.Kind + ":" + n.ActorID + ":" + n.PostID
	if n.Kind == gram.NotifyComment {
		dedupe = n.Kind + ":" + n.ID
	}
	_, err := q.exec(ctx, qInsertNotification, n.ID, n.RecipientID, n.ActorID, n.Kind, n.PostID, dedupe, ms(n.CreatedAt))
	return err
}

// qNotificationsFor walks the (recipient_id, created_at, id) index backwards.
const qNotificationsFor = `SELECT id, recipient_id, actor_id, kind, post_id, created_at FROM notifications
	WHERE recipient_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`

func (s *Store) NotificationsFor(ctx context.Context, userID string, limit int) ([]*gram.Notification, error) {
	rows, err := s.query(ctx, qNotificationsFor, userID, limit)
	if err != nil {
		return nil, s.wrap("notifications", err)
	}
	defer rows.Close()
	var out []*gram.Notification
	for rows.Next() {
		var (
			n  gram.Notification
			at int64
		)
		if err := rows.Scan(&n.ID, &n.RecipientID, &n.ActorID, &n.Kind, &n.PostID, &at); err != nil {
			return nil, s.wrap("notifications", err)
		}
		n.CreatedAt = fromMS(at)
		out = append(out, &n)
	}
	return out, s.wrap("notifications", rows.Err())
}
