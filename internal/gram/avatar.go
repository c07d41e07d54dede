package gram

import (
	"bytes"
	"context"
	"io"
)

// storeImage processes an upload and stores it under the key that keyFor
// returns for the output's extension.
func (s *Service) storeImage(ctx context.Context, r io.Reader, kind ImageKind, keyFor func(ext string) string) (string, error) {
	img, err := s.Images.Process(ctx, r, kind)
	if err != nil {
		return "", err
	}
	key := keyFor(img.Ext)
	if err := s.Blobs.Put(ctx, key, bytes.NewReader(img.Data), int64(len(img.Data)), img.ContentType); err != nil {
		return "", blobErr(err)
	}
	return key, nil
}

// blobErr keeps a store's client-safe *Error and hides anything else
// behind a clear "unavailable" message.
func blobErr(err error) error {
	if ErrorCode(err) != EINTERNAL {
		return err
	}
	return &Error{Code: EUNAVAILABLE, Message: "Media storage is unavailable. Please try again later."}
}

// deleteBlob removes an object in the background of a finished change;
// a failure leaves an orphan for the sweep and is logged.
func (s *Service) deleteBlob(ctx context.Context, key string) {
	if key == "" {
		return
	}
	ctx, cancel := detach(ctx)
	defer cancel()
	if err := s.Blobs.Delete(ctx, key); err != nil {
		s.Log.ErrorContext(ctx, "delete media", "key", key, "err", err)
	}
}

// SetAvatar replaces u's profile photo. The new image gets a new key, so
// browsers never show a stale cached photo; the old object is deleted.
func (s *Service) SetAvatar(ctx context.Context, u *User, r io.Reader) (*User, error) {
	key, err := s.storeImage(ctx, r, ImageAvatar, func(ext string) string { return avatarKey(u.ID, NewID(s.now()), ext) })
	if err != nil {
		return nil, err
	}
	var old string
	out, err := s.Store.UpdateUser(ctx, u.ID, func(u *User) error {
		old, u.PhotoKey, u.UpdatedAt = u.PhotoKey, key, s.now()
		return nil
	})
	if err != nil {
		s.deleteBlob(ctx, key) // no orphan for a failed update
		return nil, storeErr(err, "User not found.")
	}
	s.deleteBlob(ctx, old)
	return out, nil
}

// RemoveAvatar clears u's profile photo. It reports whether there was one.
func (s *Service) RemoveAvatar(ctx context.Context, u *User) (bool, error) {
	var old string
	_, err := s.Store.UpdateUser(ctx, u.ID, func(u *User) error {
		old, u.PhotoKey, u.UpdatedAt = u.PhotoKey, "", s.now()
		return nil
	})
	if err != nil {
		return false, storeErr(err, "User not found.")
	}
	s.deleteBlob(ctx, old)
	return old != "", nil
}
