package gram

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"
)

// ProfileByID returns the public profile of an active user.
func (s *Service) ProfileByID(ctx context.Context, id string) (*Profile, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "User not found.")
	}
	u, err := s.Store.UserByID(ctx, id)
	return s.profile(ctx, u, err)
}

// ProfileByUsername returns the public profile of an active user.
func (s *Service) ProfileByUsername(ctx context.Context, username string) (*Profile, error) {
	u, err := s.Store.UserByUsername(ctx, NormalizeUsername(username))
	return s.profile(ctx, u, err)
}

func (s *Service) profile(ctx context.Context, u *User, err error) (*Profile, error) {
	if err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	if !u.Active {
		return nil, Errorf(ENOTFOUND, "That user is no longer active.")
	}
	return s.fullProfile(ctx, u)
}

// fullProfile loads the lists shown with a user, each capped.
func (s *Service) fullProfile(ctx context.Context, u *User) (*Profile, error) {
	p := &Profile{User: u}
	var err error
	if p.Posts, err = s.Store.PostsByUser(ctx, u.ID, Page{Limit: s.cfg.ListCap}); err != nil {
		return nil, err
	}
	if p.Followers, err = s.Store.FollowerIDs(ctx, u.ID, s.cfg.ListCap); err != nil {
		return nil, err
	}
	if p.Followings, err = s.Store.FollowingIDs(ctx, u.ID, s.cfg.ListCap); err != nil {
		return nil, err
	}
	return p, nil
}

// CurrentUser returns the caller's own profile and newest notifications.
func (s *Service) CurrentUser(ctx context.Context, u *User) (*Profile, []*Notification, error) {
	p, err := s.fullProfile(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	n, err := s.Store.NotificationsFor(ctx, u.ID, s.cfg.ListCap)
	return p, n, err
}

// SearchLimit caps search results.
const SearchLimit = 20

// SearchUsers finds active users whose username contains term literally.
func (s *Service) SearchUsers(ctx context.Context, term string) ([]*User, error) {
	term = NormalizeUsername(term)
	if term == "" {
		return []*User{}, nil
	}
	if len(term) > 64 {
		term = truncate(term, 64)
	}
	return s.Store.SearchUsers(ctx, term, SearchLimit)
}

// SuggestUsers returns up to 5 random active users, leaving out the viewer
// (when logged in) and the people the viewer already follows.
func (s *Service) SuggestUsers(ctx context.Context, viewer *User) ([]*User, error) {
	const want = 5
	skip := map[string]bool{}
	if viewer != nil {
		skip[viewer.ID] = true
		ids, err := s.Store.FollowingIDs(ctx, viewer.ID, s.cfg.ListCap)
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
	cands, err := s.Store.SampleUsers(ctx, from, want+len(skip))
	if err != nil {
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
	oldest, err := s.Store.SampleUsers(ctx, "000000000000000000000000", 1)
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
