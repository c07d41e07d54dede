package gram

import (
	"context"
	"errors"
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
	ss := sessionAt(now, userID, c, now.Add(s.cfg.SessionTTL))
	return ss, s.store.CreateSession(ctx, ss)
}

// sessionAt is a fresh session of userID from now until expires.
func sessionAt(now time.Time, userID string, c Client, expires time.Time) *Session {
	return &Session{
		ID: NewID(now) + randomHex(8), UserID: userID,
		UserAgent: clientText(c.UserAgent, 256), IP: clientText(c.IP, 64),
		CreatedAt: now, LastUsed: now, ExpiresAt: expires,
	}
}

// validSessionID reports whether id has the form newSession gives ids:
// an id and 8 random bytes, 40 lowercase hex characters (checked as two
// overlapping 24-character halves).
func validSessionID(id string) bool {
	return len(id) == 40 && ValidID(id[:24]) && ValidID(id[16:])
}

// LegacySession returns the session of a token of the original server
// (HS256 with its secret, an "id" claim, no session of ours), whose
// signature the caller verified: token is the whole token, issued and
// expires its times. The first time a token is seen it gets a session of
// its own, expiring with the token, if it was issued before the latest
// import and the operator has not ended legacy tokens (see
// Imports.LegacyTokensBefore); from then on that session can be revoked
// like any other, and the token ends with it. Each device's token is its
// own session.
func (s *Service) LegacySession(ctx context.Context, token, userID string, issued, expires time.Time, c Client) (string, error) {
	hash := sha256Hex(token)
	id, err := s.store.LegacySession(ctx, hash)
	if !errors.Is(err, ErrNotFound) {
		return id, err
	}
	before, err := s.store.LegacyTokensBefore(ctx)
	if err != nil {
		return "", err
	}
	if before.IsZero() || issued.IsZero() || !issued.Before(before) {
		return "", ErrAuthFailed
	}
	now := s.now()
	if !now.Before(expires) {
		return "", ErrExpired
	}
	id, err = s.store.AdoptLegacyToken(ctx, hash, sessionAt(now, userID, c, expires))
	if errors.Is(err, ErrNotFound) {
		return "", ErrNotLoggedIn
	}
	return id, err
}

// EndLegacySessions ends every session made for a legacy token and stops
// the adoption of any other, for good. It returns how many sessions ended.
func (s *Service) EndLegacySessions(ctx context.Context) (int64, error) {
	return s.store.EndLegacySessions(ctx)
}
