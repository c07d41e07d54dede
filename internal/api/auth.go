package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/instamern/gram/internal/gram"
)

const cookieName = "jsonwebtoken"

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
	requestIDKey
)

// currentUser returns the authenticated user of the request, or nil.
func currentUser(ctx context.Context) *gram.User {
	u, _ := ctx.Value(userKey).(*gram.User)
	return u
}

// currentSession returns the session of the request, or nil.
func currentSession(ctx context.Context) *gram.Session {
	ss, _ := ctx.Value(sessionKey).(*gram.Session)
	return ss
}

// bearer extracts the token: the Authorization header first, then the
// cookie. fromCookie tells which. The client sends "Bearer null" and
// "Bearer undefined" when it has no token; those count as a bad token.
func bearer(r *http.Request) (token string, fromCookie, present bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
			return "", false, false
		}
		return strings.TrimSpace(h[7:]), false, true
	}
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		return c.Value, true, true
	}
	return "", false, false
}

// authenticate resolves the request's token to a user and session.
func (s *Server) authenticate(r *http.Request) (*gram.User, *gram.Session, error) {
	raw, fromCookie, present := bearer(r)
	if !present {
		return nil, nil, gram.ErrNotLoggedIn
	}
	// A cookie rides along on cross-site requests; for state changes only
	// trust it from an allowed origin (CSRF).
	if fromCookie && !safeMethod(r.Method) && !s.originAllowed(r.Header.Get("Origin")) {
		return nil, nil, gram.ErrNotLoggedIn
	}
	v := s.verifyToken(r, raw)
	if v.err != nil {
		return nil, nil, v.err
	}
	if v.legacy != nil {
		sid, err := s.svc.LegacySession(r.Context(), raw, v.userID, v.legacy.issued, v.legacy.expires, s.client(r))
		if err != nil {
			return nil, nil, err
		}
		v.sessionID = sid
	}
	return s.svc.Authenticate(r.Context(), v.userID, v.sessionID)
}

// requireUser serves h only for an authenticated request.
func (s *Server) requireUser(h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		u, ss, err := s.authenticate(r)
		if err != nil {
			return err
		}
		return h(w, withUser(r, u, ss))
	})
}

// optionalUser serves h with the user when the request is authenticated,
// and anonymously otherwise.
func (s *Server) optionalUser(h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if u, ss, err := s.authenticate(r); err == nil {
			r = withUser(r, u, ss)
		}
		return h(w, r)
	})
}

// withUser returns r carrying its user and session.
func withUser(r *http.Request, u *gram.User, ss *gram.Session) *http.Request {
	return r.WithContext(context.WithValue(context.WithValue(r.Context(), userKey, u), sessionKey, ss))
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// issue signs a token for ss and sets it as the cookie too.
func (s *Server) issue(w http.ResponseWriter, ss *gram.Session) (string, error) {
	tok, err := s.tokens.sign(ss)
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: tok, Path: "/", Expires: ss.ExpiresAt,
		HttpOnly: true, Secure: s.cfg.Production || s.cfg.TLS, SameSite: s.cookieSameSite(),
	})
	return tok, nil
}

// clearCookie expires the cookie with the same attributes it was set with,
// so that browsers accept the clearing cross-site too.
func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Production || s.cfg.TLS, SameSite: s.cookieSameSite(),
	})
}

// cookieSameSite is None in production (the client is on another site,
// which requires Secure) and Lax in development over plain HTTP.
func (s *Server) cookieSameSite() http.SameSite {
	if s.cfg.Production {
		return http.SameSiteNoneMode
	}
	return http.SameSiteLaxMode
}
