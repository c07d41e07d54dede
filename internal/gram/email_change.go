package gram

import (
	"context"
	"errors"
)

// ConfirmEmailPath is the API path of an email-change confirmation link,
// followed by the token.
const ConfirmEmailPath = "/instamern/users/confirm-email/"

// msgEmailChangeExists answers a pending change the store already has.
const msgEmailChangeExists = "This email change already exists."

// ChangeEmail asks for a new address after checking the password: it
// stores the change as pending and mails a confirmation link to the new
// address and a notice to the old one. The address changes only when the
// link is followed (ConfirmEmail), so nobody can move an account to an
// address they do not receive mail at. The caller's session stays valid.
// It returns the user, unchanged.
func (s *Service) ChangeEmail(ctx context.Context, u *User, current, email string) (*User, error) {
	if current == "" {
		return nil, Errorf(EINVALID, "Please confirm your current password.")
	}
	if err := s.checkPassword(ctx, u, current, Errorf(EUNAUTHORIZED, "Your current password doesn't match.")); err != nil {
		return nil, err
	}
	if email == "" {
		return nil, Errorf(EINVALID, "Please set your new email address.")
	}
	email, ok := NormalizeEmail(email)
	if !ok {
		return nil, Errorf(EINVALID, "Please type a valid email address.")
	}
	if email == u.Email {
		return nil, Errorf(EINVALID, "That email address is already the same as the existing one.")
	}
	if err := s.emailFree(ctx, email); err != nil {
		return nil, err
	}
	if err := s.checkDeliverable(ctx, email); err != nil {
		return nil, err
	}
	token := randomHex(32)
	confirm, err := s.outboxMailTo(MailEmailConfirm, email, u, MailData{NewEmail: email, Link: s.cfg.PublicURL + ConfirmEmailPath + token, Expires: s.cfg.ConfirmTTL})
	if err != nil {
		return nil, err
	}
	notice, err := s.outboxMailTo(MailEmailChanging, u.Email, u, MailData{NewEmail: email, Link: s.cfg.ClientURL + "/"})
	if err != nil {
		return nil, err
	}
	c := EmailChange{UserID: u.ID, NewEmail: email, TokenHash: sha256Hex(token), ExpiresAt: s.now().Add(s.cfg.ConfirmTTL)}
	if err := s.store.SetEmailChange(ctx, c, confirm, notice); err != nil {
		return nil, storeErr(err, "User not found.", msgEmailChangeExists)
	}
	s.mailQueued()
	return u, nil
}

// emailFree fails with a conflict if an account has email.
func (s *Service) emailFree(ctx context.Context, email string) error {
	_, err := s.store.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return Errorf(ECONFLICT, "%s", msgUserExists)
	case errors.Is(err, ErrNotFound):
		return nil
	}
	return err
}

// ConfirmEmail applies the pending change whose link carried token, once,
// and tells the old address. It fails if the link has expired or was used,
// or if another account has taken the address since it was asked for.
func (s *Service) ConfirmEmail(ctx context.Context, token string) (*User, error) {
	if len(token) > 128 {
		return nil, Errorf(ENOTFOUND, "%s", msgConfirmBroken)
	}
	u, err := s.store.ConfirmEmailChange(ctx, sha256Hex(token), s.now(), func(u *User, email string) (*OutboxMail, error) {
		old := u.Email
		u.Email, u.UpdatedAt = email, s.now()
		return s.outboxMailTo(MailEmailChanged, old, u, MailData{NewEmail: email, Link: s.cfg.ClientURL + "/"})
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, Errorf(ENOTFOUND, "%s", msgConfirmBroken)
	case errors.Is(err, ErrConflict):
		return nil, Errorf(ECONFLICT, "Another account uses that email address now. Please change your email address again.")
	case err != nil:
		return nil, err
	}
	s.mailQueued()
	return u, nil
}

const msgConfirmBroken = "The email confirmation link has expired or has broken. Please change your email address again."
