package gram

import "time"

// StoryTTL is how long a story stays visible.
const StoryTTL = 24 * time.Hour

// Story is a photo visible for StoryTTL.
type Story struct {
	ID        string
	UserID    string
	PhotoKey  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CanDelete reports whether u may delete s.
func (s *Story) CanDelete(u *User) bool {
	return u != nil && (s.UserID == u.ID || u.IsStaff())
}
