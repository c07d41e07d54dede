package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/instamern/gram/internal/gram"
)

// Failed logins are also counted per account (the normalised username),
// so that many IPs together cannot guess one account's password quickly.
// After LoginFails.Limit failures in a window the account answers 429
// until that window ends; the window always ends, so an attacker can slow
// a victim's logins but never lock the account for good. A correct
// password is not a failure. Unknown usernames are counted like known
// ones, so the 429 tells nothing about who has an account.

// loginLocked counts this attempt on username and answers 429 (reporting
// true) when the account has used up its failed logins. The attempt is
// counted before the password is checked, with the limiter's atomic
// increment: a check that only peeked and counted failures afterwards let
// guesses sent at once all pass it. Attempts that turn out not to be
// failures (the password was right) are counted on a second key
// (countLoginFailure) and allowed on top of the limit.
func (s *Server) loginLocked(w http.ResponseWriter, r *http.Request, username string) bool {
	rule := s.cfg.LoginFails
	if rule.Limit <= 0 || username == "" {
		return false
	}
	key := loginFailKey(username)
	good, _, err := s.limiter.Peek(r.Context(), key+loginGoodSuffix, rule)
	if err == nil {
		var allowed bool
		var reset time.Time
		allowed, _, reset, err = s.limiter.Allow(r.Context(), key, RateRule{Limit: rule.Limit + good, Window: rule.Window})
		if err == nil {
			if allowed {
				return false
			}
			d := decision{limit: rule.Limit, reset: reset}
			return !s.answerLimit(w, r, d, "Too many failed logins for this account. Please try again in %d seconds.")
		}
	}
	s.log.WarnContext(r.Context(), "rate limiter", "err", err)
	return false // fail open, as rateLimit does
}

// loginGoodSuffix names the count of an account's attempts whose password
// was right.
const loginGoodSuffix = ":good"

// countLoginFailure settles the attempt loginLocked counted: unless the
// password was right (a login, or the refusal of a suspended account), it
// stays a failure. Only a right password is taken back: anything an
// attacker can cause without it (a canceled request, an empty password)
// would otherwise buy guesses.
func (s *Server) countLoginFailure(r *http.Request, username string, err error) {
	if s.cfg.LoginFails.Limit <= 0 || username == "" || (err != nil && !errors.Is(err, gram.ErrSuspended)) {
		return
	}
	if _, _, _, err := s.limiter.Allow(r.Context(), loginFailKey(username)+loginGoodSuffix, s.cfg.LoginFails); err != nil {
		s.log.WarnContext(r.Context(), "rate limiter", "err", err)
	}
}

// loginFailKey names the failure counter of username. The client sends a
// username of any length (up to the body limit); one longer than any
// account's is hashed, so that the limiter's keys stay small.
func loginFailKey(username string) string {
	u := gram.NormalizeUsername(username)
	if len(u) > 64 {
		sum := sha256.Sum256([]byte(u))
		u = "#" + hex.EncodeToString(sum[:])
	}
	return "loginfail:" + u
}

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
