package sqlstore

import (
	"context"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// The statements of sessions: all by primary key but the revocation of a
// user's other sessions (sessions_user).
const (
	qSessionByID        = `SELECT ` + sessionColumns + ` FROM sessions WHERE id = ?`
	qTouchSession       = `UPDATE sessions SET last_used = ? WHERE id = ?`
	qRevokeSession      = `DELETE FROM sessions WHERE id = ?`
	qRevokeUserSessions = `DELETE FROM sessions WHERE user_id = ? AND id <> ?`
)

func (s *Store) CreateSession(ctx context.Context, ss *gram.Session) error {
	_, err := s.exec(ctx, `INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ss.ID, ss.UserID, ss.UserAgent, ss.IP, ms(ss.CreatedAt), ms(ss.LastUsed), ms(ss.ExpiresAt))
	return s.wrap("create session", err)
}

const sessionColumns = `id, user_id, user_agent, ip, created_at, last_used, expires_at`

func scanSession(r scanner) (*gram.Session, error) {
	var (
		ss                     gram.Session
		created, used, expires int64
	)
	if err := r.Scan(&ss.ID, &ss.UserID, &ss.UserAgent, &ss.IP, &created, &used, &expires); err != nil {
		return nil, err
	}
	ss.CreatedAt, ss.LastUsed, ss.ExpiresAt = fromMS(created), fromMS(used), fromMS(expires)
	return &ss, nil
}

func (s *Store) SessionByID(ctx context.Context, id string) (*gram.Session, error) {
	ss, err := scanSession(s.queryRow(ctx, qSessionByID, id))
	return ss, s.wrap("session by id", err)
}

// qSessionsByUser reads the user's sessions (sessions_user) and sorts
// them: a user has few.
const qSessionsByUser = `SELECT ` + sessionColumns + ` FROM sessions WHERE user_id = ? AND expires_at > ?
	ORDER BY last_used DESC, id DESC LIMIT ?`

func (s *Store) SessionsByUser(ctx context.Context, userID string, now time.Time, limit int) ([]*gram.Session, error) {
	out, err := queryAll(ctx, s, scanSession, qSessionsByUser, userID, ms(now), limit)
	return out, s.wrap("sessions by user", err)
}

func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.exec(ctx, qTouchSession, ms(at), id)
	return s.wrap("touch session", err)
}

func (s *Store) RevokeSession(ctx context.Context, id string) error {
	_, err := s.exec(ctx, qRevokeSession, id)
	return s.wrap("revoke session", err)
}

func (s *Store) RevokeUserSessions(ctx context.Context, userID, exceptID string) error {
	_, err := s.exec(ctx, qRevokeUserSessions, userID, exceptID)
	return s.wrap("revoke user sessions", err)
}
