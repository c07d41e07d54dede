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
	// Active is false while the account is hidden from everyone else:
	// deactivated by its owner, or suspended by staff. Every public list
	// filters on it; the next successful login sets it again.
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Suspension by staff; SuspendedAt is zero unless suspended.
	SuspendedAt   time.Time
	SuspendedBy   string // the staff user's id, or ActorCLI
	SuspendReason string
}

// Suspended reports whether staff have suspended u.
func (u *User) Suspended() bool { return !u.SuspendedAt.IsZero() }

// ValidRole reports whether r is one of the roles.
func ValidRole(r string) bool { return r == RoleUser || r == RoleModerator || r == RoleAdmin }

// IsAdmin reports whether u is an admin.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// IsStaff reports whether u may moderate other users' content.
func (u *User) IsStaff() bool {
	return u != nil && (u.Role == RoleModerator || u.Role == RoleAdmin)
}

// msgUserExists answers a username or email that another account has
// (the original's words for its duplicate key).
const msgUserExists = "This user already exists."

// Profile is a user with the lists a profile page shows.
type Profile struct {
	User       *User
	Posts      []*Post
	Followers  []string // user ids, capped
	Followings []string // user ids, capped
}
