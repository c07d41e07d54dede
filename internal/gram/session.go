package gram

import (
	"context"
	"time"
)

// Session is one login. Every token names its session, so revoking the
// session (logout, password change, reset, deactivation) revokes the token.
type Session struct {
	ID        string
	UserID    string
	UserAgent string
	IP        string
	CreatedAt time.Time
	LastUsed  time.Time
	ExpiresAt time.Time
}

// MaxSessions caps the list of a user's sessions.
const MaxSessions = 100

// msgSessionExists answers a session the store already has.
const msgSessionExists = "This session already exists."

// Sessions lists u's unexpired sessions, most recently used first.
func (s *Service) Sessions(ctx context.Context, u *User) ([]*Session, error) {
	return s.store.SessionsByUser(ctx, u.ID, s.now(), MaxSessions)
}

// EndSession ends one of u's sessions; another user's session is "not
// found", so ids cannot be probed.
func (s *Service) EndSession(ctx context.Context, u *User, id string) error {
	const notFound = "Session not found."
	if !validSessionID(id) { // e.g. NUL or invalid UTF-8, which PostgreSQL refuses outright
		return Errorf(ENOTFOUND, notFound)
	}
	ss, err := s.store.SessionByID(ctx, id)
	if err == nil && ss.UserID != u.ID {
		err = ErrNotFound
	}
	if err != nil {
		return storeErr(err, notFound, msgSessionExists)
	}
	return s.store.RevokeSession(ctx, id)
}

// EndOtherSessions ends every session of u but current.
func (s *Service) EndOtherSessions(ctx context.Context, u *User, current string) error {
	return s.store.RevokeUserSessions(ctx, u.ID, current)
}

// Client is who is calling: recorded with a new session.
type Client struct {
	UserAgent string
	IP        string
}

// newSession starts a session for userID.
func (s *Service) newSession(ctx context.Context, userID string, c Client) (*Session, error) {
	now := s.now()
	ss := &Session{
		ID: NewID(now) + randomHex(8), UserID: userID,
		UserAgent: clientText(c.UserAgent, 256), IP: clientText(c.IP, 64),
		CreatedAt: now, LastUsed: now, ExpiresAt: now.Add(s.cfg.SessionTTL),
	}
	return ss, s.store.CreateSession(ctx, ss)
}

// validSessionID reports whether id has the form newSession gives ids:
// an id and 8 random bytes, 40 lowercase hex characters (checked as two
// overlapping 24-character halves).
func validSessionID(id string) bool {
	return len(id) == 40 && ValidID(id[:24]) && ValidID(id[16:])
}
