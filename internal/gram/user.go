package gram

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

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
	// Private keeps the account's posts, stories and follow lists for its
	// approved followers; following it asks the owner first.
	Private bool
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

// SearchLimit caps search results.
const SearchLimit = 20

// SearchUsers finds up to SearchLimit active users whose username
// contains term literally, less those blocked either way with viewer
// (nil: nobody logged in). It reads SearchLimit more than it answers, so
// that blocked accounts seldom shorten the answer.
func (s *Service) SearchUsers(ctx context.Context, viewer *User, term string) ([]*User, error) {
	term = NormalizeUsername(term)
	if term == "" {
		return []*User{}, nil
	}
	if len(term) > 64 {
		term = truncate(term, 64)
	}
	limit := SearchLimit
	if viewer != nil {
		limit *= 2
	}
	users, err := s.store.SearchUsers(ctx, term, limit)
	if err != nil {
		return nil, err
	}
	users, err = s.shieldUsers(ctx, viewer, users)
	return users[:min(len(users), SearchLimit)], err
}

// shieldUsers leaves out of users those blocked either way with viewer.
func (s *Service) shieldUsers(ctx context.Context, viewer *User, users []*User) ([]*User, error) {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	sh, err := s.Shield(ctx, viewer, ids)
	return slices.DeleteFunc(users, func(u *User) bool { return sh.Hides(u.ID) }), err
}

// SuggestUsers returns up to 5 random active users, leaving out the viewer
// (when logged in), the people the viewer already follows and those
// blocked either way with the viewer.
func (s *Service) SuggestUsers(ctx context.Context, viewer *User) ([]*User, error) {
	const want = 5
	skip := map[string]bool{}
	if viewer != nil {
		skip[viewer.ID] = true
		ids, err := s.store.FollowingIDs(ctx, viewer.ID, s.cfg.ListCap)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			skip[id] = true
		}
	}
	from, err := s.randomUserPoint(ctx)
	if err != nil {
		return nil, err
	}
	cands, err := s.store.SampleUsers(ctx, from, want+len(skip))
	if err != nil {
		return nil, err
	}
	if cands, err = s.shieldUsers(ctx, viewer, cands); err != nil {
		return nil, err
	}
	out := make([]*User, 0, want)
	for _, u := range cands {
		if !skip[u.ID] && len(out) < want {
			out = append(out, u)
		}
	}
	return out, nil
}

// randomUserPoint returns a random id between the oldest active user's
// and now, so that samples start anywhere among the real accounts.
func (s *Service) randomUserPoint(ctx context.Context) (string, error) {
	oldest, err := s.store.SampleUsers(ctx, "000000000000000000000000", 1)
	if err != nil || len(oldest) == 0 {
		return "000000000000000000000000", err
	}
	first, err := strconv.ParseInt(oldest[0].ID[:8], 16, 64)
	if err != nil {
		return "000000000000000000000000", nil
	}
	span := max(s.now().Unix()-first, 0) + 1
	return NewID(time.Unix(first+rand.Int64N(span), 0)), nil
}
