package gram

import "time"

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
