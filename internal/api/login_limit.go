package api

import (
	"errors"
	"net/http"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

// logins counts failed logins per account (ratelimit.Logins): unknown
// usernames are counted like known ones, so the 429 tells nothing about
// who has an account.
func (s *Server) logins() ratelimit.Logins {
	return ratelimit.Logins{Limiter: s.limiter, Rule: s.cfg.LoginFails, Scope: "account"}
}

// loginLimit counts this attempt on username and returns a 429 when the
// account has used up its failed logins.
func (s *Server) loginLimit(w http.ResponseWriter, r *http.Request, username string) error {
	if username == "" {
		return nil
	}
	d, err := s.logins().Attempt(r.Context(), gram.NormalizeUsername(username))
	if err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
		return nil // fail open, as rateLimit does
	}
	if d.Allowed {
		return nil
	}
	return limitError(w, d, "Too many failed logins for this account. Please try again in %d seconds.")
}

// countLoginFailure settles the attempt loginLimit counted: unless the
// password was right (a login, or the refusal of a suspended account), it
// stays a failure.
func (s *Server) countLoginFailure(r *http.Request, username string, err error) {
	if username == "" || (err != nil && !errors.Is(err, gram.ErrSuspended)) {
		return
	}
	if err := s.logins().Succeeded(r.Context(), gram.NormalizeUsername(username)); err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
	}
}

// resetMailLimit counts a password-reset request for email and returns a
// 429 when the address has had ResetMails requests in the window, so that
// many IPs together cannot flood someone's inbox with reset mail. Every
// well-formed address is counted, with an account or without, so the 429
// tells nothing about who has an account; a malformed one is left to the
// service's validation.
func (s *Server) resetMailLimit(w http.ResponseWriter, r *http.Request, email string) error {
	rule := s.cfg.ResetMails
	addr, valid := gram.NormalizeEmail(email)
	if rule.Limit <= 0 || !valid {
		return nil
	}
	d, err := ratelimit.Decide(r.Context(), s.limiter, rule, "resetmail:"+addr)
	if err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
		return nil // fail open, as rateLimit does
	}
	if d.Allowed {
		return nil
	}
	return limitError(w, d, "Too many password reset emails for this address. Please try again in %d seconds.")
}
