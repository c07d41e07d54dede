package api

import (
	"errors"
	"net/http"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/ratelimit"
)

// A login attempt is counted three ways, so that one client cannot try
// many passwords while the others behind its IP (a school, an office
// NAT) keep logging in:
//   - per IP and account (LoginLimit): every attempt, so one IP hammering
//     one account spends that account's budget only;
//   - per account, any IP (LoginFails): failures, so many IPs together
//     cannot guess one password quickly;
//   - per IP, any account (LoginIPFails): failures, so one IP cannot try
//     a few passwords on every account. An account's own failures stop at
//     LoginFails, so with LoginIPFails above that, one account hammered
//     cannot use it up.
//
// Unknown usernames are counted like known ones, so a 429 tells nothing
// about who has an account.

// loginLimits are the two failure counts.
func (s *Server) loginLimits() (byAccount, byIP ratelimit.Logins) {
	return ratelimit.Logins{Limiter: s.limiter, Rule: s.cfg.LoginFails, Scope: "account"},
		ratelimit.Logins{Limiter: s.limiter, Rule: s.cfg.LoginIPFails, Scope: "ip"}
}

// loginLimit counts this attempt on username from the client's IP and
// returns a 429 when one of the three counts refuses it.
func (s *Server) loginLimit(w http.ResponseWriter, r *http.Request, username string) error {
	ip, account := ipLimitKey(s.clientIP(r)), gram.NormalizeUsername(username)
	if rule := s.cfg.LoginLimit; rule.Limit > 0 {
		d, err := ratelimit.Decide(r.Context(), s.limiter, rule, "login:"+ip+":"+ratelimit.KeyPart(account))
		if err != nil {
			s.warnLimiter(r, err)
		} else if err := s.limitError(w, "login", d, msgTooMany); err != nil {
			return err
		}
	}
	if username == "" {
		return nil
	}
	byAccount, byIP := s.loginLimits()
	if err := s.loginAttempt(w, r, byAccount, account, "Too many failed logins for this account."); err != nil {
		return err
	}
	if err := s.loginAttempt(w, r, byIP, ip, "Too many failed logins from your network."); err != nil {
		s.warnLimiter(r, byAccount.Succeeded(r.Context(), account)) // no password was tried
		return err
	}
	return nil
}

// loginAttempt counts an attempt on subject with g and returns the 429
// (msg, then how long to wait) when g refuses it.
func (s *Server) loginAttempt(w http.ResponseWriter, r *http.Request, g ratelimit.Logins, subject, msg string) error {
	d, err := g.Attempt(r.Context(), subject)
	if err != nil {
		s.warnLimiter(r, err)
		return nil // fail open, as rateLimit does
	}
	if d.Allowed {
		return nil
	}
	return s.limitError(w, "login_"+g.Scope, d, msg+" Please try again in %d seconds.")
}

// countLoginFailure settles the attempts loginLimit counted: unless the
// password was right (a login, or the refusal of a suspended account),
// they stay failures.
func (s *Server) countLoginFailure(r *http.Request, username string, err error) {
	if username == "" || (err != nil && !errors.Is(err, gram.ErrSuspended)) {
		return
	}
	byAccount, byIP := s.loginLimits()
	s.warnLimiter(r, byAccount.Succeeded(r.Context(), gram.NormalizeUsername(username)))
	s.warnLimiter(r, byIP.Succeeded(r.Context(), ipLimitKey(s.clientIP(r))))
}

// warnLimiter logs a limiter's error, if any: the request goes on.
func (s *Server) warnLimiter(r *http.Request, err error) {
	if err != nil {
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
		s.warnLimiter(r, err)
		return nil // fail open, as rateLimit does
	}
	if d.Allowed {
		return nil
	}
	return s.limitError(w, "reset_mail", d, "Too many password reset emails for this address. Please try again in %d seconds.")
}
