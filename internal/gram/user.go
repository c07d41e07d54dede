package gram

import "time"

// Roles a user may have.
const (
	RoleUser      = "user"
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// User is an account. Username and Email are stored lowercased, which makes
// their uniqueness case-insensitive (the client lowercases both anyway).
type User struct {
	ID           string
	Username     string
	Email        string
	Firstname    string
	Lastname     string
	Bio          string
	PasswordHash string // argon2id (or legacy bcrypt until the next login)
	PhotoKey     string // blob key of the avatar; "" when the user has none
	Role         string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// IsStaff reports whether u may moderate other users' content.
func (u *User) IsStaff() bool {
	return u != nil && (u.Role == RoleModerator || u.Role == RoleAdmin)
}

// Profile is a user with the lists a profile page shows.
type Profile struct {
	User       *User
	Posts      []*Post
	Followers  []string // user ids, capped
	Followings []string // user ids, capped
}
