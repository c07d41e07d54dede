package api

import (
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

func (s *Server) handleSuggestUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.svc.SuggestUsers(r.Context(), currentUser(r.Context()))
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(users)), Data: map[string]any{"users": s.userCards(r.Context(), users)}})
}

func (s *Server) handleUserByID(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.ProfileByID(r.Context(), currentUser(r.Context()), r.PathValue("id"))
	return s.writeProfile(w, r, p, err)
}

func (s *Server) handleUserByUsername(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.ProfileByUsername(r.Context(), currentUser(r.Context()), r.PathValue("username"))
	return s.writeProfile(w, r, p, err)
}

func (s *Server) writeProfile(w http.ResponseWriter, r *http.Request, p *gram.Profile, err error) error {
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"user": s.profileView(r.Context(), p)}})
}

func (s *Server) handleSearchUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.svc.SearchUsers(r.Context(), currentUser(r.Context()), r.PathValue("username"))
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Results: count(len(users)), Data: map[string]any{"users": s.userCards(r.Context(), users)}})
}

func (s *Server) handleCurrentUser(w http.ResponseWriter, r *http.Request) error {
	me, err := s.me(r, currentUser(r.Context()))
	if err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Data: map[string]any{"user": me}})
}

// me builds the caller's own view of u.
func (s *Server) me(r *http.Request, u *gram.User) (meView, error) {
	p, notes, err := s.svc.CurrentUser(r.Context(), u)
	if err != nil {
		return meView{}, err
	}
	return s.meView(r.Context(), p, notes), nil
}

// answerWithToken writes the success envelope of the token-issuing
// endpoints: message, token (also set as the cookie) and data.user.
func (s *Server) answerWithToken(w http.ResponseWriter, r *http.Request, status int, msg string, u *gram.User, ss *gram.Session) error {
	me, err := s.me(r, u)
	if err != nil {
		return err
	}
	tok, err := s.issue(w, ss)
	if err != nil {
		return err
	}
	return ok(w, status, envelope{Message: msg, Token: tok, Data: map[string]any{"user": me}})
}

func (s *Server) client(r *http.Request) gram.Client {
	return gram.Client{UserAgent: r.UserAgent(), IP: s.clientIP(r)}
}

func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Firstname       string `json:"firstname"`
		Lastname        string `json:"lastname"`
		Username        string `json:"username"`
		Email           string `json:"email"`
		Password        string `json:"password"`
		PasswordConfirm string `json:"passwordConfirm"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u, ss, err := s.svc.Signup(r.Context(), gram.SignupInput(in), s.client(r))
	if err != nil {
		return err
	}
	return s.answerWithToken(w, r, http.StatusCreated, "You've signed up successfully. Welcome to InstaMERN!", u, ss)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if err := s.loginLimit(w, r, in.Username); err != nil {
		return err
	}
	u, ss, err := s.svc.Login(r.Context(), in.Username, in.Password, s.client(r))
	s.countLoginFailure(r, in.Username, err)
	if err != nil {
		return err
	}
	return s.answerWithToken(w, r, http.StatusOK, "Welcome back "+u.Username+"!", u, ss)
}

func (s *Server) handleForgotPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if err := s.resetMailLimit(w, r, in.Email); err != nil {
		return err
	}
	// The lookup and the mail run once the answer is out: the answer costs
	// the same whether or not the address has an account.
	ctx, release := gram.HoldOffPath(r.Context())
	defer release()
	if err := s.svc.ForgotPassword(ctx, in.Email); err != nil {
		return err
	}
	err := ok(w, http.StatusOK, envelope{Message: "If an account uses that email address, a password reset link has been sent to it."})
	_ = http.NewResponseController(w).Flush()
	return err
}

func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password        string `json:"password"`
		PasswordConfirm string `json:"passwordConfirm"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u, ss, err := s.svc.ResetPassword(r.Context(), r.PathValue("token"), in.Password, in.PasswordConfirm, s.client(r))
	if err != nil {
		return err
	}
	return s.answerWithToken(w, r, http.StatusOK, "Your password has been updated successfully.", u, ss)
}

// handleLogout always answers 200 JSON (the client requires it) and ends
// the presented session when the token is valid.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if _, ss, err := s.authenticate(r); err == nil {
		if err := s.svc.Logout(r.Context(), ss.ID); err != nil {
			return err
		}
	}
	s.clearCookie(w)
	return ok(w, http.StatusOK, envelope{Message: "You're logged out successfully.", Data: nullData{}})
}

// updatable are the fields a profile update may carry.
var updatable = map[string]bool{"firstname": true, "lastname": true, "username": true, "bio": true}

func (s *Server) handleUpdateProfile(w http.ResponseWriter, r *http.Request) error {
	var raw map[string]any
	if err := s.decodeBody(w, r, &raw); err != nil {
		return err
	}
	for k := range raw {
		if !updatable[k] {
			return gram.Errorf(gram.EINVALID, "You cannot update these fields.")
		}
	}
	var in struct {
		Firstname *string `json:"firstname"`
		Lastname  *string `json:"lastname"`
		Username  *string `json:"username"`
		Bio       *string `json:"bio"`
	}
	if err := redecode(raw, &in); err != nil {
		return err
	}
	if _, err := s.svc.UpdateProfile(r.Context(), currentUser(r.Context()), gram.ProfileUpdate(in)); err != nil {
		return err
	}
	return ok(w, http.StatusOK, envelope{Message: "Your profile has been updated successfully."})
}

func (s *Server) handleChangeEmail(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CurrentPassword string `json:"currentPassword"`
		Email           string `json:"email"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u, err := s.svc.ChangeEmail(r.Context(), currentUser(r.Context()), in.CurrentPassword, in.Email)
	if err != nil {
		return err
	}
	// The address changes only once the link mailed to it is followed;
	// the shape (status, message, token, data.user) stays the contract's.
	return s.answerWithToken(w, r, http.StatusOK, "We've sent a confirmation link to your new email address. "+
		"Your email address changes once you follow it.", u, currentSession(r.Context()))
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CurrentPassword string `json:"currentPassword"`
		Password        string `json:"password"`
		PasswordConfirm string `json:"passwordConfirm"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	ss := currentSession(r.Context())
	u, err := s.svc.ChangePassword(r.Context(), currentUser(r.Context()), ss.ID, in.CurrentPassword, in.Password, in.PasswordConfirm)
	if err != nil {
		return err
	}
	return s.answerWithToken(w, r, http.StatusOK, "Your password has been updated successfully.", u, ss)
}

func (s *Server) handleDeactivate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CurrentPassword string `json:"currentPassword"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if err := s.svc.Deactivate(r.Context(), currentUser(r.Context()), in.CurrentPassword); err != nil {
		return err
	}
	s.clearCookie(w)
	return ok(w, http.StatusOK, envelope{Message: "Your account has been deactivated successfully. To activate again, please login."})
}

func (s *Server) handleDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CurrentPassword string `json:"currentPassword"`
	}
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if err := s.svc.DeleteAccount(r.Context(), currentUser(r.Context()), in.CurrentPassword); err != nil {
		return err
	}
	s.clearCookie(w)
	return ok(w, http.StatusOK, envelope{Message: "Your account has been deleted.", Data: nullData{}})
}
