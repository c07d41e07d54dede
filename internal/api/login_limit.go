package api

import (
	"errors"
	"net/http"

	"github.com/instamern/gram/internal/gram"
)

// Failed logins are also counted per account (the normalised username),
// so that many IPs together cannot guess one account's password quickly.
// After LoginFails.Limit failures in a window the account answers 429
// until that window ends; the window always ends, so an attacker can slow
// a victim's logins but never lock the account for good. A correct
// password is not a failure. Unknown usernames are counted like known
// ones, so the 429 tells nothing about who has an account.

// loginLocked answers 429 and reports true when username has used up its
// failed logins. It does not count this attempt.
func (s *Server) loginLocked(w http.ResponseWriter, r *http.Request, username string) bool {
	rule := s.cfg.LoginFails
	if rule.Limit <= 0 || username == "" {
		return false
	}
	n, reset, err := s.limiter.Peek(r.Context(), loginFailKey(username), rule)
	if err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
		return false // fail open, as rateLimit does
	}
	if n < rule.Limit {
		return false
	}
	d := decision{limit: rule.Limit, reset: reset}
	return !s.answerLimit(w, r, d, "Too many failed logins for this account. Please try again in %d seconds.")
}

// countLoginFailure counts a failed login of username when err is a wrong
// username or password (not a refusal for another reason).
func (s *Server) countLoginFailure(r *http.Request, username string, err error) {
	if s.cfg.LoginFails.Limit <= 0 || username == "" || !errors.Is(err, gram.ErrBadLogin) {
		return
	}
	if _, _, _, err := s.limiter.Allow(r.Context(), loginFailKey(username), s.cfg.LoginFails); err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
	}
}

func loginFailKey(username string) string { return "loginfail:" + gram.NormalizeUsername(username) }

// resetMailLimited counts a password-reset request for email and answers
// 429 when the address has had ResetMails requests in the window, so that
// many IPs together cannot flood someone's inbox with reset mail. Every
// well-formed address is counted, with an account or without, so the 429
// tells nothing about who has an account; a malformed one is left to the
// service's validation.
func (s *Server) resetMailLimited(w http.ResponseWriter, r *http.Request, email string) bool {
	rule := s.cfg.ResetMails
	addr, valid := gram.NormalizeEmail(email)
	if rule.Limit <= 0 || !valid {
		return false
	}
	allowed, remaining, reset, err := s.limiter.Allow(r.Context(), "resetmail:"+addr, rule)
	if err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
		return false // fail open, as rateLimit does
	}
	if allowed {
		return false
	}
	d := decision{limit: rule.Limit, remaining: remaining, reset: reset}
	return !s.answerLimit(w, r, d, "Too many password reset emails for this address. Please try again in %d seconds.")
}
