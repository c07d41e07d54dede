package gram

import (
	"context"
	"slices"
	"strconv"
)

// Profile is a user with the lists a profile page shows. Restricted
// profiles (a private account the viewer does not follow) have none.
type Profile struct {
	User       *User
	Posts      []*Post
	Followers  []string // user ids, capped
	Followings []string // user ids, capped
	Restricted bool
}

// ProfileByID returns the profile of an active user as viewer (nil:
// nobody logged in) may see it.
func (s *Service) ProfileByID(ctx context.Context, viewer *User, id string) (*Profile, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "User not found.")
	}
	u, err := s.store.UserByID(ctx, id)
	return s.profile(ctx, viewer, u, err)
}

// ProfileByUsername returns the profile of an active user as viewer may
// see it.
func (s *Service) ProfileByUsername(ctx context.Context, viewer *User, username string) (*Profile, error) {
	u, err := s.store.UserByUsername(ctx, NormalizeUsername(username))
	return s.profile(ctx, viewer, u, err)
}

// profile answers an account hidden from the viewer (blocked either way)
// as one that does not exist, and a private one the viewer does not
// follow with its card alone.
func (s *Service) profile(ctx context.Context, viewer, u *User, err error) (*Profile, error) {
	if err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	if !u.Active {
		return nil, Errorf(ENOTFOUND, "That user is no longer active.")
	}
	r, err := s.Relation(ctx, viewer, u)
	switch {
	case err != nil:
		return nil, err
	case !r.CanSeeProfile():
		return nil, Errorf(ENOTFOUND, "User not found.")
	case !r.CanSeeContent():
		return &Profile{User: u, Restricted: true}, nil
	}
	p, err := s.fullProfile(ctx, u)
	if err != nil {
		return nil, err
	}
	sh, err := s.Shield(ctx, viewer, append(slices.Clone(p.Followers), p.Followings...))
	p.Followers, p.Followings = sh.Keep(p.Followers), sh.Keep(p.Followings)
	return p, err
}

// fullProfile loads the lists shown with a user, each capped.
func (s *Service) fullProfile(ctx context.Context, u *User) (*Profile, error) {
	p := &Profile{User: u}
	var err error
	if p.Posts, err = s.store.PostsByUser(ctx, u.ID, Page{Limit: s.cfg.ListCap}); err != nil {
		return nil, err
	}
	if p.Followers, err = s.store.FollowerIDs(ctx, u.ID, s.cfg.ListCap); err != nil {
		return nil, err
	}
	if p.Followings, err = s.store.FollowingIDs(ctx, u.ID, s.cfg.ListCap); err != nil {
		return nil, err
	}
	return p, nil
}

// CurrentUser returns the caller's own profile and newest notifications,
// less those from accounts blocked either way with the caller.
func (s *Service) CurrentUser(ctx context.Context, u *User) (*Profile, []*Notification, error) {
	p, err := s.fullProfile(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	notes, err := s.store.NotificationsFor(ctx, u.ID, s.cfg.ListCap)
	if err != nil {
		return nil, nil, err
	}
	actors := make([]string, len(notes))
	for i, n := range notes {
		actors[i] = n.ActorID
	}
	sh, err := s.Shield(ctx, u, actors)
	notes = slices.DeleteFunc(notes, func(n *Notification) bool { return sh.Hides(n.ActorID) })
	return p, notes, err
}

// ProfileUpdate is the allowlist of fields a user may edit on their
// profile; nil means unchanged.
type ProfileUpdate struct {
	Firstname, Lastname, Username, Bio *string
}

// UpdateProfile validates and applies an update.
func (s *Service) UpdateProfile(ctx context.Context, u *User, in ProfileUpdate) (*User, error) {
	var p problems
	next := *u
	if in.Firstname != nil {
		next.Firstname = CleanLine(*in.Firstname)
		p.checkLen(next.Firstname, "Firstname", NameMin, NameMax)
	}
	if in.Lastname != nil {
		next.Lastname = CleanLine(*in.Lastname)
		p.checkLen(next.Lastname, "Lastname", NameMin, NameMax)
	}
	if in.Username != nil {
		next.Username = NormalizeUsername(*in.Username)
		p.checkUsername(next.Username)
	}
	if in.Bio != nil {
		next.Bio = CleanText(*in.Bio)
		if n := len([]rune(next.Bio)); n > BioMax {
			p.add("Bio cannot be longer than " + strconv.Itoa(BioMax) + " characters.")
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error {
		u.Firstname, u.Lastname, u.Username, u.Bio, u.UpdatedAt = next.Firstname, next.Lastname, next.Username, next.Bio, s.now()
		return nil
	})
	return out, storeErr(err, "User not found.", msgUserExists)
}
