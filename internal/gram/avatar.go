package gram

import (
	"context"
	"io"
)

// SetAvatar replaces u's profile photo. The new image gets a new key, so
// browsers never show a stale cached photo; the old object is deleted.
func (s *Service) SetAvatar(ctx context.Context, u *User, r io.Reader) (*User, error) {
	key, err := s.storeImage(ctx, r, ImageAvatar, func(ext string) string { return avatarKey(u.ID, NewID(s.now()), ext) })
	if err != nil {
		return nil, err
	}
	var old string
	out, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error {
		old, u.PhotoKey, u.UpdatedAt = u.PhotoKey, key, s.now()
		return nil
	})
	if err != nil {
		s.discardUpload(ctx, key) // no orphan for a failed update
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	s.removeQueued(ctx, old)
	return out, nil
}

// RemoveAvatar clears u's profile photo. It reports whether there was one.
func (s *Service) RemoveAvatar(ctx context.Context, u *User) (bool, error) {
	var old string
	_, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error {
		old, u.PhotoKey, u.UpdatedAt = u.PhotoKey, "", s.now()
		return nil
	})
	if err != nil {
		return false, storeErr(err, "User not found.", msgUserExists)
	}
	s.removeQueued(ctx, old)
	return old != "", nil
}
