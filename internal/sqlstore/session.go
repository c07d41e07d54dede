package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

func (s *Store) CreateSession(ctx context.Context, ss *gram.Session) error {
	_, err := s.exec(ctx, `INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ss.ID, ss.UserID, ss.UserAgent, ss.IP, ms(ss.CreatedAt), ms(ss.LastUsed), ms(ss.ExpiresAt))
	return s.wrap("create session", err)
}

func (s *Store) SessionByID(ctx context.Context, id string) (*gram.Session, error) {
	var (
		ss                     gram.Session
		created, used, expires int64
	)
	err := s.queryRow(ctx, `SELECT id, user_id, user_agent, ip, created_at, last_used, expires_at FROM sessions WHERE id = ?`, id).
		Scan(&ss.ID, &ss.UserID, &ss.UserAgent, &ss.IP, &created, &used, &expires)
	if err != nil {
		return nil, s.wrap("session by id", err)
	}
	ss.CreatedAt, ss.LastUsed, ss.ExpiresAt = fromMS(created), fromMS(used), fromMS(expires)
	return &ss, nil
}

func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE sessions SET last_used = ? WHERE id = ?`, ms(at), id)
	return s.wrap("touch session", err)
}

func (s *Store) RevokeSession(ctx context.Context, id string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return s.wrap("revoke session", err)
}

func (s *Store) RevokeUserSessions(ctx context.Context, userID, exceptID string) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, exceptID)
	return s.wrap("revoke user sessions", err)
}
