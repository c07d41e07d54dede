package gram

import (
	"context"
	"errors"
)

// ForgotPassword emails a reset link to the account with that address.
// The answer is the same whether or not such an account exists, and so is
// the work done before it: past validation, the lookup, the token and the
// mail happen off the request path (see Wait), so neither the answer nor
// its timing tells who has an account. A failure there is logged.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	if email == "" {
		return Errorf(EINVALID, "Please type your email address to reset your password.")
	}
	email, ok := NormalizeEmail(email)
	if !ok {
		return Errorf(EINVALID, "Please type a valid email address.")
	}
	started := s.offPath.start(ctx, func(ctx context.Context) {
		if err := s.sendResetLink(ctx, email); err != nil {
			s.log.ErrorContext(ctx, "forgot password: reset link not queued", "err", err)
		}
	})
	if !started {
		return Errorf(EUNAVAILABLE, "Too many password reset requests right now. Please try again in a minute.")
	}
	return nil
}

// sendResetLink gives the account with that address a new reset token and
// queues the link to it; an unknown address is nothing to do.
func (s *Service) sendResetLink(ctx context.Context, email string) error {
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	token := randomHex(32)
	m, err := s.outboxMail(MailPasswordReset, u, MailData{Link: s.cfg.ClientURL + "/reset-password/" + token, Expires: s.cfg.ResetTTL})
	if err != nil {
		return err
	}
	r := PasswordReset{UserID: u.ID, TokenHash: sha256Hex(token), ExpiresAt: s.now().Add(s.cfg.ResetTTL)}
	if err := s.store.SetPasswordReset(ctx, r, m); err != nil {
		return err
	}
	s.mailQueued()
	return nil
}

// ResetPassword sets a new password with a reset token, ends every session
// of the account and starts a new one. The token works once. Like login,
// it reactivates a deactivated account: otherwise the session it starts
// would be refused at once.
func (s *Service) ResetPassword(ctx context.Context, token, password, confirm string, c Client) (*User, *Session, error) {
	var p problems
	p.checkPassword(password, confirm, "", "") // the account is known only inside the transaction
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.ResetPassword(ctx, sha256Hex(token), s.now(), func(u *User) error {
		if u.Suspended() { // the token stays unused: no session, no reactivation
			return ErrSuspended
		}
		if msg := passwordContentProblem(password, u.Username, u.Email); msg != "" {
			return Errorf(EINVALID, "%s", msg) // rolls back: the token stays usable
		}
		u.PasswordHash, u.Active, u.UpdatedAt = hash, true, s.now()
		return nil
	})
	if err != nil {
		return nil, nil, storeErr(err, "The password reset link has expired or has broken. Please try again later.", msgUserExists)
	}
	if err := s.store.RevokeUserSessions(ctx, u.ID, ""); err != nil {
		return nil, nil, err
	}
	// Whoever asked for a pending email change may have had the old
	// password: the notice of the change tells the owner to reset it.
	if err := s.store.CancelEmailChange(ctx, u.ID); err != nil {
		return nil, nil, err
	}
	s.notice(ctx, MailPasswordChanged, u.Email, u, MailData{Link: s.cfg.ClientURL + "/"})
	ss, err := s.newSession(ctx, u.ID, c)
	return u, ss, err
}
