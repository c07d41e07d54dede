package gram

import "context"

// ChangePassword replaces the password after checking the current one.
// Every other session of the account ends; the caller's stays valid, so
// the unchanged client (which ignores the new token) stays logged in.
func (s *Service) ChangePassword(ctx context.Context, u *User, sessionID, current, password, confirm string) (*User, error) {
	switch {
	case current == "":
		return nil, Errorf(EINVALID, "Please confirm your current password.")
	case password == "" || confirm == "":
		return nil, Errorf(EINVALID, "Please set your new password.")
	}
	if err := s.checkPassword(ctx, u, current, Errorf(EUNAUTHORIZED, "Your current password doesn't match.")); err != nil {
		return nil, err
	}
	if password == current {
		return nil, Errorf(ECONFLICT, "Your new password cannot be the same as your previous password.")
	}
	var p problems
	p.checkPassword(password, confirm, u.Username, u.Email)
	if err := p.err(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	u, err = s.store.UpdateUser(ctx, u.ID, func(u *User) error { u.PasswordHash, u.UpdatedAt = hash, s.now(); return nil })
	if err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	if err := s.store.RevokeUserSessions(ctx, u.ID, sessionID); err != nil {
		return nil, err
	}
	if err := s.store.CancelEmailChange(ctx, u.ID); err != nil { // as ResetPassword does
		return nil, err
	}
	s.notice(ctx, MailPasswordChanged, u.Email, u, MailData{Link: s.cfg.ClientURL + "/"})
	return u, nil
}

// Deactivate hides the account until its next login and ends its sessions.
func (s *Service) Deactivate(ctx context.Context, u *User, current string) error {
	if !u.Active {
		return Errorf(EINVALID, "Your account is already inactive.")
	}
	if current == "" {
		return Errorf(EINVALID, "Please confirm your password.")
	}
	if err := s.checkPassword(ctx, u, current, Errorf(EUNAUTHORIZED, "Password doesn't match.")); err != nil {
		return err
	}
	if _, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error { u.Active, u.UpdatedAt = false, s.now(); return nil }); err != nil {
		return storeErr(err, "User not found.", msgUserExists)
	}
	return s.store.RevokeUserSessions(ctx, u.ID, "")
}

// DeleteAccount deletes the account, everything in it, and its media.
func (s *Service) DeleteAccount(ctx context.Context, u *User, current string) error {
	if current == "" {
		return Errorf(EINVALID, "Please confirm your password.")
	}
	if err := s.checkPassword(ctx, u, current, Errorf(EUNAUTHORIZED, "Password doesn't match.")); err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, u.ID); err != nil {
		return storeErr(err, "Not found user to delete.", msgUserExists)
	}
	// The rows are gone and the media is queued; it goes now, or later.
	s.removeQueued(ctx, UserPrefix(u.ID))
	return nil
}
