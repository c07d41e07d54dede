package gram

import (
	"context"
	"errors"
)

// msgFollowExists answers a follow the store already has.
const msgFollowExists = "You already follow this user."

// Follow makes u follow the active user with that username and returns
// them; a repeat is not an error and does not notify again. Following a
// private account that u does not follow yet asks its owner instead
// (requested is true), until the owner approves. Neither of two accounts
// that a block separates can follow the other.
func (s *Service) Follow(ctx context.Context, u *User, username string) (t *User, requested bool, err error) {
	t, err = s.followTarget(ctx, u, username)
	if err != nil {
		return nil, false, err
	}
	r, err := s.Relation(ctx, u, t)
	if err != nil {
		return nil, false, err
	}
	if !r.CanFollow() {
		return nil, false, interactErr(r, "User not found.")
	}
	now := s.now()
	if r.FollowNeedsApproval() {
		_, err = s.store.RequestFollow(ctx, u.ID, t.ID, now)
		return t, true, storeErr(err, "User not found.", msgFollowExists)
	}
	n := &Notification{ID: NewID(now), RecipientID: t.ID, ActorID: u.ID, Kind: NotifyFollow, CreatedAt: now}
	_, err = s.store.Follow(ctx, u.ID, t.ID, now, n)
	return t, false, storeErr(err, "User not found.", msgFollowExists)
}

// Unfollow stops u following the user, and withdraws u's pending request
// to follow them; not following is not an error.
func (s *Service) Unfollow(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.followTarget(ctx, u, username)
	if err != nil {
		if errors.Is(err, errSelfFollow) {
			return nil, Errorf(EINVALID, "You cannot unfollow yourself.")
		}
		return nil, err
	}
	if gone, err := s.store.Unfollow(ctx, u.ID, t.ID); err != nil || gone {
		return t, err
	}
	_, err = s.store.DeleteFollowRequest(ctx, u.ID, t.ID)
	return t, err
}

var errSelfFollow = Errorf(EINVALID, "You cannot follow yourself.")

func (s *Service) followTarget(ctx context.Context, u *User, username string) (*User, error) {
	username = NormalizeUsername(username)
	if username == u.Username {
		return nil, errSelfFollow
	}
	t, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	if !t.Active {
		return nil, Errorf(ENOTFOUND, "That user is no longer active.")
	}
	return t, nil
}
