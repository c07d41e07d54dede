package gram

import (
	"context"
	"errors"
	"time"
)

// SignupInput is the signup form.
type SignupInput struct {
	Firstname, Lastname, Username, Email, Password, PasswordConfirm string
}

// Signup validates the form, creates the account with a welcome email in
// the outbox, and logs the new user in.
func (s *Service) Signup(ctx context.Context, in SignupInput, c Client) (*User, *Session, error) {
	u, err := s.newAccount(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	welcome, err := s.outboxMail(MailWelcome, u, MailData{Link: s.cfg.ClientURL + "/"})
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.CreateUser(ctx, u, welcome); err != nil {
		return nil, nil, storeErr(err, "User not found.", msgUserExists)
	}
	s.mailQueued()
	ss, err := s.newSession(ctx, u.ID, c)
	return u, ss, err
}

// newAccount validates the signup form and returns the user to create,
// with a hashed password and a new id: the rules of every new account.
func (s *Service) newAccount(ctx context.Context, in SignupInput) (*User, error) {
	u := &User{
		Firstname: CleanLine(in.Firstname),
		Lastname:  CleanLine(in.Lastname),
		Username:  NormalizeUsername(in.Username),
		Role:      RoleUser,
		Active:    true,
	}
	var p problems
	p.checkLen(u.Firstname, "Firstname", NameMin, NameMax)
	p.checkLen(u.Lastname, "Lastname", NameMin, NameMax)
	p.checkUsername(u.Username)
	email, ok := NormalizeEmail(in.Email)
	switch {
	case email == "":
		p.add("Email address is required.")
	case !ok:
		p.add("Invalid email address.")
	}
	if !ok {
		email = "" // not an address: no local part to keep out of the password
	}
	p.checkPassword(in.Password, in.PasswordConfirm, u.Username, email)
	if err := p.err(); err != nil {
		return nil, err
	}
	u.Email = email
	if err := s.checkDeliverable(ctx, email); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u.ID, u.PasswordHash, u.CreatedAt, u.UpdatedAt = NewID(now), hash, now, now
	return u, nil
}

// Login checks a username and password and starts a session. A
// deactivated account is reactivated, as the deactivation message promises.
// Unknown users and wrong passwords get the same answer.
func (s *Service) Login(ctx context.Context, username, password string, c Client) (*User, *Session, error) {
	username = NormalizeUsername(username)
	if username == "" || password == "" {
		return nil, nil, Errorf(EINVALID, "Please type your username and password.")
	}
	u, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, ErrNotFound) {
		// Spend the same time as a real check, so timing does not tell.
		_, _ = s.hasher.Hash(ctx, password)
		return nil, nil, ErrBadLogin
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkPassword(ctx, u, password, ErrBadLogin); err != nil {
		return nil, nil, err
	}
	// Only after the password: the refusal tells who is suspended.
	if u.Suspended() {
		return nil, nil, ErrSuspended
	}
	if !u.Active {
		u, err = s.store.UpdateUser(ctx, u.ID, func(u *User) error { u.Active = true; return nil })
		if err != nil {
			return nil, nil, err
		}
	}
	ss, err := s.newSession(ctx, u.ID, c)
	return u, ss, err
}

// ErrBadLogin is the one answer to an unknown username or a wrong password.
var ErrBadLogin = Errorf(EUNAUTHORIZED, "Incorrect username or password.")

// checkPassword verifies password against u's hash and, on success,
// upgrades a legacy hash. It returns wrong when the password does not match.
func (s *Service) checkPassword(ctx context.Context, u *User, password string, wrong error) error {
	ok, upgrade, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return wrong
	}
	if upgrade {
		hash, err := s.hasher.Hash(ctx, password)
		if err != nil {
			return err
		}
		if _, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error { u.PasswordHash = hash; return nil }); err != nil {
			return err
		}
		u.PasswordHash = hash
	}
	return nil
}

// Unauthenticated messages, as the original words them.
var (
	ErrNotLoggedIn = Errorf(EUNAUTHORIZED, "You're not logged in. Please login.")
	ErrAuthFailed  = Errorf(EUNAUTHORIZED, "Authorization failed. Please login.")
	ErrExpired     = Errorf(EUNAUTHORIZED, "Your session has expired. Please login again.")
	// ErrSessionEnded: the token is genuine (only the server signs them)
	// but its session is gone: logged out, revoked, or ended by a
	// password change or reset.
	ErrSessionEnded = Errorf(EUNAUTHORIZED, "Your session has ended. Please login again.")
)

// Authenticate resolves the session a verified token names. The session
// must exist, belong to userID and be unexpired, and the user must be
// active (a suspended user's tokens get ErrSuspended, should one outlive
// the revocation that came with the suspension). LastUsed is refreshed at most once a minute.
func (s *Service) Authenticate(ctx context.Context, userID, sessionID string) (*User, *Session, error) {
	ss, err := s.store.SessionByID(ctx, sessionID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, ErrSessionEnded
	}
	if err == nil && ss.UserID != userID {
		return nil, nil, ErrAuthFailed
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !now.Before(ss.ExpiresAt) {
		return nil, nil, ErrExpired
	}
	u, err := s.store.UserByID(ctx, userID)
	if err == nil && u.Suspended() {
		return nil, nil, ErrSuspended
	}
	if errors.Is(err, ErrNotFound) || (err == nil && !u.Active) {
		return nil, nil, ErrNotLoggedIn
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(ss.LastUsed) > time.Minute {
		if err := s.store.TouchSession(ctx, ss.ID, now); err != nil {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return u, ss, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, sessionID string) error {
	return s.store.RevokeSession(ctx, sessionID)
}
